"""What the renderer needs, gathered without Qt: template, values, body, number, QR payload, signature images,
photo appendix; and the payload/metadata codec shared by the renderer and `verify-doc`.

The QR code (and the PDF's XMP metadata) carry `{"app", "v", "body_id", "number", "content_sha256"}`; the XMP
also carries the canonical content (base64 JSON) so that a verifier can recompute `content_sha256` from the file
alone and check the printed text layer against it.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app import models as m
from app.documents.templates import Template, load_template
from app.documents.values import canonical_json, content_payload
from app.evidence_store import read_blob
from app.store import Store

APP_TAG = "lianxuntong"
PAYLOAD_VERSION = 1
XMP_NS = "https://lianxuntong.example/ns/document/1.0/"


@dataclass(frozen=True)
class RenderInput:
    template: Template
    values: Mapping[str, Any]
    doc_id: str
    status: str
    body_id: str
    body_legal_name: str
    seal_name: str
    number: str | None = None
    issued_at: datetime | None = None
    content_sha256: str | None = None
    void_reason: str | None = None
    signatures: Mapping[str, Sequence[bytes]] = field(default_factory=dict)  # role → image bytes
    refusals: Mapping[str, str] = field(default_factory=dict)  # role → reason the person refused to sign
    photos: Sequence[tuple[str, bytes]] = ()  # (caption, image bytes) for the appendix

    @property
    def issued(self) -> bool:
        return self.number is not None and self.content_sha256 is not None

    def payload(self) -> dict[str, Any] | None:
        """The verification payload (QR code and metadata), for an issued document only."""
        if not self.issued:
            return None
        return {
            "app": APP_TAG,
            "v": PAYLOAD_VERSION,
            "body_id": self.body_id,
            "number": self.number,
            "content_sha256": self.content_sha256,
        }

    def content(self) -> dict[str, Any]:
        return content_payload(
            doc_type=self.template.doc_type,
            template_version=self.template.version,
            body_id=self.body_id,
            body_legal_name=self.body_legal_name,
            number=self.number or "",
            fields=self.values,
        )


def from_document(doc: m.Document, *, template: Template | None = None, **extra: Any) -> RenderInput:
    return RenderInput(
        template=template or load_template(doc.doc_type, doc.template_version),
        values=dict(doc.fields),
        doc_id=doc.id,
        status=doc.status,
        body_id=doc.body_id,
        body_legal_name=doc.body_legal_name,
        seal_name=doc.seal_name,
        number=doc.number,
        issued_at=doc.issued_at,
        content_sha256=doc.content_sha256,
        void_reason=doc.void_reason,
        **extra,
    )


def build(store: Store, doc: m.Document, *, photos: bool = False, max_photos: int = 12) -> RenderInput:
    """`from_document` plus the signature images of the inspection the document came from and, when asked,
    its photos (non-voided, in import order) for an appendix."""
    signatures: dict[str, list[bytes]] = {}
    refusals: dict[str, str] = {}
    pictures: list[tuple[str, bytes]] = []
    if doc.inspection_id:
        with store.read() as session:
            inspection = session.get(m.Inspection, doc.inspection_id)
            evidence = {
                e.id: e
                for e in session.scalars(
                    select(m.Evidence)
                    .where(m.Evidence.inspection_id == doc.inspection_id, m.Evidence.voided.is_(False))
                    .order_by(m.Evidence.imported_at, m.Evidence.id)
                )
            }
        for role, ref in ((inspection.signatures if inspection else None) or {}).items():
            ev_id, reason = _signature_ref(ref)
            group = _role_group(role)
            if reason:
                refusals[group] = reason
            ev = evidence.get(ev_id or "")
            data = _blob(store, ev) if ev is not None else None
            if data:
                signatures.setdefault(group, []).append(data)
        if photos:
            for ev in evidence.values():
                if ev.kind == "photo" and len(pictures) < max_photos:
                    data = _blob(store, ev)
                    if data:
                        pictures.append((ev.caption or ev.original_name, data))
    return from_document(doc, signatures=signatures, refusals=refusals, photos=tuple(pictures))


def _signature_ref(ref: Any) -> tuple[str | None, str | None]:
    if isinstance(ref, str):
        return ref, None
    if isinstance(ref, Mapping):
        reason = None
        if ref.get("refused"):
            reason = str(ref.get("reason") or "未说明原因")
            if ref.get("witness"):
                reason += f"；见证人：{ref['witness']}"
        return ref.get("evidence_id") or ref.get("id"), reason
    return None, None


def _role_group(role: str) -> str:
    """ "officer:o-1" / "officer_2" → "officers"; other roles as they are."""
    return "officers" if role.startswith("officer") else role


def _blob(store: Store, ev: m.Evidence) -> bytes | None:
    try:
        return read_blob(store.paths.evidence, ev.sha256)
    except OSError:
        return None


# ---- metadata codec ----------------------------------------------------------------------------------------


def encode_qr(payload: Mapping[str, Any]) -> str:
    return canonical_json(payload)


def xmp_packet(
    *,
    title: str,
    author: str,
    created: str,
    payload: Mapping[str, Any] | None,
    content: Mapping[str, Any] | None,
) -> bytes:
    """A fixed XMP packet (no random ids, dates from the issue time) carrying the payload and content."""
    esc = _xml_escape
    extra = ""
    if payload is not None:
        extra += f' lxt:verify="{esc(encode_qr(payload))}"'
    if content is not None:
        blob = base64.b64encode(canonical_json(content).encode("utf-8")).decode("ascii")
        extra += f' lxt:content="{blob}"'
    text = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        f' xmlns:lxt="{XMP_NS}" xmp:CreatorTool="联巡通" xmp:CreateDate="{created}"'
        f' xmp:ModifyDate="{created}" xmp:MetadataDate="{created}"{extra}>\n'
        f'   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{esc(title)}</rdf:li></rdf:Alt></dc:title>\n'
        f"   <dc:creator><rdf:Seq><rdf:li>{esc(author)}</rdf:li></rdf:Seq></dc:creator>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return text.encode("utf-8")


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _xml_unescape(text: str) -> str:
    return text.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def decode_xmp(xmp: bytes) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(payload, content) read back from an XMP packet written by `xmp_packet`; None for what is absent or
    unreadable."""
    text = xmp.decode("utf-8", errors="replace")
    payload = content = None
    found = re.search(r'lxt:verify="([^"]*)"', text)
    if found:
        try:
            payload = json.loads(_xml_unescape(found.group(1)))
        except ValueError:
            payload = None
    found = re.search(r'lxt:content="([A-Za-z0-9+/=]*)"', text)
    if found:
        try:
            content = json.loads(base64.b64decode(found.group(1)).decode("utf-8"))
        except ValueError:
            content = None
    return payload, content
