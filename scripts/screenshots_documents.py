#!/usr/bin/env python3
"""Screenshots of the 文书 area at 1366×768 (docs/screenshots/documents.png, print-preview.png,
shortcuts.png): every document type issued from the sample inspection in a throw-away store; the print preview
shows the issued PDF's own page (the same page that prints and exports).

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_documents.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = (1366, 768)


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(pred, timeout: int = 30_000) -> None:
    waited = 0
    while not pred():
        wait(50)
        waited += 50
        if waited > timeout:
            raise TimeoutError("screen did not settle")


def shot(widget: QWidget, name: str) -> None:
    widget.grab().save(str(OUT / name))
    print("wrote", OUT / name)


def main() -> int:
    import ui.documents  # noqa: F401  (the None-refcount guard, before any rendering)
    from app.documents.samples import CLERK, issue_samples
    from app.paths import DataPaths
    from app.store import Store
    from ui.context import AppContext, ChangeBus
    from ui.documents.renderer import pdf_bytes_fn
    from ui.i18n import install_translators
    from ui.main_window import MainWindow
    from ui.runner import TaskRunner
    from ui.settings import Settings
    from ui.theme import apply_style

    app = QApplication.instance() or QApplication(sys.argv)
    apply_style(app)
    keep = install_translators(app)
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.TemporaryDirectory(prefix="lxt-doc-shots-")
    store = Store.open(DataPaths(Path(tmp.name) / "data"))
    issue_samples(store, pdf_bytes_fn(store))
    ctx = AppContext(store, CLERK, TaskRunner(), ChangeBus(), settings=Settings(Path(tmp.name) / "ui.ini"))
    window = MainWindow(ctx)
    window.resize(*SIZE)
    window.show()
    area = window.show_area("documents")
    assert area is not None
    until(lambda: area.model.rowCount() > 0)
    row = next(i for i in range(area.model.rowCount()) if area.model.row_at(i).doc_type == "correction_order")
    area.view.selectRow(row)
    until(lambda: area.current is not None)
    wait(300)
    shot(window, "documents.png")

    shown: list[QWidget] = []
    area.printer.preview(area.current, on_shown=shown.append)
    until(lambda: bool(shown))
    dialog = shown[0]
    dialog.resize(*SIZE)
    dialog.show()
    wait(800)
    shot(dialog, "print-preview.png")
    dialog.close()

    shortcuts = window.show_shortcuts()
    shortcuts.resize(640, 520)
    wait(300)
    shot(shortcuts, "shortcuts.png")
    shortcuts.close()
    ctx.runner.wait(10_000)
    window.close()
    store.close()
    del keep
    return 0


if __name__ == "__main__":
    sys.exit(main())
