"""Seeding the demo district into a real store, and topping it up with generated volume."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app import models as m
from app.audit import verify_chain
from app.demo import build_dataset, seed_store
from app.demo.scale import add_volume
from app.demo.seed import entity_order
from app.entities import SPECS, to_wire
from app.paths import DataPaths
from app.search import search_ids
from app.store import Store

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict]]:
    return build_dataset(today=TODAY)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, data: dict[str, list[dict]]) -> Iterator[tuple[Store, dict]]:
    store = Store.open(DataPaths(tmp_path_factory.mktemp("seeded")))
    counts = seed_store(store, data)
    yield store, counts
    store.close()


def _same_instant(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str) and "T" in a and "T" in b:
        try:
            return datetime.fromisoformat(a) == datetime.fromisoformat(b)
        except ValueError:
            return a == b
    return a == b


def test_parents_come_first() -> None:
    order = entity_order()
    assert order.index("township") < order.index("grid") < order.index("target") < order.index("task")
    assert order.index("department") < order.index("matter")


def test_row_counts(seeded: tuple[Store, dict], data: dict[str, list[dict]]) -> None:
    store, counts = seeded
    tasks = data["task"]
    expected = {e: len(rows) for e, rows in data.items() if rows}
    expected |= {
        "task_assignee": sum(len(t["assignee_ids"]) for t in tasks),
        "task_matter": sum(len(t["matter_codes"]) for t in tasks),
        "task_event": sum(len(t["events"]) for t in tasks),
        "search_index": len(tasks) + len(data["target"]) + len(data["finding"]),
    }
    assert counts == expected
    with store.read() as s:
        for entity, n in expected.items():
            model = SPECS[entity].model if entity in SPECS else {
                "task_assignee": m.TaskAssignee, "task_matter": m.TaskMatter, "task_event": m.TaskEvent}.get(entity)
            if model is not None:
                assert s.scalar(select(func.count()).select_from(model)) == n, entity
        assert s.execute(text("SELECT count(*) FROM search_docs")).scalar() == expected["search_index"]


def test_one_audit_event_and_intact_chain(seeded: tuple[Store, dict]) -> None:
    store, counts = seeded
    with store.read() as s:
        events = s.scalars(select(m.AuditEvent)).all()
        assert [(e.action, e.entity_id) for e in events] == [("seed", "demo")]
        assert events[0].detail["counts"]["task"] == counts["task"]
        assert verify_chain(s).ok


def test_records_read_back_as_their_wire_form(seeded: tuple[Store, dict], data: dict[str, list[dict]]) -> None:
    store, _ = seeded
    with store.read() as s:
        for entity in ("township", "officer", "target", "matter", "task", "matter_empowerment"):
            model = SPECS[entity].model
            for wire in data[entity][:25]:
                got = to_wire(s.get(model, wire["id"]))
                for key, value in got.items():
                    if key == "events":
                        assert len(value) == len(wire["events"])
                        for a, b in zip(value, wire["events"], strict=True):
                            assert all(_same_instant(a[k], b[k]) for k in b), (a, b)
                    else:
                        assert _same_instant(value, wire[key]), (entity, key, value, wire[key])
        task = s.get(m.Task, data["task"][0]["id"])
        assert all(e.synced for e in task.events)
        assert s.get(m.CatalogueVersion, 2).effective_date.isoformat() == data["catalogue_version"][1][
            "effective_date"]


def test_tasks_and_targets_are_searchable(seeded: tuple[Store, dict], data: dict[str, list[dict]]) -> None:
    store, _ = seeded
    with store.read() as s:
        oil = search_ids(s, "task", "油烟")
        assert set(oil) == {t["id"] for t in data["task"] if "油烟" in t["title"] + t["description"]}
        number = data["task"][5]["number"]
        assert data["task"][5]["id"] in search_ids(s, "task", number)
        assert search_ids(s, "target", "餐饮")
        code = next(t for t in data["target"] if t["credit_code"])
        assert code["id"] in search_ids(s, "target", code["credit_code"])


def test_add_volume_writes_ordinary_rows(tmp_path: Path) -> None:
    store = Store.open(DataPaths(tmp_path))
    try:
        seed_store(store, build_dataset(tasks=20, today=TODAY))
        seen: list[tuple[str, int, int]] = []
        counts = add_volume(store, tasks=300, findings=2_000, today=TODAY, task_batch=128, finding_batch=700,
                            progress=lambda stage, done, total: seen.append((stage, done, total)))
        assert counts["task"] == 300 and counts["finding"] == 2_000
        assert seen[-1] == ("finding", 2_000, 2_000) and ("task", 300, 300) in seen
        again = add_volume(store, tasks=5, findings=5, today=TODAY)  # same seed: ids must not collide
        assert again["task"] == 5
        with store.read() as s:
            assert s.scalar(select(func.count()).select_from(m.Task)) == 325
            assert s.scalar(select(func.count()).select_from(m.Finding)) == 2_005
            volume_events = select(func.count()).select_from(m.TaskEvent).where(m.TaskEvent.task_id.like("v7-%"))
            assert s.scalar(volume_events) == counts["task_event"] + again["task_event"]
            for task in s.scalars(select(m.Task).where(m.Task.id.like("v7-%")).limit(100)):
                status = "pending"
                for ev in task.events:
                    assert ev.from_status == status and ev.at.tzinfo is not None
                    status = ev.to_status
                assert status == task.status
                assert task.assignees and task.matters and task.deadline > task.dispatched_at
            results = dict(s.execute(select(m.Finding.result, func.count()).group_by(m.Finding.result)).all())
            assert set(results) == {"compliant", "violation", "not_applicable"}
            first, last = s.execute(select(func.min(m.Finding.found_at), func.max(m.Finding.found_at))).one()
            assert (last - first).days > 600
            finding = s.scalars(select(m.Finding).limit(1)).one()
            assert finding.target_id and finding.grid_id and finding.matter_code and finding.check_point
            assert search_ids(s, "finding", finding.check_point[:4])
            assert len(s.scalars(select(m.AuditEvent)).all()) == 3 and verify_chain(s).ok
    finally:
        store.close()
