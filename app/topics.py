"""Typed change topics (after Anki's OpChanges): what a write changed, named by `Topic` members, never strings.

A `Changes` value says which kinds of thing an operation changed; views refresh only when `changes.touches(...)`
one of theirs. It is derived from the writes themselves, so an operation cannot forget to say what it changed:
`track()` collects the tables every INSERT / UPDATE / DELETE touched on this thread (an engine hook installed by
`watch(engine)`, which the Store does for its engine) and `changes_of_tables` maps them to topics. Records the
sync engine bulk-inserts below SQLAlchemy are reported from the entities it applied (`changes_of_entities`).

A misspelt topic is an AttributeError (`Topic.TASKZ`), and `touches("tasks")` raises TypeError.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
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
#: every stored table whose rows a view shows, and the topics a change of them touches
TABLE_TOPICS: dict[str, frozenset[Topic]] = {
    name: frozenset(topics)
    for name, topics in {
        "tasks": (_T.TASKS,), "task_assignees": (_T.TASKS,), "task_matters": (_T.TASKS,),
        "task_events": (_T.TASKS,),
        "townships": (_T.DIRECTORY,), "departments": (_T.DIRECTORY,), "units": (_T.DIRECTORY,),
        "grids": (_T.DIRECTORY,), "officers": (_T.DIRECTORY,), "officer_interests": (_T.DIRECTORY,),
        "targets": (_T.DIRECTORY,),
        "inspection_plans": (_T.PLANS,), "random_draws": (_T.PLANS,),
        "inspections": (_T.INSPECTIONS,), "findings": (_T.INSPECTIONS,),
        "evidence": (_T.EVIDENCE,), "uploads": (_T.EVIDENCE, _T.SYNC),
        "documents": (_T.DOCUMENTS,), "number_blocks": (_T.DOCUMENTS,), "referrals": (_T.DOCUMENTS, _T.CASES),
        "catalogue_versions": (_T.CATALOGUE,), "matters": (_T.CATALOGUE,), "matter_empowerments": (_T.CATALOGUE,),
        "interventions": (_T.LOOPS,), "response_checkins": (_T.LOOPS,), "complainants": (_T.LOOPS,),
        "complaint_replies": (_T.LOOPS,), "notice_replies": (_T.LOOPS,), "grid_tier_changes": (_T.LOOPS, _T.PLANS),
        "cases": (_T.CASES,), "case_config": (_T.CASES,),
        "conflicts": (_T.CONFLICTS, _T.SYNC), "outbox": (_T.SYNC,), "sync_state": (_T.SYNC,),
    }.items()
}


def changes_of_tables(names: Iterable[str]) -> Changes:
    """Tables without a view (the audit chain, the search index) change no topic."""
    return Changes(frozenset(t for name in names for t in TABLE_TOPICS.get(name, ())))


def changes_of_entities(entities: Iterable[str]) -> Changes:
    """The topics of records named by their wire entity (`app.entities.SPECS`), e.g. the entities of a pull."""
    from app.entities import SPECS

    return changes_of_tables(SPECS[e].model.__tablename__ for e in set(entities) if e in SPECS)


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
