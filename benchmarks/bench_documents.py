#!/usr/bin/env python3
"""Document rendering: median time to render one document of each type to PDF, and a batch of 100 documents
(render + issue: number from the blocks, hash, PDF saved) — against a floor measured in the same run, a
QPdfWriter page with one line of the same font (the fixed cost of a PDF with an embedded CJK font).

    .venv/bin/python benchmarks/bench_documents.py            # 5 rounds per type, batch of 100
    .venv/bin/python benchmarks/bench_documents.py --rounds 9 --batch 200
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def floor_ms(rounds: int) -> float:
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QPainter, QPdfWriter

    from ui.documents.fonts import document_font

    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buf)
        writer.setResolution(300)
        painter = QPainter(writer)
        painter.setFont(document_font(12))
        painter.drawText(300, 300, "杭州市富阳区新登镇人民政府 新登镇综执责改〔2026〕1号")
        painter.end()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--batch", type=int, default=100)
    args = ap.parse_args()

    from ui.documents.samples import ensure_gui_app

    ensure_gui_app()
    from pypdf import PdfReader

    import ui.documents  # noqa: F401
    from app.documents import DocumentService
    from app.documents.render_input import build
    from app.documents.samples import CLERK, ISSUED_AT, add_demo_blocks, draft_sample, issue_samples, prepare
    from app.paths import DataPaths
    from app.store import Store
    from ui.documents.renderer import pdf_bytes_fn, render_pdf

    store = Store.open(DataPaths(Path(tempfile.mkdtemp(prefix="lxt-bench-docs-")) / "data"))
    sample = prepare(store)
    docs = issue_samples(store, pdf_bytes_fn(store), sample=sample)
    render_pdf(build(store, docs[0]))  # warm-up: font registration, first layout
    floor = floor_ms(args.rounds)
    print(f"floor (one-line QPdfWriter page, embedded UMing): {floor:.1f} ms")
    print(f"{'document type':<22}{'pages':>6}{'median ms':>11}{'× floor':>9}")
    medians = []
    for doc in docs:
        inp = build(store, doc)
        times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            pdf = render_pdf(inp)
            times.append((time.perf_counter() - t0) * 1000)
        med = statistics.median(times)
        medians.append(med)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"{doc.doc_type:<22}{pages:>6}{med:>11.1f}{med / floor:>9.1f}")
    print(
        f"{'all types (median)':<22}{'':>6}{statistics.median(medians):>11.1f}"
        f"{statistics.median(medians) / floor:>9.1f}"
    )

    svc = DocumentService(store, CLERK)
    drafts = [draft_sample(store, sample, "correction_order") for _ in range(args.batch)]
    add_demo_blocks(store, drafts[0].body_id, "correction_order", 2026, size=args.batch)
    render = pdf_bytes_fn(store)
    t0 = time.perf_counter()
    for draft in drafts:
        svc.issue(draft.id, pdf_bytes_fn=render, at=ISSUED_AT)
    batch = time.perf_counter() - t0
    print(
        f"batch: issued and rendered {args.batch} 责令改正通知书 in {batch:.2f} s "
        f"({batch / args.batch * 1000:.1f} ms each, {batch * 1000 / args.batch / floor:.1f} × floor)"
    )
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
