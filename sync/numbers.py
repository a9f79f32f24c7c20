"""Document-number blocks (文号段) kept on this laptop so that a clerk can issue numbered documents offline.

`NumberBlockService.prefetch()` makes sure that, for each counter (enforcing body × document type × year) the
clerk is likely to use, at least `min_free` numbers remain unused on this device, asking the platform for new
blocks (`POST /number-blocks`) when they run low. Blocks are stored in the local `number_blocks` table. A number
counts as used once any local document (voided ones included) carries it. The block request is not retried on
an ambiguous failure: a lost block only leaves a gap, a double allocation would waste a whole block.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models as m
from app.documents.numbers import used_numbers
from app.documents.values import CHINA_TZ
from app.errors import DomainError
from app.identity import CurrentUser
from app.law.jurisdiction import JurisdictionAuthority
from app.rules.numbering import NumberBlock as RuleBlock
from app.rules.numbering import NumberPool
from app.store import Store
from sync import state
from sync.protocol import NumberBlockRequest, NumberBlockResponse
from sync.transport import ProtocolError

Key = tuple[str, str, int]  # body_id, doc_type, year

COMMON_DOC_TYPES: tuple[str, ...] = (
    "onsite_record", "correction_order", "summary_penalty", "service_receipt", "case"  # "case": 立案编号
)
DEFAULT_MIN_FREE = 20
DEFAULT_BLOCK_SIZE = 50
CHINA_YEAR_OFFSET_HOURS = 8


def free_numbers(session: Session, body_id: str, doc_type: str, year: int) -> int:
    """Numbers of this device's blocks for the counter that no local document has taken yet."""
    blocks = [
        RuleBlock(b.body_id, b.doc_type, b.year, b.start, b.end)
        for b in session.scalars(
            select(m.NumberBlock).where(
                m.NumberBlock.body_id == body_id, m.NumberBlock.doc_type == doc_type, m.NumberBlock.year == year
            )
        )
    ]
    if not blocks:
        return 0
    used = used_numbers(session, body_id, doc_type, year)
    return NumberPool(blocks, body_id=body_id, doc_type=doc_type, year=year).remaining(used)


def default_keys(
    session: Session, user: CurrentUser, year: int, doc_types: Sequence[str] = COMMON_DOC_TYPES
) -> list[Key]:
    """The bodies that hold the matters the township's tasks use (the township itself when it enforces in its
    own name), today or under any edition already published for a later date (the jurisdiction authority),
    × the common document types, for `year`."""
    if not user.township_id:
        return []
    codes = set(
        session.scalars(
            select(m.TaskMatter.matter_code).join(m.Task, m.Task.id == m.TaskMatter.task_id)
            .where(m.Task.township_id == user.township_id)
        )
    )
    try:
        authority = JurisdictionAuthority.load(session, user.township_id)
    except DomainError:  # no township data yet: nothing to number
        return []
    bodies = authority.bodies_from(datetime.now(CHINA_TZ).date(), codes)
    return [(body, doc_type, year) for body in bodies for doc_type in doc_types]


def ensure_blocks(
    store: Store, api: Any, keys: Iterable[Key], min_free: int = DEFAULT_MIN_FREE, *, device_id: str | None = None,
    block_size: int = DEFAULT_BLOCK_SIZE,
) -> int:
    """Fetch blocks until every counter in `keys` has at least `min_free` unused numbers; returns blocks fetched."""
    device_id = device_id or state.device_id(store)
    fetched = 0
    for body_id, doc_type, year in dict.fromkeys(keys):
        api.check_cancel()
        with store.read() as session:
            free = free_numbers(session, body_id, doc_type, year)
        while free < min_free:
            size = max(block_size, min_free - free)
            req = NumberBlockRequest(body_id=body_id, doc_type=doc_type, year=year, size=min(size, 1000),
                                     device_id=device_id)
            got = api.call("POST", "/number-blocks", NumberBlockResponse, json_body=req.model_dump(),
                           idempotent=False)
            if (got.body_id, got.doc_type, got.year) != (body_id, doc_type, year) or got.end < got.start:
                raise ProtocolError(code="bad_block")
            with store.write() as session:
                session.add(m.NumberBlock(
                    id=m.new_id(), body_id=got.body_id, doc_type=got.doc_type, year=got.year, start=got.start,
                    end=got.end, device_id=device_id,
                ))
            fetched += 1
            free += got.end - got.start + 1
    return fetched


class NumberBlockService:
    """Prefetches number blocks for the counters a clerk of `user`'s team uses (or an explicit list)."""

    def __init__(
        self, store: Store, api: Any, *, device_id: str, user: CurrentUser, keys: Sequence[Key] | None = None,
        doc_types: Sequence[str] = COMMON_DOC_TYPES, min_free: int = DEFAULT_MIN_FREE,
        block_size: int = DEFAULT_BLOCK_SIZE,
    ) -> None:
        self.store, self.api, self.device_id, self.user = store, api, device_id, user
        self.keys, self.doc_types, self.min_free, self.block_size = keys, doc_types, min_free, block_size

    def wanted(self, year: int | None = None) -> list[Key]:
        if self.keys is not None:
            return list(self.keys)
        with self.store.read() as session:
            return default_keys(session, self.user, year or current_year(), self.doc_types)

    def prefetch(self) -> int:
        return ensure_blocks(self.store, self.api, self.wanted(), self.min_free, device_id=self.device_id,
                             block_size=self.block_size)


def current_year() -> int:
    """The year in China Standard Time (documents are dated locally)."""
    return (datetime.now(UTC) + timedelta(hours=CHINA_YEAR_OFFSET_HOURS)).year
