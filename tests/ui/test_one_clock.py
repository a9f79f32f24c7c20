"""One clock on screen: on a laptop whose system zone is UTC, the status bar, the inspection form's time editor,
the sync history and the documents list show the office's zone (Asia/Shanghai by default, configurable)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app import timefmt

pytestmark = pytest.mark.ui

MOMENT = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 in Beijing, 02:30 in Berlin


@pytest.fixture
def utc_laptop(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    assert datetime(2026, 3, 2, 1, 30).astimezone().utcoffset().total_seconds() == 0
    yield
    monkeypatch.undo()
    time.tzset()
    timefmt.set_office_zone(None)


def _shown(qtbot: Any) -> tuple[str, str]:
    from ui.inspection.basics import TimeEdit
    from ui.status_bar import SyncStatusBar

    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    bar.set_status({"last_sync_at": MOMENT})
    form = TimeEdit("started_at", "现在")
    qtbot.addWidget(form)
    form.set_value(MOMENT)
    assert form.value() == MOMENT  # stored back as the same UTC instant
    return bar.last_sync.text(), form.edit.text()


def test_status_bar_and_inspection_form_show_the_office_zone(
    utc_laptop: None, qtbot: Any, tmp_path: Path
) -> None:
    from ui.settings import Settings

    status, form = _shown(qtbot)
    assert "03-02 09:30" in status and form == "2026-03-02 09:30"

    settings = Settings(tmp_path / "ui.ini")
    assert settings.office_zone == "Asia/Shanghai"
    settings.office_zone = "Europe/Berlin"
    assert settings.apply_office_zone() == "Europe/Berlin"
    status, form = _shown(qtbot)
    assert "03-02 02:30" in status and form == "2026-03-02 02:30"
    settings.office_zone = "Mars/Olympus"  # unknown: the default, not the laptop's zone
    assert settings.apply_office_zone() == "Asia/Shanghai"
    assert os.environ["TZ"] == "UTC"


def test_every_formatter_agrees(utc_laptop: None) -> None:
    from ui.documents.models import _when as document_when
    from ui.evidence.model import local_text
    from ui.inspection.list_page import _when as inspection_when
    from ui.tasks.detail import fmt_time

    assert document_when(MOMENT) == fmt_time(MOMENT) == "2026-03-02 09:30"
    assert inspection_when(MOMENT) == "03-02 09:30"
    assert local_text(MOMENT) == "2026-03-02 09:30:00"
    assert timefmt.fmt(MOMENT.replace(tzinfo=None)) == "2026-03-02 09:30"  # naive = stored UTC
