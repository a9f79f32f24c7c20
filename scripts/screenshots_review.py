#!/usr/bin/env python3
"""Regenerate docs/screenshots/case-self-check.png: the 案件 area's 自查 result for a case file with two seeded
defects (a recording missing for the decision's service, the 事先告知书 under a body the catalogue does not give
it on its date). Builds the file through the real services (tests/cases/review_file.py) in a throwaway directory:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_review.py [--pdf OUT.pdf]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots" / "case-self-check.png"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdf", type=Path, help="also write the self-check PDF here")
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import update

    from app import models as m
    from app.paths import DataPaths
    from app.store import Store
    from tests.cases import district
    from tests.cases.review_file import complete_case
    from ui.cases.area import CasesArea
    from ui.context import AppContext, ChangeBus
    from ui.i18n import install_translators
    from ui.runner import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv)
    install_translators(app)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(DataPaths(Path(tmp) / "data"))
        district.build(store)
        f = complete_case(store, Path(tmp) / "files", recordings=2)
        with store.write() as s:
            s.execute(update(m.Document).where(m.Document.id == f.notice_id).values(
                body_id="dept_zf", body_legal_name="杭州市富阳区综合行政执法局", number_prefix="富综执"))
        runner = TaskRunner()
        area = CasesArea(AppContext(store=store, user=district.OFFICER, runner=runner, bus=ChangeBus()))
        area.resize(1366, 768)
        area.show()
        area.scope.setCurrentIndex(1)

        def wait(cond: object, seconds: float = 20) -> None:
            end = time.monotonic() + seconds
            while not cond() and time.monotonic() < end:
                app.processEvents()
                time.sleep(0.02)

        wait(lambda: area.model.rowCount() == 1)
        area.view.selectRow(0)
        wait(lambda: area.buttons["check"].isEnabled())
        area.self_check()
        wait(lambda: area.dialog is not None and area.dialog.isVisible())
        dialog = area.dialog
        dialog.resize(1300, 420)
        for _ in range(20):
            app.processEvents()
        OUT.parent.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(OUT))
        print(OUT)
        if args.pdf:
            from ui.cases.self_check import export_pdf

            print(export_pdf(dialog.reviews, args.pdf))
        runner.store_pool.waitForDone(5000)
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
