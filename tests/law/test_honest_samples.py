"""Complete party blocks and honest samples: every document naming the party prints its legal representative,
and the demo and sample data pass the project's own validators (credit codes, ID numbers, phones)."""

from __future__ import annotations

from datetime import date

import pytest

from app.demo.dataset import build_dataset
from app.documents.samples import CREDIT_CODE, draft_sample, prepare
from app.documents.templates import available_doc_types, displayed_keys, load_template
from app.rules.validators import validate_credit_code, validate_id_number, validate_phone
from app.store import Store

PERSON_KINDS = {"自然人"}


@pytest.fixture(scope="module")
def dataset() -> dict[str, list[dict]]:
    return build_dataset(tasks=200, today=date(2026, 3, 1))


def test_every_demo_target_passes_the_validators(dataset: dict[str, list[dict]]) -> None:
    targets = dataset["target"]
    assert len(targets) > 100
    for t in targets:
        if t["kind"] in PERSON_KINDS:
            assert not t.get("credit_code"), t["name"]
        else:
            assert validate_credit_code(t["credit_code"]) == t["credit_code"], t["name"]
            assert t.get("legal_rep"), f"{t['name']} has no 法定代表人（负责人）"
        assert validate_phone(t["contact_phone"]), t["name"]
    for o in dataset["officer"]:
        if o.get("phone"):
            validate_phone(o["phone"])


def test_every_template_naming_the_party_prints_its_legal_representative() -> None:
    naming = [k for k in available_doc_types() if "party_name" in displayed_keys(load_template(k))]
    assert len(naming) >= 9
    missing = [k for k in naming if "party_legal_rep" not in displayed_keys(load_template(k))]
    assert missing == []


def test_sample_documents_carry_valid_identifiers_and_the_legal_rep(store: Store) -> None:
    sample = prepare(store)
    assert validate_credit_code(sample.credit_code) == CREDIT_CODE
    checked = 0
    for doc_type in available_doc_types():
        doc = draft_sample(store, sample, doc_type)
        fields = doc.fields
        if "party_id_code" in fields:
            assert validate_credit_code(fields["party_id_code"]) == CREDIT_CODE, doc_type
        if "party_legal_rep" in fields:
            assert fields["party_legal_rep"] == "周建国", doc_type
            checked += 1
        for key, value in fields.items():
            if key.endswith("phone") and value:
                validate_phone(value)
            if key in ("interviewee_id", "onsite_id_number") and value:
                validate_id_number(value)
    assert checked >= 9
    with store.read() as s:
        from app import models as m

        insp = s.get(m.Inspection, sample.inspection_id)
        validate_id_number(insp.onsite_person["id_number"])
        validate_phone(insp.party["phone"])
