"""Logging for the desktop app and the "导出诊断信息" bundle. Qt-free (the caller passes Qt's versions in).

Every log record passes a scrubbing filter before it reaches a file: bearer tokens, anything shaped like a
platform token, passwords in key/value or JSON form and 18-character ID numbers (masked like
`app.rules.validators.mask_id_number`), phone numbers, key material and the party names of the open store
(`app.privacy`) are replaced, in the message, its arguments and any traceback text.
The log lives in `<data dir>/logs/lianxuntong.log`, rotated at 1 MB with five old files kept.

`export_diagnostics` writes a zip a person can mail to support: the (scrubbed) logs, versions, the schema
revision, the sync bookkeeping counts and `verify.json` (the verify report without re-hashing evidence, record
names redacted) — never personal data, never a token.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import platform
import re
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.privacy import scrub_personal
from app.rules.validators import mask_id_number

LOG_NAME = "lianxuntong.log"
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
MAX_BYTES = 1024 * 1024
BACKUPS = 5

_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+")
_SECRET_KV = re.compile(
    r"""(?ix)
    (["']?(?:access_token|refresh_token|token|password|passwd|secret|authorization)["']?\s*[:=]\s*)
    (?:"[^"]*"|'[^']*'|[^\s,;&}\]]+)
    """
)
# token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-]; ids (uuid hex) and SHA-256 digests are pure hex
_TOKENISH = re.compile(r"(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]{32,}(?![A-Za-z0-9_\-])")
_HEX = re.compile(r"[0-9a-f]+")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MASK = "***"


def _token_sub(match: re.Match[str]) -> str:
    text = match.group(0)
    if _HEX.fullmatch(text) and len(text) in (32, 40, 64):
        return text  # record ids and content hashes: needed for support, not secrets
    return MASK


def scrub(text: str) -> str:
    """`text` with tokens, passwords, ID numbers, phone numbers, key material and known names masked."""
    if not text:
        return text
    text = scrub_personal(text)  # first: a raw key must not pass as a "hash" below
    text = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _SECRET_KV.sub(lambda m: f"{m.group(1)}{MASK}", text)
    text = _TOKENISH.sub(_token_sub, text)
    return _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)


class ScrubFilter(logging.Filter):
    """Rewrites each record in place: the formatted message and the traceback text, scrubbed."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        record.exc_info = None  # the scrubbed text stands in for it
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


_installed: list[logging.Handler] = []


def setup_logging(log_dir: Path, *, level: int = logging.INFO, console: bool = False) -> Path:
    """Install the rotating, scrubbed log file (idempotent: earlier handlers of ours are replaced)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_NAME
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handlers: list[logging.Handler] = [file_handler]
    if console:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(ScrubFilter())
        root.addHandler(handler)
        _installed.append(handler)
    root.setLevel(level)
    for noisy in ("urllib3", "uvicorn.access", "alembic", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return path


def shutdown_logging() -> None:
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()


# ---- the diagnostics bundle -------------------------------------------------------------------------------


def collect_sync_state(store: Any) -> dict[str, Any]:
    """Counts and cursor only (no record content, no user, no token)."""
    from sqlalchemy import func, select

    from app import models as m
    from app import replica
    from app.db.migrate import current_revision, head_revision

    def count(session: Any, model: Any, *where: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    with store.read() as session:
        cursor_row = session.get(m.SyncState, "cursor")
        last_row = session.get(m.SyncState, "last_sync_at")
        report_row = session.get(m.SyncState, "last_report")
        info: dict[str, Any] = {
            "outbox_pending": count(session, m.OutboxEntry, m.OutboxEntry.state.in_(("pending", "sending"))),
            "outbox_parked": count(session, m.OutboxEntry, m.OutboxEntry.state == "parked"),
            "conflicts_open": count(session, m.Conflict, m.Conflict.status == "open"),
            "uploads_pending": count(session, m.Upload, m.Upload.state.in_(("pending", "uploading"))),
            "uploads_failed": count(session, m.Upload, m.Upload.state == "failed"),
            "cursor": int(cursor_row.value) if cursor_row else 0,
            "last_sync_at": last_row.value if last_row else None,
            "tasks": count(session, m.Task),
            "evidence": count(session, m.Evidence),
            "audit_events": count(session, m.AuditEvent),
            "replica_check": replica.last_check(session),  # the last comparison with the platform's checksums
        }
        parked_codes = session.execute(
            select(m.OutboxEntry.entity, m.OutboxEntry.op).where(m.OutboxEntry.state == "parked")
        ).all()
        if report_row is not None:
            try:
                report = json.loads(report_row.value)
                info["last_report"] = {k: v for k, v in report.items() if k != "errors"}
            except ValueError:
                pass
    info["parked_kinds"] = sorted({f"{e}:{o}" for e, o in parked_codes})
    info["schema_revision"] = current_revision(store.engine)
    info["schema_head"] = head_revision()
    return info


def versions(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    from app import __version__

    out = {
        "app": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
    }
    for name in ("sqlalchemy", "alembic", "requests", "keyring", "pydantic"):
        try:
            module = __import__(name)
            out[name] = str(getattr(module, "__version__", "?"))
        except ImportError:
            out[name] = "missing"
    out.update(extra or {})
    return out


def quick_verify_json(store: Any) -> str:
    """`python -m lianxuntong verify --json` without re-hashing evidence (database, audit chain and anchors, blob
    presence, orphans), with record names redacted: the bundle's `verify.json`."""
    from app.verify import run_verify

    try:
        return run_verify(store, hash_blobs=False).to_json(redact=True)
    except Exception as exc:  # a broken store: say so rather than fail the export
        return json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False)


def export_diagnostics(
    dest: Path,
    *,
    log_dir: Path,
    store: Any | None = None,
    extra_versions: Mapping[str, str] | None = None,
    session_info: Mapping[str, Any] | None = None,
) -> Path:
    """Write the diagnostics zip to `dest` atomically; returns `dest`. Everything is scrubbed again."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "created_at": datetime.now(UTC).isoformat(),
        "versions": versions(extra_versions),
        "session": dict(session_info or {}),
    }
    verify_json: str | None = None
    if store is not None:
        try:
            manifest["sync"] = collect_sync_state(store)
        except Exception as exc:  # a broken store is exactly when diagnostics matter
            manifest["sync_error"] = scrub(f"{type(exc).__name__}: {exc}")
        verify_json = quick_verify_json(store)
    fd, tmp_name = tempfile.mkstemp(prefix=".diag-", suffix=".zip", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(
                "diagnostics.json", scrub(json.dumps(manifest, ensure_ascii=False, indent=2, default=str))
            )
            if verify_json is not None:
                zf.writestr("verify.json", scrub(verify_json))
            for path in sorted(log_dir.glob(f"{LOG_NAME}*")) if log_dir.exists() else []:
                text = path.read_text(encoding="utf-8", errors="replace")
                zf.writestr(f"logs/{path.name}", scrub(text))
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest
