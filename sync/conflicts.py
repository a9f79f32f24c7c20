"""Open conflicts for a person to decide, and their resolution.

Resolving sets the local record's field to the chosen value (the local one, the platform's, or a merged text),
marks the conflict resolved and — unless the choice equals the platform's value — queues an update whose base
is the platform's value (`app.changes.record_custom_update`), so the platform applies it cleanly and every
other laptop receives the decision with its next pull. A `deleted` conflict (the platform deleted a record that
still had local work) is resolved with "server" (drop the local record) or "local" (keep it on this laptop).
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select

from app import audit, changes
from app import models as m
from app.errors import DomainError, ValidationError
from app.identity import CurrentUser
from app.store import Store
from sync.local import model_of, same, set_wire

Choice = Literal["local", "server", "merged"]


def list_open(store: Store, entity: str | None = None, entity_id: str | None = None) -> list[m.Conflict]:
    with store.read() as session:
        query = select(m.Conflict).where(m.Conflict.status == "open").order_by(m.Conflict.created_at)
        if entity is not None:
            query = query.where(m.Conflict.entity == entity)
        if entity_id is not None:
            query = query.where(m.Conflict.entity_id == entity_id)
        return list(session.scalars(query))


def resolve_conflict(
    store: Store, conflict_id: str, choice: Choice, merged_value: Any = None, *, actor: str | CurrentUser
) -> m.Conflict:
    """Decide one open conflict; returns the resolved row. Refusals raise `DomainError` and change nothing."""
    who = actor.actor if isinstance(actor, CurrentUser) else actor
    if choice not in ("local", "server", "merged"):
        raise ValidationError(f"未知的冲突处理方式「{choice}」", code="bad_choice")
    if choice == "merged" and merged_value is None:
        raise ValidationError("选择合并时必须给出合并后的内容", code="merged_value_required")
    with store.write() as session:
        conflict = session.get(m.Conflict, conflict_id)
        if conflict is None or conflict.status != "open":
            raise DomainError("该冲突不存在或已被处理", code="not_found")
        obj = session.get(model_of(conflict.entity), conflict.entity_id)
        if conflict.kind == "deleted":
            if choice == "server" and obj is not None:
                session.delete(obj)
            _close(session, conflict, choice, who, value=None)
            return conflict
        if obj is None:
            raise DomainError("冲突所涉及的记录已不存在", code="not_found")
        value = {"local": conflict.local_value, "server": conflict.server_value, "merged": merged_value}[choice]
        try:
            set_wire(session, obj, conflict.field, value)
        except (KeyError, ValueError, TypeError) as exc:
            raise ValidationError(f"「{conflict.field}」的取值无效", code="bad_value") from exc
        if same(value, conflict.server_value):
            _close(session, conflict, choice, who, value=value)
        else:
            changes.record_custom_update(
                session, entity=conflict.entity, entity_id=conflict.entity_id, fields={conflict.field: value},
                base={conflict.field: conflict.server_value}, base_version=conflict.server_version, actor=who,
                reason=f"处理冲突：{ {'local': '保留本机', 'merged': '合并'}.get(choice, choice) }",
            )
            _close(session, conflict, choice, who, value=value, audited=True)
        return conflict


def _close(session: Any, conflict: m.Conflict, choice: str, who: str, *, value: Any, audited: bool = False) -> None:
    conflict.status = "resolved"
    conflict.resolution = choice
    conflict.resolved_at = m.utcnow()
    if not audited:
        audit.append(
            session, actor=who, action="resolve_conflict", entity=conflict.entity, entity_id=conflict.entity_id,
            detail={"field": conflict.field, "choice": choice, "value": value},
        )
