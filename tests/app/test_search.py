"""Chinese full-text search finds two-character words as well as longer ones, and stays current on edits."""

from __future__ import annotations

import pytest

from app import search
from app.models import Task
from app.store import Store
from tests.support.factories import OFFICER, basic_district


@pytest.mark.parametrize(
    ("text", "query", "hit"),
    [
        ("城南路餐饮店油烟扰民", "油烟", True),
        ("城南路餐饮店油烟扰民", "油烟扰民", True),
        ("城南路餐饮店油烟扰民", "扰", True),
        ("城南路违建举报", "违建", True),
        ("工业园区占道经营", "占道", True),
        ("工业园区占道经营", "道经营", True),
        ("城南路餐饮店油烟扰民", "烟油", False),
        ("城南路餐饮店油烟扰民", "违建", False),
        ("编号 FYZH-2026-000123 的指令", "fyzh", True),
        ("编号 FYZH-2026-000123 的指令", "000123", True),
        ("编号 FYZH-2026-000123 的指令", "指令 fyzh", True),
    ],
)
def test_bigram_matching(store: Store, text: str, query: str, hit: bool) -> None:
    with store.write() as s:
        search.upsert(s, "task", "x", search.index_text(text))
    with store.read() as s:
        assert (search.search_ids(s, "task", query) == ["x"]) is hit


def test_empty_or_punctuation_query_finds_nothing(store: Store) -> None:
    with store.read() as s:
        assert search.search_ids(s, "task", "  ，。") == []


def test_index_follows_orm_writes(store: Store) -> None:
    basic_district(store, tasks=2)
    with store.read() as s:
        assert sorted(search.search_ids(s, "task", "油烟")) == ["t0", "t1"]
        assert search.search_ids(s, "target", "老王") == ["tg1"]
    from app.services.tasks import TaskService

    TaskService(store, OFFICER).edit_text("t1", notes="现场发现占道经营")
    with store.read() as s:
        assert search.search_ids(s, "task", "占道") == ["t1"]
    with store.write() as s:
        s.delete(s.get(Task, "t0"))
    with store.read() as s:
        assert search.search_ids(s, "task", "油烟") == ["t1"]
