"""Templates as data: every document type has a valid, versioned template with the statutory wording."""

from __future__ import annotations

import json
from copy import deepcopy

import pytest

from app.documents.templates import available_doc_types, load_template, templates_dir, validate_template
from app.rules.numbering import DOC_TYPES

REQUIRED = [
    "onsite_record",
    "interview_record",
    "correction_order",
    "preservation_notice",
    "seizure_decision",
    "penalty_notice",
    "summary_penalty",
    "service_receipt",
    "transfer_letter",
    "notice_sheet",
]


def _raw(doc_type: str) -> dict:
    return json.loads((templates_dir() / f"{doc_type}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("doc_type", sorted(DOC_TYPES))
def test_every_doc_type_has_a_valid_template(doc_type: str) -> None:
    assert validate_template(_raw(doc_type)) == []
    t = load_template(doc_type)
    assert t.doc_type == doc_type and t.version >= 1 and t.paper == "A4"
    assert t.title == DOC_TYPES[doc_type].name
    for f in t.fields:
        assert f.kind in {"text", "multiline", "date", "datetime", "money", "choice", "table"}


def test_required_types_present_in_order() -> None:
    have = available_doc_types()
    assert all(k in have for k in REQUIRED)


def test_records_carry_a_per_page_party_signature() -> None:
    for key in ("onsite_record", "interview_record"):
        t = load_template(key)
        assert t.record and "签名" in t.footer
    assert "以上笔录记录属实" in load_template("interview_record").footer


def _all_text(doc_type: str) -> str:
    return json.dumps(_raw(doc_type), ensure_ascii=False)


@pytest.mark.parametrize(
    ("doc_type", "phrases"),
    [
        ("summary_penalty", ["十五日内", "百分之三", "六十日内", "六个月内", "第五十一条"]),
        ("penalty_decision", ["十五日内", "百分之三", "六十日内", "六个月内"]),
        ("penalty_notice", ["陈述、申辩", "五日内", "听证"]),
        ("seizure_decision", ["三十日", "六十日内", "六个月内", "行政强制法"]),
        ("preservation_notice", ["第五十六条", "七日内"]),
        ("correction_order", ["六十日内", "六个月内", "复查"]),
        ("interview_record", ["陈述、申辩", "回避", "记录属实"]),
        ("onsite_record", ["出示执法证件", "回避"]),
        ("service_receipt", ["留置", "见证人"]),
        ("notice_sheet", ["反馈"]),
        ("transfer_letter", ["移送"]),
    ],
)
def test_real_form_wording(doc_type: str, phrases: list[str]) -> None:
    text = _all_text(doc_type)
    for phrase in phrases:
        assert phrase in text, (doc_type, phrase)


def test_validation_reports_problems_in_chinese() -> None:
    good = _raw("correction_order")
    bad = deepcopy(good)
    bad["layout"] = [b for b in bad["layout"] if b["type"] != "heading"]
    bad["layout"].append({"type": "paragraph", "text": "{no_such_field}"})
    bad["fields"].append(dict(bad["fields"][0]))  # duplicate key
    bad["fields"].append({"key": "x", "label": "X", "kind": "blob", "source": "a"})
    bad["paper"] = "A3"
    problems = validate_template(bad)
    joined = "；".join(problems)
    for text in ("heading", "no_such_field", "key 重复", "kind「blob」", "A4"):
        assert text in joined, text
    assert validate_template({"doc_type": "nope"})  # missing keys


def test_unfillable_field_is_refused() -> None:
    data = _raw("notice_sheet")
    data["fields"].append({"key": "orphan", "label": "孤立", "kind": "text"})
    assert any("永远无法填写" in p for p in validate_template(data))


def test_shape_problems_are_reported_in_chinese() -> None:
    data = _raw("correction_order")
    data["version"] = "2"
    data["fields"][0] = {"label": "无键"}
    del data["title"]
    problems = validate_template(data)
    assert "version 必须是正整数" in problems and "缺少「title」" in problems
    assert "字段 1：缺少 key" in problems
    table = _raw("correction_order")
    table["fields"].append({"key": "rows", "label": "表", "kind": "table", "editable": True,
                            "columns": [{"label": "无键列"}]})
    assert any(p.startswith(f"字段 {len(table['fields'])}：") for p in validate_template(table))
    assert validate_template({**_raw("notice_sheet"), "layout": [{"type": "fields", "rows": 5}]}) != []
    assert validate_template(["not", "a", "mapping"]) != []  # a JSON file whose top level is a list


def test_parsed_template_keeps_every_field_and_block() -> None:
    raw = _raw("penalty_notice")
    t = load_template("penalty_notice")
    assert [f.key for f in t.fields] == [f["key"] for f in raw["fields"]]
    assert list(t.layout) == raw["layout"] and set(t.by_key) == {f["key"] for f in raw["fields"]}
    for f, r in zip(t.fields, raw["fields"], strict=True):
        assert (f.label, f.kind, f.required, f.editable, f.source) == (
            r["label"], r["kind"], r["required"], r["editable"], r["source"])
        assert [c.key for c in f.columns] == [c["key"] for c in r.get("columns", [])]
