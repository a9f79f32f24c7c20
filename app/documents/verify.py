"""`python -m lianxuntong verify-doc FILE.pdf`: is this PDF a genuine, unaltered document issued by this system?

Checks, in order (each reported as a Chinese line):
1. self-hash — the renderer appends `%LXT-SHA256 <hex>` after `%%EOF`, the SHA-256 of every byte before it, so a
   flipped byte anywhere is found offline (tamper-evidence, not a signature: the platform is the authority);
2. the verification payload (QR content, also in the XMP metadata) and the embedded canonical content: the
   content's SHA-256 is recomputed and must equal the payload's `content_sha256`;
3. the text layer: the body's legal name, the number, the party and the other key values of the content must
   be printed in the PDF's text (pypdf extraction);
4. authorities: the local store (`--data-dir`: the document exists, is issued or served, same content hash, and
   the file is byte-for-byte the issued PDF: `pdf_sha256`) and/or the platform (`--server`: a `PlatformCheck`
   the caller passes in — `sync.document_verify.platform_check` asks `GET /api/v1/documents/verify`; this module
   never talks to the network).
Genuine means every check passed and at least one authority confirmed it.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from app.documents.render_input import APP_TAG, decode_xmp
from app.documents.values import canonical_json


class PlatformUnreachable(Exception):
    """The platform could not be asked (network, TLS, an answer that is not JSON); the message says why."""


#: asks the platform about a document's verification payload; returns its answer `{"genuine": bool, "message": str}`
#: or raises `PlatformUnreachable`
PlatformCheck = Callable[[dict[str, Any]], dict[str, Any]]

SELF_HASH = re.compile(rb"\n%LXT-SHA256 ([0-9a-f]{64})\n$")


def add_self_hash(pdf: bytes) -> bytes:
    return pdf + b"\n%LXT-SHA256 " + hashlib.sha256(pdf).hexdigest().encode("ascii") + b"\n"


def check_self_hash(data: bytes) -> bool | None:
    """True/False when the file carries a self-hash; None when it has none (e.g. a CUPS re-print)."""
    found = SELF_HASH.search(data[-120:])
    if not found:
        return None
    body = data[: len(data) - len(found.group(0))]
    return hashlib.sha256(body).hexdigest() == found.group(1).decode("ascii")


@dataclass
class Verdict:
    genuine: bool = False
    lines: list[str] = field(default_factory=list)
    payload: dict[str, Any] | None = None
    problems: int = 0
    confirmations: int = 0

    def ok(self, text: str) -> None:
        self.lines.append(f"✔ {text}")

    def bad(self, text: str) -> None:
        self.problems += 1
        self.lines.append(f"✘ {text}")

    def note(self, text: str) -> None:
        self.lines.append(f"· {text}")


def read_pdf(data: bytes) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str]:
    """(payload, content, text layer) of a PDF; raises ValueError when it cannot be parsed."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from pypdf.generic import DictionaryObject

    try:
        reader = PdfReader(io.BytesIO(data))
        meta = cast(DictionaryObject, reader.trailer["/Root"]).get("/Metadata")  # a PDF's root is a dictionary
        xmp = meta.get_object().get_data() if meta is not None else b""
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, KeyError, ValueError, TypeError) as exc:
        raise ValueError(str(exc)) from exc
    payload, content = decode_xmp(xmp)
    return payload, content, text


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed(needle: str, haystack: str) -> bool:
    """`needle` printed in the text layer: contiguous, or (a table cell or grid value wrapped over lines) its
    characters in order within a short span."""
    needle, haystack = _squash(needle), haystack
    if not needle or needle in haystack:
        return True
    start = haystack.find(needle[0])
    while start >= 0:
        pos, limit = start, start + 4 * len(needle) + 40
        for ch in needle[1:]:
            pos = haystack.find(ch, pos + 1, limit)
            if pos < 0:
                break
        else:
            return True
        start = haystack.find(needle[0], start + 1)
    return False


