"""签发: the enforcing body of a document is decided on its issue date, through the jurisdiction authority.

A draft records the body it was drafted under (and the edition and reason). At 签发 the body is decided again
for the issue date (`decide`); when it differs from the draft's — a new catalogue edition took effect, a matter
was de-empowered — the document is not issued silently: `BodyChangedError` carries the `BodyChange` (old → new
body, number series, edition, reason) for the clerk to confirm, and only a confirmed change is applied, with a
number from the new body's series. `IssuePlan` is what the confirmation shows before any number is spent: the
body, the number that will be used, the party, the date, the change if any, what blocks issuing and what the
clerk should check (empty "should have" fields such as 联系电话).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from app import models as m
from app.documents.filling import SENDER_TYPES
from app.errors import DomainError
from app.law.jurisdiction import Edition, JurisdictionAuthority
from app.rules.enforcing_body import Body

#: `Document.jurisdiction_reason` of letters sent in the team's own name (not decided by a matter)
SENDER_REASON = "sender"
REASON_LABELS = {"empowered": "赋权", "dispatched": "派驻", "not_empowered": "未赋权", SENDER_REASON: "以本队名义发函"}


@dataclass(frozen=True)
class Decision:
    """The body a document is issued under, the catalogue edition in force on its date and why."""

    body: Body
    edition: int | None
    edition_effective_date: date | None
    reason: str | None

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason or "", self.reason or "未记录")

    @property
    def edition_label(self) -> str:
        if self.edition is None:
            return "未记录目录版本"
        if self.edition_effective_date is None:
            return f"第 {self.edition} 版事项目录"
        return Edition(self.edition, self.edition_effective_date).label

    @property
    def series(self) -> tuple[str, str]:
        """(body id of the number counters, printed number prefix)."""
        return self.body.id, self.body.number_prefix


def decide(session: Session, *, doc_type: str, township_id: str, matter_code: str | None, day: date) -> Decision:
    """The body for a document of `doc_type` on `day`: letters in the team's own name; otherwise the body that
    holds the matter (or, without a matter, an empowered township itself). Refusals are Chinese DomainErrors."""
    authority = JurisdictionAuthority.load(session, township_id)
    if doc_type in SENDER_TYPES:
        try:
            edition: Edition | None = authority.edition_on(day)
        except DomainError:
            edition = None
        return Decision(authority.sender(), edition.version if edition else None,
                        edition.effective_date if edition else None, SENDER_REASON)
    j = authority.resolve(matter_code, day) if matter_code else authority.own_name(day)
    return Decision(j.body, j.edition, j.edition_effective_date, j.reason.value)


def recorded(doc: m.Document) -> Decision:
    """The decision a document carries (the draft's, or the issued one's)."""
    body = Body(doc.body_kind, doc.body_id, doc.body_legal_name, doc.seal_name, doc.number_prefix)  # type: ignore[arg-type]  # body_kind is stored from a BodyKind
    return Decision(body, doc.catalogue_edition, None, doc.jurisdiction_reason)


@dataclass(frozen=True)
class BodyChange:
    """The body (or number series) decided at 签发 differs from the draft's."""

    doc_id: str
    day: date
    old: Decision
    new: Decision

    @property
    def message(self) -> str:
        o, n = self.old, self.new
        return (
            f"签发日（{self.day.year}年{self.day.month}月{self.day.day}日）的执法主体与草稿不同："
            f"{o.body.legal_name}（文号「{o.body.number_prefix}」，{o.edition_label}，{o.reason_label}）→ "
            f"{n.body.legal_name}（文号「{n.body.number_prefix}」，{n.edition_label}，{n.reason_label}）。"
            "确认后将以新的执法主体签发并使用其文号。"
        )

    def same_as(self, other: BodyChange | None) -> bool:
        """Whether `other` (what the clerk confirmed) is this change: same document, same new body and series."""
        return (
            other is not None
            and other.doc_id == self.doc_id
            and other.new.body == self.new.body
            and other.new.edition == self.new.edition
            and other.new.reason == self.new.reason
        )


class BodyChangedError(DomainError):
    """签发 refused until the clerk confirms the body change it carries."""

    default_code = "body_changed"

    def __init__(self, change: BodyChange) -> None:
        super().__init__(change.message, code="body_changed")
        self.change = change

    def __reduce__(self) -> tuple[object, ...]:
        return (BodyChangedError, (self.change,))


def change_between(doc: m.Document, new: Decision, day: date) -> BodyChange | None:
    """The change from the draft's body to `new`, or None when body and number series are the same."""
    old = recorded(doc)
    if old.body == new.body:
        return None
    return BodyChange(doc.id, day, old, new)


@dataclass(frozen=True)
class IssuePlan:
    """What 签发 will do, shown to the clerk before a number is spent."""

    doc_id: str
    title: str
    day: date
    decision: Decision
    number: str  # the number that will be spent ("" when none is free: see `problems`)
    seq: int | None
    year: int
    party: str
    change: BodyChange | None = None
    problems: list[str] = field(default_factory=list)  # what blocks issuing
    warnings: list[str] = field(default_factory=list)  # empty "should have" fields: the clerk decides

    @property
    def can_issue(self) -> bool:
        return not self.problems and bool(self.number)
