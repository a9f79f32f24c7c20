"""Public document verification (`GET /api/v1/documents/verify`): what the QR code on a printed 文书 points to.

No authentication: anyone holding the paper can check that the number exists for that enforcing body, that the
document was issued (not a draft, not voided) and that the content hash printed with it matches the one the
issuing laptop registered (`content_sha256`). Only the body's legal name, the number, the status and the issue
time are disclosed — never the party or the facts.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from sqlalchemy import Engine, select

from sync.protocol import API_PREFIX
from sync.server.common import engine_of
from sync.server.records import document_key
from sync.server.storage import Record, read_session

router = APIRouter(prefix=f"{API_PREFIX}/documents", tags=["documents"])

_STATUS_LABELS = {"draft": "草稿", "issued": "已签发", "served": "已送达", "voided": "已作废"}


class DocumentVerification(BaseModel):
    genuine: bool
    status: str | None = None
    body_legal_name: str | None = None
    number: str | None = None
    issued_at: str | None = None
    message: str


def verify_document(engine: Engine, body_id: str, number: str, sha256: str) -> DocumentVerification:
    with read_session(engine) as session:
        record = session.scalars(
            select(Record).where(
                Record.entity == "document",
                Record.lookup_key == document_key(body_id, number),
                Record.deleted.is_(False),
            )
        ).first()
        data = dict(record.data) if record is not None else None
    if data is None:
        return DocumentVerification(
            genuine=False, number=number, message="平台上没有该执法主体的这个文号，文书可能是伪造的或尚未同步"
        )
    status = data.get("status") or "draft"
    found = DocumentVerification(
        genuine=False,
        status=status,
        body_legal_name=data.get("body_legal_name"),
        number=data.get("number"),
        issued_at=data.get("issued_at"),
        message="",
    )
    if status == "draft":
        found.message = "该文书尚未签发"
    elif status == "voided":
        reason = data.get("void_reason") or ""
        found.message = f"该文书已作废{('：' + reason) if reason else ''}"
    elif not data.get("content_sha256") or str(data["content_sha256"]).lower() != sha256.strip().lower():
        found.message = "文书内容与平台登记的不一致，可能被篡改"
    else:
        found.genuine = True
        found.message = f"文书真实有效（{_STATUS_LABELS.get(status, status)}）"
    return found


@router.get("/verify", response_model=DocumentVerification, summary="核验文书真伪（公开，无需登录）")
def get_verify(
    request: Request,
    body_id: Annotated[str, Query(min_length=1, max_length=64, description="执法主体编号")],
    number: Annotated[str, Query(min_length=1, max_length=60, description="文号")],
    sha256: Annotated[str, Query(min_length=64, max_length=64, description="文书内容 SHA-256")],
) -> DocumentVerification:
    return verify_document(engine_of(request), body_id, number, sha256)
