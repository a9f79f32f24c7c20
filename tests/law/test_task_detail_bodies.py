"""Task detail asks the authority: the body on the day, its edition, and the authority's refusal as the note
(an unknown township mode is an error, never a silent 派驻)."""

from __future__ import annotations

from datetime import date

from app import models as m
from app.readmodels.task_detail import enforcing_bodies
from app.store import Store
from tests.law.district import ADDED, DEEMPOWERED, EMPOWERED, build


def test_detail_bodies_follow_the_day(store: Store) -> None:
    build(store)
    with store.read() as s:
        xd = s.get(m.Township, "xd")
        before = enforcing_bodies(s, xd, [DEEMPOWERED, EMPOWERED, ADDED], date(2026, 12, 31))
        after = enforcing_bodies(s, xd, [DEEMPOWERED, ADDED], date(2027, 1, 1))
    assert (before[DEEMPOWERED].body_kind, before[DEEMPOWERED].reason) == ("township", "empowered")
    assert "第 1 版" in before[DEEMPOWERED].edition
    assert before[ADDED].body == "" and "不在" in before[ADDED].note  # not yet in the edition in force
    assert (after[DEEMPOWERED].body, after[DEEMPOWERED].reason) == ("杭州市富阳区住房和城乡建设局", "not_empowered")
    assert after[ADDED].body_kind == "township"


def test_unknown_township_mode_is_shown_not_guessed(store: Store) -> None:
    build(store)
    with store.write() as s:
        s.get(m.Township, "yh").mode = "joint"
    with store.read() as s:
        out = enforcing_bodies(s, s.get(m.Township, "yh"), [EMPOWERED], date(2026, 5, 1))
    assert out[EMPOWERED].body == "" and out[EMPOWERED].body_kind == ""
    assert "执法模式「joint」无法识别" in out[EMPOWERED].note
