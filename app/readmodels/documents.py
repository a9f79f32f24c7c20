"""What the 文书 area shows: the document list as light rows (newest first, filtered by township and status)
and, for the selected document, the document with its open problems (drafts) and the statutory clocks it starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app import models as m
from app.documents.lifecycle import DocStatus
from app.documents.service import DocumentService
from app.rules.numbering import doc_type_name
from app.store import Store


@dataclass(frozen=True)
class DocRow:
    id: str
    doc_type: str
    status: str
    number: str | None
    party: str
    body: str
    created_at: datetime | None
    issued_at: datetime | None

    @property
    def title(self) -> str:
        return doc_type_name(self.doc_type)


def load_rows(
    store: Store, township_id: str | None, status: str | None = None, limit: int = 5000
) -> list[DocRow]:
    with store.read() as session:
        query = select(m.Document).order_by(m.Document.created_at.desc(), m.Document.id).limit(limit)
        if township_id:
            query = query.where(m.Document.township_id == township_id)
        if status:
            query = query.where(m.Document.status == status)
        return [
            DocRow(
                d.id,
                d.doc_type,
                d.status,
                d.number,
                str(_party_of(d.fields or {})),
                d.body_legal_name,
                d.created_at,
                d.issued_at,
            )
            for d in session.scalars(query)
        ]


def _party_of(fields: dict[str, Any]) -> str:
    for key in ("party_name", "recipient", "receiver", "interviewee_name"):
        if fields.get(key):
            return str(fields[key])
    return ""


def document_detail(svc: DocumentService, doc_id: str) -> tuple[m.Document, list[str], list[str]]:
    """(document, problems still open on a draft, the clocks it starts as Chinese lines)."""
    doc = svc.get(doc_id)
    problems = svc.validate(doc) if doc.status == DocStatus.DRAFT else []
    clocks = [f"{c.name}：{c.due.isoformat()} 前（{c.basis}）" for c in svc.clocks_for(doc)]
    return doc, problems, clocks
