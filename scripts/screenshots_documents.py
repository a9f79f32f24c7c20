#!/usr/bin/env python3
"""Screenshots of the 文书 area at 1366×768 (docs/screenshots/documents.png, print-preview.png,
shortcuts.png): every document type issued from the sample inspection in a throw-away store; the print preview
shows the issued PDF's own page (the same page that prints and exports).

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_documents.py
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget
from shots import SIZE, Shots


def main() -> int:
    import ui.documents  # noqa: F401  (the None-refcount guard, before any rendering)
    from app.documents.samples import CLERK, issue_samples
    from ui.context import AppContext, ChangeBus
    from ui.documents.renderer import pdf_bytes_fn
    from ui.main_window import MainWindow
    from ui.settings import Settings

    shots = Shots("lxt-doc-shots-")
    store = shots.client("data")
    issue_samples(store, pdf_bytes_fn(store))
    ctx = AppContext(store, CLERK, shots.runner, ChangeBus(), settings=Settings(shots.tmp / "ui.ini"))
    window = MainWindow(ctx)
    window.resize(*SIZE)
    window.show()
    area = window.show_area("documents")
    assert area is not None
    shots.wait(lambda: area.model.rowCount() > 0, 30)
    row = next(i for i in range(area.model.rowCount()) if area.model.row_at(i).doc_type == "correction_order")
    area.view.selectRow(row)
    shots.wait(lambda: area.current is not None, 30)
    shots.settle(0.3)
    shots.save(window, "documents.png")

    shown: list[QWidget] = []
    area.printer.preview(area.current, on_shown=shown.append)
    shots.wait(lambda: bool(shown), 30)
    dialog = shown[0]
    dialog.resize(*SIZE)
    dialog.show()
    shots.settle(0.8)
    shots.save(dialog, "print-preview.png")
    dialog.close()

    shortcuts = window.show_shortcuts()
    shortcuts.resize(640, 520)
    shots.settle(0.3)
    shots.save(shortcuts, "shortcuts.png")
    shortcuts.close()
    ctx.runner.wait(10_000)
    window.close()
    shots.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
