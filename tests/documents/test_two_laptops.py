"""Two laptops fetch number blocks from the reference platform, then each issues 200 documents of the same type
and body OFFLINE: no number is printed twice; the platform then accepts all 400 and verifies one of them."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.documents import DocumentService
from app.models import Document
from app.paths import DataPaths
from app.store import Store
from tests.support.rawdb import plain_pdf

PASSWORD = "demo2026"
COUNT = 200


class Laptop:
    def __init__(self, root: Path, url: str) -> None:
        self.store = Store.open(DataPaths(root))
        self.connect(url)

    def connect(self, url: str) -> None:
        from sync.auth import AuthClient
        from sync.transport import Transport

        self.transport = Transport(url, retries=2, backoff=0.02, timeout=(3, 30))
        self.auth = AuthClient(self.transport, store=self.store)
        self.auth.login("xindeng.clerk", PASSWORD)

    def sync(self) -> Any:
        from sync.engine import SyncEngine

        report = SyncEngine(self.store, self.auth, prefetch_numbers=False).sync_once()
        assert report.ok, report.errors
        return report

    def close(self) -> None:
        self.transport.close()
        self.store.close()


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Any]:
    from sync.server.embedded import start_server

    servers = [start_server(tmp_path / "platform")]
    yield servers
    for server in servers:
        server.stop()


def _pdf(doc: Document) -> bytes:
    return f"%PDF-1.4 {doc.number}".encode()


def test_two_laptops_never_print_the_same_number(platform: list[Any], tmp_path: Path) -> None:
    from sync.numbers import ensure_blocks
    from sync.server.embedded import start_server

    laptops = [Laptop(tmp_path / f"laptop-{i}", platform[0].url) for i in (1, 2)]
    try:
        for lap in laptops:
            lap.sync()  # the district comes down
        user = laptops[0].auth.current_user()
        year = datetime.now(UTC).year
        key = ("xindeng", "correction_order", year)
        for _round in range(4):  # both online: blocks of 50 fetched alternately, so their ranges interleave
            for lap in laptops:
                ensure_blocks(
                    lap.store,
                    lap.auth,
                    [key],
                    50 * (_round + 1),
                    device_id=lap.auth.device_id or "",
                    block_size=50,
                )
        platform[0].stop()  # offline from here: the platform is gone
        issued: dict[int, list[str]] = {}
        for i, lap in enumerate(laptops):
            svc = DocumentService(lap.store, user)
            numbers = []
            for n in range(COUNT):
                doc = svc.create_draft(
                    doc_type="correction_order",
                    township_id="xindeng",
                    matter_code="FY-SR-001",
                    fields={
                        "party_name": f"测试商户{i}-{n}",
                        "facts": "占道经营",
                        "legal_basis": "《城市道路管理条例》第三十一条",
                        "requirement": "立即改正",
                        "deadline": "2099-01-01",
                    },
                )
                numbers.append(svc.issue(doc.id, pdf_bytes_fn=_pdf).number)
            issued[i] = numbers
        all_numbers = issued[0] + issued[1]
        assert len(all_numbers) == 2 * COUNT
        assert len(set(all_numbers)) == len(all_numbers), "the same number was issued twice"
        assert all(n.startswith(f"新登镇综执责改〔{year}〕") for n in all_numbers)

        server = start_server(tmp_path / "platform", seed_demo=False)  # back online (a new port)
        platform.append(server)
        for lap in laptops:  # the platform accepts every document (its lookup key is body|number)
            lap.transport.close()
            lap.connect(server.url)
            report = lap.sync()
            assert report.rejected == 0 and report.conflicts == 0
        with laptops[0].store.read() as s:
            doc = s.scalars(select(Document).where(Document.status == "issued")).first()
        query = urllib.parse.urlencode(
            {"body_id": doc.body_id, "number": doc.number, "sha256": doc.content_sha256}
        )
        with urllib.request.urlopen(f"{server.api_url}/documents/verify?{query}") as resp:
            answer = json.loads(resp.read())
        assert answer["genuine"] is True, answer
    finally:
        for lap in laptops:
            lap.close()


def test_verify_doc_asks_the_platform(platform: list[Any], tmp_path: Path, qapp: Any) -> None:
    """An issued, synced document is confirmed by the platform's verify endpoint; a forgery is not."""
    import dataclasses

    from app.documents.render_input import build
    from lianxuntong.cli import main
    from ui.documents.renderer import pdf_bytes_fn, render_pdf

    lap = Laptop(tmp_path / "laptop", platform[0].url)
    try:
        lap.sync()
        year = datetime.now(UTC).year
        from sync.numbers import ensure_blocks

        ensure_blocks(
            lap.store,
            lap.auth,
            [("xindeng", "correction_order", year)],
            5,
            device_id=lap.auth.device_id or "",
        )
        svc = DocumentService(lap.store, lap.auth.current_user())
        doc = svc.create_draft(
            doc_type="correction_order",
            township_id="xindeng",
            matter_code="FY-SR-001",
            fields={
                "party_name": "核验测试商户",
                "facts": "占道经营",
                "requirement": "立即改正",
                "legal_basis": "《城市道路管理条例》第三十一条",
                "deadline": "2099-01-01",
            },
        )
        doc = svc.issue(doc.id, pdf_bytes_fn=pdf_bytes_fn(lap.store))
        pdf = plain_pdf(svc.pdf_path(doc), tmp_path / "issued.pdf")
        assert main(["verify-doc", str(pdf), "--server", platform[0].url]) == 1  # not synced yet: unknown
        lap.sync()
        assert main(["verify-doc", str(pdf), "--server", platform[0].url]) == 0
        forged = tmp_path / "forged.pdf"
        inp = build(lap.store, doc)
        forged.write_bytes(
            render_pdf(dataclasses.replace(inp, values={**inp.values, "requirement": "无需改正"}))
        )
        assert main(["verify-doc", str(forged), "--server", platform[0].url]) == 1
    finally:
        lap.close()
