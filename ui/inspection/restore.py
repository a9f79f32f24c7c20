"""Where the officer was: the open inspection, its tab and the focused field, kept in the data dir's UI settings
and flushed to disk at once, so that after a crash (or `kill -9`) the app reopens the record where it was."""

from __future__ import annotations

from dataclasses import dataclass

from ui.context import AppContext
from ui.settings import Settings
from ui.widgets.qtypes import setting_int

KEY_ID = "inspection/open_id"
KEY_TAB = "inspection/tab"
KEY_FOCUS = "inspection/focus"
KEY_AREA = "window/area"  # the main window's remembered area (ui.main_window)


@dataclass(frozen=True)
class OpenState:
    inspection_id: str
    tab: int
    focus: str


def settings_of(ctx: AppContext) -> Settings:
    if ctx.settings is None:
        ctx.settings = Settings.in_data_dir(ctx.store.paths.root)
    return ctx.settings


def load_state(ctx: AppContext) -> OpenState | None:
    s = settings_of(ctx)
    iid = str(s.value(KEY_ID, "") or "")
    if not iid:
        return None
    tab = setting_int(s, KEY_TAB, 0)
    return OpenState(iid, tab, str(s.value(KEY_FOCUS, "") or ""))


def save_state(ctx: AppContext, inspection_id: str | None, tab: int = 0, focus: str = "") -> None:
    """Remember (and flush at once) the open record; while one is open the main window is told to come back
    to the 检查 area, so that a restart after a crash lands on it."""
    s = settings_of(ctx)
    s.set_value(KEY_ID, inspection_id or "")
    if inspection_id:
        from ui.areas import AREAS

        s.set_value(KEY_AREA, next(i for i, a in enumerate(AREAS) if a.key == "inspections"))
    s.set_value(KEY_TAB, int(tab))
    s.set_value(KEY_FOCUS, focus)
    s.sync()
