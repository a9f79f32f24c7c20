"""Document templates as data: `resources/templates/<doc_type>.json`, loaded, validated and cached.

A template names its fields (what is filled from which record, what a clerk may edit) and its layout (the blocks
the renderer draws). Templates are versioned; an issued document records the version it was made with, and the
loader keeps every version it finds (`<doc_type>.json` is the current one, `<doc_type>.v<N>.json` older ones).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from app.errors import ValidationError
from app.resources import resource_dir
from app.rules.numbering import DOC_TYPES

FIELD_KINDS = frozenset({"text", "multiline", "date", "datetime", "money", "choice", "table"})
BLOCK_TYPES = frozenset(
    {
        "heading",
        "subheading",
        "paragraph",
        "fields",
        "text_field",
        "table",
        "signatures",
        "seal",
        "receipt",
        "note",
        "page_break",
        "spacer",
    }
)
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")
#: placeholders every template may use besides its own field keys
BUILTIN_PLACEHOLDERS = frozenset(
    {"body.legal_name", "body.seal_name", "number", "title", "doc_title", "issue_date"}
)


class TemplateError(ValidationError):
    """A template file is missing or malformed."""

    default_code = "bad_template"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int = 0  # relative width (percent); 0: share the rest


@dataclass(frozen=True)
class FieldSpec:
    """One field: `source` says where it is filled from ("party.name", "officers", …; "" = typed by hand);
    `editable` fields are free text a clerk may change on a draft. `required` fields refuse 签发 when empty,
    `recommended` ones ask the clerk to confirm."""

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    recommended: bool = False  # a "should have" field: empty at 签发 is a warning the clerk confirms
    source: str = ""
    editable: bool = False
    choices: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    default: Any = None
    hint: str = ""


@dataclass(frozen=True)
class Template:
    doc_type: str
    version: int
    title: str
    paper: str
    fields: tuple[FieldSpec, ...]
    layout: tuple[Mapping[str, Any], ...]
    record: bool = False  # a record (笔录): party signature line on every page
    footer: str = ""  # per-page footer text (records: "当事人签名：…")
    copies_note: str = ""
    by_key: Mapping[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def field(self, key: str) -> FieldSpec:
        try:
            return self.by_key[key]
        except KeyError:
            raise TemplateError(f"文书模板「{self.title}」没有字段「{key}」", code="unknown_field") from None

    @property
    def editable_keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.fields if f.editable)


def templates_dir() -> Path:
    return resource_dir("templates")


def _problems(data: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    for key in ("doc_type", "version", "title", "paper", "fields", "layout"):
        if key not in data:
            problems.append(f"缺少「{key}」")
    if problems:
        return problems
    if data["doc_type"] not in DOC_TYPES:
        problems.append(f"未知的文书类型「{data['doc_type']}」")
    if not isinstance(data["version"], int) or data["version"] < 1:
        problems.append("version 必须是正整数")
    if data["paper"] != "A4":
        problems.append("纸张必须是 A4")
    keys: set[str] = set()
    for i, f in enumerate(data["fields"]):
        where = f"字段 {i + 1}（{f.get('key', '?')}）"
        if not isinstance(f.get("key"), str) or not re.fullmatch(r"[a-z][a-z0-9_]*", f["key"]):
            problems.append(f"{where}：key 必须是小写英文标识")
            continue
        if f["key"] in keys:
            problems.append(f"{where}：key 重复")
        keys.add(f["key"])
        if not f.get("label"):
            problems.append(f"{where}：缺少 label")
        if f.get("kind", "text") not in FIELD_KINDS:
            problems.append(f"{where}：kind「{f.get('kind')}」无效")
        if f.get("kind") == "choice" and not f.get("choices"):
            problems.append(f"{where}：choice 字段必须列出 choices")
        if f.get("kind") == "table" and not f.get("columns"):
            problems.append(f"{where}：table 字段必须列出 columns")
        if not f.get("source") and not f.get("editable") and f.get("default") is None:
            problems.append(f"{where}：既无来源也不可编辑，永远无法填写")
    known = keys | BUILTIN_PLACEHOLDERS
    for i, block in enumerate(data["layout"]):
        kind = block.get("type")
        if kind not in BLOCK_TYPES:
            problems.append(f"版式块 {i + 1}：type「{kind}」无效")
            continue
        for text in _block_texts(block):
            for name in PLACEHOLDER.findall(text):
                if name not in known:
                    problems.append(f"版式块 {i + 1}：占位符「{{{name}}}」不是字段")
        for name in _block_fields(block):
            if name not in keys:
                problems.append(f"版式块 {i + 1}：引用了不存在的字段「{name}」")
    if not any(b.get("type") == "heading" for b in data["layout"]):
        problems.append("版式缺少 heading（执法主体名称、标题和文号）")
    return problems


def _block_texts(block: Mapping[str, Any]) -> list[str]:
    texts = [block[k] for k in ("text", "label") if isinstance(block.get(k), str)]
    for row in block.get("lines", []) or []:
        texts.append(str(row[0]))
    return texts


def _block_fields(block: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    if isinstance(block.get("field"), str):
        names.append(block["field"])
    for row in block.get("rows", []) or []:
        names.extend(row)
    if isinstance(block.get("if"), str):
        names.append(block["if"].partition("=")[0])
    return names


def displayed_keys(template: Template) -> frozenset[str]:
    """Field keys the layout prints (placeholders, grid rows, text fields and tables; not `if` conditions)."""
    keys: set[str] = set()
    for block in template.layout:
        for text in _block_texts(block):
            keys.update(PLACEHOLDER.findall(text))
        keys.update(row_key for row in block.get("rows", []) or [] for row_key in row)
        if isinstance(block.get("field"), str):
            keys.add(block["field"])
    return frozenset(keys & set(template.by_key))


def validate_template(data: Mapping[str, Any]) -> list[str]:
    """Problems of a template's data, in Chinese; an empty list means it is usable."""
    try:
        return _problems(data)
    except (TypeError, AttributeError) as exc:
        return [f"模板结构无效：{exc}"]


