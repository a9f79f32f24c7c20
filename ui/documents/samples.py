"""`python -m lianxuntong render-samples --out DIR`: a filled example of every document type, rendered to PDF from the
demo district (or the built-in fixture), in a throw-away data dir."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from app.documents.samples import issue_samples
from app.evidence_store import read_sealed
from app.paths import DataPaths
from app.store import Store


def ensure_gui_app() -> object:
    """A QGuiApplication for headless rendering (offscreen when there is no display)."""
    import os

    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(sys.argv[:1])
    return app


def render_samples(out: str | Path) -> int:
    ensure_gui_app()
    from ui.documents.renderer import pdf_bytes_fn

    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="lxt-render-samples-"))
    store = Store.open(DataPaths(work / "data"))
    try:
        docs = issue_samples(store, pdf_bytes_fn(store))
        for doc in docs:
            dest = target / f"{doc.doc_type}.pdf"
            dest.write_bytes(read_sealed(store.paths.documents / f"{doc.id}.pdf"))
            print(f"{doc.doc_type}: {doc.number}  {dest}")
    finally:
        store.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0
