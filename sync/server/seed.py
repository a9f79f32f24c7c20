"""Seeding the platform from a dataset (entity → wire dicts) and demo accounts; idempotent.

Records are inserted in dependency order (townships and departments before grids, targets before officers and
tasks, …) so a client applying the first full pull page by page meets parents before children. Each dict's
"version" is the record's sync version (for `catalogue_version` and `matter_empowerment` it is also the
catalogue edition and stays in the data). Documents already numbered in the dataset get a number block from 1
to their highest number, so blocks issued later never reuse a printed number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.ownership import TOWNSHIP_ENTITIES
from sync.protocol import ENTITY_NAMES
from sync.server.cases import seed_default_config
from sync.server.policy import EDITION_ENTITIES
from sync.server.records import create_record, now_iso, township_of
from sync.server.security import hash_password
from sync.server.storage import NumberBlockRow, Record, User, get_meta, set_meta, write_session

SEED_ORDER = (
    "township",
    "department",
    "unit",
    "grid",
    "target",
    "officer",
    "officer_interest",
    "catalogue_version",
    "matter",
    "matter_empowerment",
    "case_config",
    "task",
    "random_draw",
    "inspection_plan",
    "inspection",
    "finding",
    "evidence",
    "document",
    "referral",
    "complainant",
    "intervention",
    "response_checkin",
    "complaint_reply",
    "notice_reply",
    "grid_tier_change",
    "case",
)
assert set(SEED_ORDER) == set(ENTITY_NAMES)
SEED_DEVICE = "platform-seed"


def record_id(entity: str, item: Mapping[str, Any]) -> str:
    if item.get("id") is not None:
        return str(item["id"])
    if entity == "catalogue_version" and item.get("version") is not None:
        return str(item["version"])
    raise ValueError(f"{entity} record without id: {dict(item)!r:.200}")


def seed_records(session: Session, dataset: Mapping[str, Iterable[Mapping[str, Any]]]) -> int:
    """Insert every record of `dataset` that is not stored yet; returns how many were inserted."""
    unknown = set(dataset) - set(SEED_ORDER)
    if unknown:
        raise ValueError(f"unknown entities in dataset: {sorted(unknown)}")
    count = 0
    for entity in SEED_ORDER:
        for item in dataset.get(entity, ()):
            rid = record_id(entity, item)
            if session.get(Record, (entity, rid)) is not None:
                continue
            data = dict(item)
            version = int(data.get("version") or 1)
            if entity not in EDITION_ENTITIES:
                data.pop("version", None)
            township = township_of(session, entity, data)
            if entity in TOWNSHIP_ENTITIES and township is None:
                raise ValueError(f"{entity} {rid}: cannot tell which township it belongs to")
            create_record(session, entity, rid, data, version=version, township_id=township)
            count += 1
    return count


def seed_users(session: Session, accounts: Iterable[Mapping[str, Any]]) -> int:
    count = 0
    for account in accounts:
        if session.get(User, account["username"]) is not None:
            continue
        session.add(
            User(
                username=account["username"],
                name=account.get("name") or account["username"],
                role=account["role"],
                township_id=account.get("township_id"),
                officer_id=account.get("officer_id"),
                password_hash=hash_password(account["password"]),
            )
        )
        count += 1
    session.flush()
    return count


def seed_number_blocks(session: Session, dataset: Mapping[str, Iterable[Mapping[str, Any]]]) -> int:
    """One block 1..max per counter for the documents the dataset already numbered."""
    top: dict[tuple[str, str, int], int] = {}
    for doc in dataset.get("document", ()):
        body, kind, year, seq = doc.get("body_id"), doc.get("doc_type"), doc.get("year"), doc.get("seq")
        if body and kind and isinstance(year, int) and isinstance(seq, int) and seq >= 1:
            key = (str(body), str(kind), year)
            top[key] = max(top.get(key, 0), seq)
    for (body, kind, year), end in sorted(top.items()):
        session.add(
            NumberBlockRow(body_id=body, doc_type=kind, year=year, start=1, end=end, device_id=SEED_DEVICE)
        )
    return len(top)


def _seed(
    session: Session,
    dataset: Mapping[str, Iterable[Mapping[str, Any]]],
    accounts: Iterable[Mapping[str, Any]],
) -> dict[str, int]:
    if get_meta(session, "seeded"):
        return {"records": 0, "users": 0, "number_blocks": 0}
    result = {
        "records": seed_records(session, dataset) + seed_default_config(session),
        "users": seed_users(session, accounts),
        "number_blocks": seed_number_blocks(session, dataset),
    }
    set_meta(session, "seeded", now_iso())
    return result


def seed_demo(
    bind: Engine | Session,
    dataset: Mapping[str, Iterable[Mapping[str, Any]]],
    accounts: Iterable[Mapping[str, Any]],
) -> dict[str, int]:
    """Seed records (with change rows), users (scrypt hashes) and number blocks once; later calls do nothing.
    Returns the counts inserted. With a Session the caller owns the transaction."""
    if isinstance(bind, Session):
        return _seed(bind, dataset, accounts)
    with write_session(bind) as session:
        return _seed(session, dataset, accounts)


def load_demo() -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """The packaged demo dataset and accounts (`app.demo.dataset`, imported lazily: it is data, not the
    client's store)."""
    from app.demo.dataset import DEMO_ACCOUNTS, build_dataset

    return build_dataset(), list(DEMO_ACCOUNTS)


def seed_demo_loops(engine: Engine) -> int:
    """Demo mode only: an urgent instruction dispatched minutes ago and a 投诉举报 with its (protected)
    complainant for 新登镇, so the reform loops are there to try on first start. Once per platform store;
    returns the tasks created."""
    from sync.server import admin, loops_admin

    with write_session(engine) as session:
        if get_meta(session, "demo_loops"):
            return 0
        township = next((r.id for r in session.scalars(select(Record).where(Record.entity == "township"))
                         if r.data.get("name") == "新登镇"), None)
        target = session.scalars(
            select(Record.id).where(Record.entity == "target", Record.township_id == township).order_by(Record.id)
        ).first()
        set_meta(session, "demo_loops", now_iso())
    if township is None or target is None:
        return 0
    urgent = admin.create_task(
        engine, township, "紧急：城南路燃气泄漏现场处置", priority=2, target=target,
        description="群众报告城南路有燃气味，请立即到场处置，到场后反馈现场情况",
    )
    admin.set_field(engine, urgent["id"], "dispatched_at", (datetime.now(UTC) - timedelta(minutes=8)).isoformat())
    loops_admin.create_complaint(
        engine, township, "关于餐饮店油烟扰民的投诉", name="王秀英", phone="13905710001", target=target,
        deadline=(datetime.now(UTC) + timedelta(days=5)).isoformat(),
        description="投诉人反映该店油烟直排，影响周边居民生活，请核查并答复",
    )
    return 2