def key_strings(content: dict[str, Any]) -> list[tuple[str, str]]:
    """(what, text) pairs that must be printed: body, number, party and every short field value."""
    from app.documents.templates import TemplateError, displayed_keys, load_template

    fields = content.get("fields") or {}
    try:
        shown = displayed_keys(
            load_template(str(content.get("doc_type")), int(content.get("template_version", 1)))
        )
    except (TemplateError, ValueError, TypeError):
        shown = frozenset(fields)
    fields = {k: v for k, v in fields.items() if k in shown}
    out = [("执法主体", str(content.get("body_legal_name", ""))), ("文号", str(content.get("number", "")))]
    for key in ("party_name", "party_id_code", "recipient", "receiver", "interviewee_name"):
        if fields.get(key):
            out.append((key, str(fields[key])))
    for key, value in sorted(fields.items()):
        if (
            isinstance(value, str)
            and value
            and len(value) <= 40
            and "\n" not in value
            and key not in dict(out)
        ):
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", value):
                continue  # printed as 2026年3月1日: covered by the content hash
            out.append((key, value))
    return out


def verify_bytes(data: bytes, *, store: Any = None, platform: PlatformCheck | None = None) -> Verdict:
    v = Verdict()
    self_hash = check_self_hash(data)
    if self_hash is False:
        v.bad("文件自校验失败：文件在签发后被改动过（字节不一致）")
    elif self_hash is None:
        v.note("文件不带自校验码（可能是打印或另存的副本）")
    else:
        v.ok("文件自校验通过")
    try:
        payload, content, text = read_pdf(data)
    except ValueError as exc:
        v.bad(f"无法解析 PDF：{exc}")
        return v
    if not payload or payload.get("app") != APP_TAG:
        v.bad("文件中没有本系统的核验信息（二维码内容），不是本系统签发的文书或已被改动")
        return v
    v.payload = payload
    v.note(f"文号 {payload.get('number')}，执法主体编号 {payload.get('body_id')}")
    if content is None:
        v.bad("文件中缺少文书内容记录，无法复核")
    else:
        digest = hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()
        same = (
            digest == payload.get("content_sha256")
            and content.get("number") == payload.get("number")
            and content.get("body_id") == payload.get("body_id")
        )
        if same:
            v.ok("内容校验码与二维码一致")
        else:
            v.bad("内容校验码与二维码不一致：文书内容被改动")
        squashed = _squash(text)
        missing = [what for what, value in key_strings(content) if not printed(value, squashed)]
        if missing:
            v.bad(f"打印文字与登记内容不一致（{len(missing)} 处，如 {missing[0]}）：文字被改动")
        else:
            v.ok("打印文字与登记内容一致")
    if store is not None:
        _check_store(v, store, payload, data)
    if platform is not None:
        _check_platform(v, platform, payload)
    if store is None and platform is None:
        v.note("未提供本地数据目录或平台地址，无法确认文书是否登记在册")
    v.genuine = v.problems == 0 and v.confirmations > 0
    return v


def _check_store(v: Verdict, store: Any, payload: dict[str, Any], data: bytes) -> None:
    from sqlalchemy import select

    from app import models as m

    with store.read() as session:
        doc = session.scalars(
            select(m.Document).where(
                m.Document.body_id == payload.get("body_id"), m.Document.number == payload.get("number")
            )
        ).first()
    if doc is None:
        v.note("本地数据中没有该文号（可能由其他终端签发）")
        return
    if doc.status == "voided":
        v.bad(f"本地记录显示该文书已作废：{doc.void_reason or ''}")
        return
    if doc.status not in ("issued", "served"):
        v.bad("本地记录显示该文书尚未签发")
        return
    if doc.content_sha256 != payload.get("content_sha256"):
        v.bad("内容校验码与本地登记的不一致")
        return
    if doc.pdf_sha256 and hashlib.sha256(data).hexdigest() != doc.pdf_sha256:
        v.bad("文件与签发时保存的 PDF 不一致（文件哈希不同）")
        return
    v.confirmations += 1
    v.ok(f"与本地登记一致：{doc.body_legal_name} {doc.number}（{_STATUS.get(doc.status, doc.status)}）")


_STATUS = {"issued": "已签发", "served": "已送达"}


def _check_platform(v: Verdict, platform: PlatformCheck, payload: dict[str, Any]) -> None:
    try:
        answer = platform(payload)
    except PlatformUnreachable as exc:
        v.bad(f"无法连接平台核验：{exc}")
        return
    if answer.get("genuine"):
        v.confirmations += 1
        v.ok(f"平台确认：{answer.get('message') or '文书真实有效'}")
    else:
        v.bad(f"平台未确认：{answer.get('message') or '无此文书'}")


def verify_file(path: Path, **kwargs: Any) -> Verdict:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        v = Verdict()
        v.bad(f"无法读取文件 {path}：{exc.strerror or exc}")
        return v
    return verify_bytes(data, **kwargs)
