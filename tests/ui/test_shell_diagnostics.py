"""Logging that never keeps a secret, and the diagnostics zip (versions, schema revision, sync counts and
cursor, scrubbed logs — no personal data, no token)."""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path
from typing import Any

import pytest

from app.diagnostics import export_diagnostics, scrub, setup_logging, shutdown_logging
from app.rules.validators import make_id_number
from app.store import Store

TOKEN = "Zx9_Qm-3kLp0aB7cD2eF4gH6iJ8kL0mN2oP4qR6sT8u"  # shaped like secrets.token_urlsafe(32)
ID_NUMBER = make_id_number("33018319850612341")


@pytest.mark.parametrize(
    "text, secret",
    [
        (f"Authorization: Bearer {TOKEN}", TOKEN),
        (f'{{"access_token": "{TOKEN}", "expires_in": 900}}', TOKEN),
        (f"refresh_token={TOKEN}&device_id=abc", TOKEN),
        ("password=demo2026 username=xindeng.leader", "demo2026"),
        ('{"username": "x", "password": "s3cret pass"}', "s3cret pass"),
        (f"token leaked {TOKEN} here", TOKEN),
        (f"当事人身份证号{ID_NUMBER}，电话", ID_NUMBER),
    ],
)
def test_scrub_removes_secrets(text: str, secret: str) -> None:
    out = scrub(text)
    assert secret not in out
    if secret == ID_NUMBER:
        assert f"{ID_NUMBER[:6]}********{ID_NUMBER[-4:]}" in out


def test_scrub_keeps_ids_and_hashes_for_support() -> None:
    text = "task 9f1c2a7e5b3d4c6f8a0b1c2d3e4f5a6b evidence " + "ab" * 32 + " FYZH-2026-000123"
    assert scrub(text) == text


def test_log_file_is_scrubbed_including_arguments_and_tracebacks(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs", level=logging.DEBUG)
    log = logging.getLogger("test.diag")
    try:
        log.info("headers %s", {"Authorization": f"Bearer {TOKEN}"})
        log.warning("login with password=%s for %s", "demo2026", ID_NUMBER)
        try:
            raise ValueError(f"bad token {TOKEN}")
        except ValueError:
            log.exception("request failed")
    finally:
        shutdown_logging()
    text = path.read_text(encoding="utf-8")
    assert "request failed" in text and "ValueError" in text
    for secret in (TOKEN, "demo2026", ID_NUMBER):
        assert secret not in text


def test_diagnostics_zip(tmp_path: Path, store: Store) -> None:
    from app.models import Conflict, OutboxEntry, SyncState

    with store.write() as s:
        s.add(SyncState(key="cursor", value="1234"))
        s.add(
            OutboxEntry(
                entity="task",
                entity_id="t1",
                op="update",
                payload={"fields": {"notes": "张三 身份证" + ID_NUMBER}},
            )
        )
        s.add(OutboxEntry(entity="task", entity_id="t2", op="transition", payload={}, state="parked"))
        s.add(
            Conflict(
                entity="task",
                entity_id="t1",
                field="notes",
                base_value="",
                local_value="本机私密备注",
                server_value="平台备注",
            )
        )
    logs = tmp_path / "logs"
    setup_logging(logs)
    logging.getLogger("test.diag").info("sync with Bearer %s as xindeng.leader", TOKEN)
    shutdown_logging()
    out = export_diagnostics(
        tmp_path / "out" / "diag.zip",
        log_dir=logs,
        store=store,
        extra_versions={"qt": "6.x"},
        session_info={"role": "leader", "demo": False},
    )
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        manifest: dict[str, Any] = json.loads(zf.read("diagnostics.json"))
        everything = b"".join(zf.read(n) for n in names).decode("utf-8")
    assert "diagnostics.json" in names and "logs/lianxuntong.log" in names and "verify.json" in names
    with zipfile.ZipFile(out) as zf:
        verified = json.loads(zf.read("verify.json"))
    assert verified["ok"] and verified["exit_code"] == 0 and "audit_rows" in verified
    sync = manifest["sync"]
    assert (sync["outbox_pending"], sync["outbox_parked"], sync["conflicts_open"], sync["cursor"]) == (
        1,
        1,
        1,
        1234,
    )
    assert sync["schema_revision"] == sync["schema_head"]
    assert manifest["versions"]["qt"] == "6.x" and manifest["versions"]["python"]
    assert manifest["session"] == {"role": "leader", "demo": False}
    for secret in (TOKEN, ID_NUMBER, "本机私密备注", "平台备注", "张三"):
        assert secret not in everything
    assert not list((tmp_path / "out").glob(".diag-*"))  # written atomically, no temp left behind
