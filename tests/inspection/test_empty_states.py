"""Empty lists say what to do next (the evidence gallery, the plans to start from, the planning list, the
high-frequency matters table), and count charts use whole-number ticks with no number twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.inspections.service import InspectionService
from app.store import Store
from tests.inspection.district import OFFICER, exif_photo
from tests.inspection.ui_support import make_ctx, settle

pytestmark = [pytest.mark.ui, pytest.mark.usefixtures("chinese")]


def test_empty_gallery_says_how_to_add_evidence_and_the_hint_goes_with_the_first_file(
    qtbot: QtBot, district: Store, started: str, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from ui.evidence.gallery import EvidenceGallery

    ctx = make_ctx(district, OFFICER)
    service = InspectionService(district, OFFICER)
    gallery = EvidenceGallery(ctx, service)
    qtbot.addWidget(gallery)
    gallery.resize(900, 600)
    gallery.show()
    gallery.set_snapshot(service.load(started))
    gallery.changed.connect(lambda: gallery.set_snapshot(service.load(started)))
    settle(qtbot, ctx)
    hint = gallery.empty_hint
    assert hint.isVisible() and "还没有证据" in hint.text() and "导入文件" in hint.text()
    importer = gallery.import_paths([exif_photo(tmp_path / "a.jpg", datetime(2026, 3, 1, 2, 0, tzinfo=UTC))])
    assert importer is not None
    with qtbot.waitSignal(importer.finished, timeout=20_000):
        pass
    settle(qtbot, ctx)
    qtbot.waitUntil(lambda: gallery.model.rowCount() == 1, timeout=10_000)
    assert not hint.isVisible()
    ctx.runner.cancel_all()
    ctx.runner.wait(10_000)


def test_empty_plan_lists_point_to_the_next_step(qtbot: QtBot, district: Store) -> None:
    from ui.inspection.list_page import InspectionListPage

    page = InspectionListPage()
    qtbot.addWidget(page)
    page.show()
    page.set_rows([], [])
    assert page.plan_hint.isVisible() and "开始检查" in page.plan_hint.text()


@pytest.mark.parametrize("maximum", [0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 13, 17, 23, 37, 64, 99, 101, 250, 1234])
def test_count_axes_have_distinct_whole_number_ticks(qapp: Any, maximum: int) -> None:
    from ui.stats.charts import integer_axis, integer_ticks

    top, step = integer_ticks(maximum)
    axis = integer_axis(maximum)
    ticks = [axis.min() + i * (axis.max() - axis.min()) / (axis.tickCount() - 1) for i in range(axis.tickCount())]
    labels = [axis.labelFormat() % t for t in ticks]
    assert top >= maximum and all(float(t).is_integer() for t in ticks)
    assert len(set(labels)) == len(labels) and 2 <= axis.tickCount() <= 7
    assert step in {1, 2, 5} or str(step).rstrip("0") in {"1", "2", "5"}