def parse_template(data: Mapping[str, Any], *, origin: str = "") -> Template:
    problems = validate_template(data)
    if problems:
        raise TemplateError(f"文书模板 {origin or data.get('doc_type')} 无效：" + "；".join(problems))
    fields = tuple(
        FieldSpec(
            key=f["key"],
            label=f["label"],
            kind=f.get("kind", "text"),
            required=bool(f.get("required")),
            recommended=bool(f.get("recommended")),
            source=f.get("source", ""),
            editable=bool(f.get("editable")),
            choices=tuple(f.get("choices", ())),
            columns=tuple(Column(c["key"], c["label"], int(c.get("width", 0))) for c in f.get("columns", ())),
            default=f.get("default"),
            hint=f.get("hint", ""),
        )
        for f in data["fields"]
    )
    return Template(
        doc_type=data["doc_type"],
        version=int(data["version"]),
        title=data["title"],
        paper=data["paper"],
        fields=fields,
        layout=tuple(data["layout"]),
        record=bool(data.get("record")),
        footer=data.get("footer", ""),
        copies_note=data.get("copies_note", ""),
        by_key={f.key: f for f in fields},
    )


def _read(path: Path) -> Template:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TemplateError(f"无法读取文书模板 {path.name}：{exc}") from exc
    return parse_template(data, origin=path.name)


@cache
def _all_versions(directory: str) -> dict[str, dict[int, Template]]:
    found: dict[str, dict[int, Template]] = {}
    for path in sorted(Path(directory).glob("*.json")):
        template = _read(path)
        found.setdefault(template.doc_type, {})[template.version] = template
    return found


def load_template(doc_type: str, version: int | None = None, *, directory: Path | None = None) -> Template:
    """The template for `doc_type` (the newest, or exactly `version`); `TemplateError` when there is none."""
    versions = _all_versions(str(directory or templates_dir())).get(doc_type)
    if not versions:
        raise TemplateError(
            f"没有「{DOC_TYPES[doc_type].name if doc_type in DOC_TYPES else doc_type}」的文书模板"
        )
    if version is None:
        return versions[max(versions)]
    if version not in versions:
        raise TemplateError(f"文书模板「{doc_type}」没有第 {version} 版")
    return versions[version]


def available_doc_types(*, directory: Path | None = None) -> list[str]:
    """Document types that have a template, in the order of `DOC_TYPES`."""
    have = _all_versions(str(directory or templates_dir()))
    return [key for key in DOC_TYPES if key in have]


def placeholders(text: str) -> Sequence[str]:
    return PLACEHOLDER.findall(text)


