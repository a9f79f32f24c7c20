"""Typed change topics (after Anki's OpChanges): what a write changed, named by `Topic` members, never strings.

A `Changes` value says which kinds of thing an operation changed; views refresh only when `changes.touches(...)`
one of theirs. It is derived from the writes themselves, so an operation cannot forget to say what it changed:
`track()` collects the tables every INSERT / UPDATE / DELETE touched on this thread (an engine hook installed by
`watch(engine)`, which the Store does for its engine) and `changes_of_tables` maps them to topics
(`ENTITY_TOPICS` per synced entity, `LOCAL_TABLE_TOPICS` for the laptop's own tables). Records the sync engine
bulk-inserts below SQLAlchemy are reported from the entities it applied (`changes_of_entities`).

A misspelt topic is an AttributeError (`Topic.TASKZ`), and `touches("tasks")` raises TypeError.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.sql.dml import UpdateBase


class Topic(StrEnum):
    TASKS = "tasks"
    DIRECTORY = "directory"  # townships, departments, units, grids, officers, targets
    PLANS = "plans"
    INSPECTIONS = "inspections"
    EVIDENCE = "evidence"
    DOCUMENTS = "documents"
    CONFLICTS = "conflicts"
    CATALOGUE = "catalogue"
    LOOPS = "loops"
    CASES = "cases"
    SYNC = "sync"  # the outbox, uploads, conflicts or sync state: the pending figures change


@dataclass(frozen=True)
class Changes:
    """What one operation (a store job, a sync) changed."""

    topics: frozenset[Topic] = frozenset()

    @classmethod
    def of(cls, *topics: Topic) -> Changes:
        return cls(frozenset(_checked(topics)))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.topics | other.topics)

    def __bool__(self) -> bool:
        return bool(self.topics)

    def touches(self, *topics: Topic) -> bool:
        return not self.topics.isdisjoint(_checked(topics))


NOTHING = Changes()

_T = Topic
#: the topics a change of each synced entity (by wire name, `app.ownership.ENTITY_NAMES`) touches
ENTITY_TOPICS: dict[str, frozenset[Topic]] = {
    name: frozenset(topics)
    for name, topics in {
        "task": (_T.TASKS,),
        "township": (_T.DIRECTORY,), "department": (_T.DIRECTORY,), "unit": (_T.DIRECTORY,),
        "grid": (_T.DIRECTORY,), "officer": (_T.DIRECTORY,), "officer_interest": (_T.DIRECTORY,),
        "target": (_T.DIRECTORY,),
        "inspection_plan": (_T.PLANS,), "random_draw": (_T.PLANS,),
        "inspection": (_T.INSPECTIONS,), "finding": (_T.INSPECTIONS,),
        "evidence": (_T.EVIDENCE,), "document": (_T.DOCUMENTS,), "referral": (_T.DOCUMENTS, _T.CASES),
        "catalogue_version": (_T.CATALOGUE,), "matter": (_T.CATALOGUE,), "matter_empowerment": (_T.CATALOGUE,),
        "intervention": (_T.LOOPS,), "response_checkin": (_T.LOOPS,), "complainant": (_T.LOOPS,),
        "complaint_reply": (_T.LOOPS,), "notice_reply": (_T.LOOPS,), "grid_tier_change": (_T.LOOPS, _T.PLANS),
        "case": (_T.CASES,), "case_config": (_T.CASES,),
    }.items()
}
#: the laptop's own tables (not synced as entities) that a view shows
LOCAL_TABLE_TOPICS: dict[str, frozenset[Topic]] = {
    name: frozenset(topics)
    for name, topics in {
        "task_assignees": (_T.TASKS,), "task_matters": (_T.TASKS,), "task_events": (_T.TASKS,),
        "uploads": (_T.EVIDENCE, _T.SYNC), "number_blocks": (_T.DOCUMENTS,),
        "conflicts": (_T.CONFLICTS, _T.SYNC), "outbox": (_T.SYNC,), "sync_state": (_T.SYNC,),
    }.items()
}


@cache
def table_topics() -> dict[str, frozenset[Topic]]:
    """Every stored table a view shows, and the topics a change of it touches."""
    from app.entities import SPECS

    return {**{spec.model.__tablename__: ENTITY_TOPICS[name] for name, spec in SPECS.items()},
            **LOCAL_TABLE_TOPICS}


def changes_of_tables(names: Iterable[str]) -> Changes:
    """Tables without a view (the audit chain, the search index) change no topic."""
    topics = table_topics()
    return Changes(frozenset(t for name in names for t in topics.get(name, ())))


def changes_of_entities(entities: Iterable[str]) -> Changes:
    """The topics of records named by their wire entity, e.g. the entities a pull applied."""
    return Changes(frozenset(t for e in entities for t in ENTITY_TOPICS.get(e, ())))


def _checked(topics: Iterable[Any]) -> Iterator[Topic]:
    for topic in topics:
        if not isinstance(topic, Topic):
            raise TypeError(f"not a Topic: {topic!r}")
        yield topic


# ---- tracking -------------------------------------------------------------------------------------------

@dataclass
class Tracked:
    """The tables written on this thread while `track()` was open."""

    tables: set[str] = field(default_factory=set)

    @property
    def changes(self) -> Changes:
        return changes_of_tables(self.tables)


_local = threading.local()


def _open() -> list[Tracked]:
    stack: list[Tracked] | None = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


@contextmanager
def track() -> Iterator[Tracked]:
    """Collect what the writes made on this thread inside the block touched (nested blocks each see theirs)."""
    tracked = Tracked()
    stack = _open()
    stack.append(tracked)
    try:
        yield tracked
    finally:
        stack.remove(tracked)


def watch(engine: Engine) -> None:
    """Let `track()` see the statements run through `engine` (idempotent)."""
    if not event.contains(engine, "after_execute", _after_execute):
        event.listen(engine, "after_execute", _after_execute)


def _after_execute(_conn: Any, clause: Any, *_args: Any) -> None:
    stack = getattr(_local, "stack", None)
    if stack and isinstance(clause, UpdateBase):
        name = getattr(clause.table, "name", None)
        if name:
            for tracked in stack:
                tracked.tables.add(name)
