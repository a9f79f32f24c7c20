#!/usr/bin/env python3
"""Regenerate docs/screenshots/cases.png (the 案件 area with a case and its clocks) and case-self-check.png: the
案件 area's 自查 result for a case file with two seeded
defects (a recording missing for the decision's service, the 事先告知书 under a body the catalogue does not give
it on its date). Builds the file through the real services (tests/cases/review_file.py) in a throwaway directory:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_review.py [--pdf OUT.pdf]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from shots import Shots


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdf", type=Path, help="also write the self-check PDF here")
    args = parser.parse_args()
    from sqlalchemy import update

    from app import models as m
    from tests.cases import district
    from tests.cases.review_file import complete_case
    from ui.cases.area import CasesArea
    from ui.context import AppContext, ChangeBus

    shots = Shots("lxt-review-shots-")
    store = shots.client("data")
    district.build(store)
    f = complete_case(store, shots.tmp / "files", recordings=2)
    with store.write() as s:
        s.execute(update(m.Document).where(m.Document.id == f.notice_id).values(
            body_id="dept_zf", body_legal_name="杭州市富阳区综合行政执法局", number_prefix="富综执"))
    area = CasesArea(AppContext(store=store, user=district.OFFICER, runner=shots.runner, bus=ChangeBus()))
    area.resize(1366, 768)
    area.show()
    area.scope.setCurrentIndex(1)
    shots.wait(lambda: area.model.rowCount() == 1, 20)
    area.view.selectRow(0)
    shots.wait(lambda: area.buttons["check"].isEnabled(), 20)
    shots.settle(0.3)
    shots.save(area, "cases.png")
    area.self_check()
    shots.wait(lambda: area.dialog is not None and area.dialog.isVisible(), 20)
    dialog = area.dialog
    dialog.resize(1300, 420)
    shots.settle(0.2)
    shots.save(dialog, "case-self-check.png")
    if args.pdf:
        from ui.cases.self_check import export_pdf

        print(export_pdf(dialog.reviews, args.pdf))
    shots.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
