"""The jurisdiction authority: which body enforces matter M in township T on day D, under which catalogue
edition, and why. Every workflow (planning, checklists, task detail, documents at draft and at 签发, follow-ups,
number blocks, printing) asks this module; nothing else reads the empowerment rows to decide a body.

How the answer is found (DOMAIN §1, §3):

- **Edition.** The catalogue edition in force on D is the `CatalogueVersion` with the latest `effective_date`
  not after D (the greater version number breaks a tie). When it was published or synced does not matter: an
  edition synced today with a future effective date takes effect on that date, not before.
- **Before the first edition** (D earlier than every recorded effective date), and when the store holds no
  edition at all, there is no catalogue to act under: the question is refused with a Chinese `DomainError`
  (code ``no_catalogue_edition``). We never guess with a later edition, because that would put a body on a
  document that did not hold the matter on its date.
- **Matter.** A matter belongs to editions from its `Matter.since_version` on; a matter not in the edition in
  force is refused (code ``matter_not_in_edition``) naming the edition and its effective date.
- **Body.** The pure rule `app.rules.enforcing_body` decides: the township itself only when it is in 赋权 mode
  and the matter is empowered to it in that edition (the empowerment row with the greatest version not above
  the edition); otherwise the department that owns the matter. The reason is 赋权, 派驻 (dispatched township) or
  未赋权 (empowered township, matter not empowered). A township mode other than 赋权/派驻 is an error
  (code ``unknown_township_mode``), never a silent 派驻.

Public API::

    authority = JurisdictionAuthority.load(session, township_id)   # catalogue loaded once
    j = authority.resolve(matter_code, day)                       # -> Jurisdiction
    resolve_jurisdiction(session, township_id, matter_code, day)  # one-off convenience
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models as m
from app.errors import DomainError, ValidationError
from app.rules.enforcing_body import (
    Body,
    Catalogue,
    DepartmentRef,
    TownshipMode,
    TownshipRef,
    enforcing_body,
)


class Reason(StrEnum):
    """Why the body holds the matter."""

    EMPOWERED = "empowered"  # 赋权: an empowered township, matter empowered to it
    DISPATCHED = "dispatched"  # 派驻: a dispatched township, the department acts
    NOT_EMPOWERED = "not_empowered"  # 未赋权: an empowered township, but this matter is not empowered to it

    @property
    def label(self) -> str:
        return REASON_LABELS[self]


REASON_LABELS: dict[Reason, str] = {
    Reason.EMPOWERED: "赋权",
    Reason.DISPATCHED: "派驻",
    Reason.NOT_EMPOWERED: "未赋权",
}


@dataclass(frozen=True)
class Edition:
    """One published catalogue edition (乡镇实施的行政执法事项目录第 N 版) and the day it takes effect."""

    version: int
    effective_date: date
    note: str = ""

    @property
    def label(self) -> str:
        return f"{chinese_date(self.effective_date)}施行的第 {self.version} 版事项目录"


@dataclass(frozen=True)
class Jurisdiction:
    """The answer for (township, matter, day): the edition in force, the body and why."""

    township_id: str
    matter_code: str
    day: date
    edition: int
    edition_effective_date: date
    body: Body
    reason: Reason

    @property
    def reason_label(self) -> str:
        return self.reason.label

    @property
    def edition_label(self) -> str:
        return Edition(self.edition, self.edition_effective_date).label

    @property
    def empowered(self) -> bool:
        """True when the township acts in its own name (a finding on any other matter may need a transfer)."""
        return self.reason is Reason.EMPOWERED

    @property
    def number_series(self) -> tuple[str, str]:
        """The document-number series: (body id whose counters and blocks are used, printed number prefix)."""
        return self.body.id, self.body.number_prefix


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class JurisdictionAuthority:
    """The catalogue of one township, loaded once, answering `resolve(matter_code, day)`."""

    def __init__(
        self,
        township: TownshipRef,
        departments: dict[str, DepartmentRef],
        editions: Iterable[Edition],
        matters: dict[str, tuple[str, int, str]],
        catalogue: Catalogue,
        bureau: DepartmentRef | None = None,
    ) -> None:
        self.township = township
        self.departments = departments
        #: editions by effective date, then version
        self.editions: tuple[Edition, ...] = tuple(sorted(editions, key=lambda e: (e.effective_date, e.version)))
        #: matter code → (owning department id, first edition, matter name)
        self._matters = matters
        self._catalogue = catalogue
        self._bureau = bureau

    # ---- loading -----------------------------------------------------------------------------------------

    @classmethod
    def load(cls, session: Session, township_id: str) -> JurisdictionAuthority:
        t = session.get(m.Township, township_id)
        if t is None:
            raise DomainError(
                f"未找到乡镇（街道）「{township_id}」的基础数据，请先同步", code="unknown_township"
            )
        try:
            mode = TownshipMode(t.mode)
        except ValueError:
            raise DomainError(
                f"{t.name}的执法模式「{t.mode}」无法识别（应为赋权或派驻），无法确定执法主体，请联系区指挥中心核对",
                code="unknown_township_mode",
            ) from None
        township = TownshipRef(t.id, t.name, mode, t.legal_name, t.seal_name, t.number_prefix)
        departments: dict[str, DepartmentRef] = {}
        bureau: DepartmentRef | None = None
        for d in session.scalars(select(m.Department).order_by(m.Department.id)):
            ref = DepartmentRef(d.id, d.name, d.legal_name, d.seal_name, d.number_prefix)
            departments[d.id] = ref
            if d.kind == "bureau" and bureau is None:
                bureau = ref
        editions = [
            Edition(int(v), eff, note or "")
            for v, eff, note in session.execute(
                select(m.CatalogueVersion.version, m.CatalogueVersion.effective_date, m.CatalogueVersion.note)
            )
        ]
        matters = {
            code: (owner, int(since or 1), name)
            for code, owner, since, name in session.execute(
                select(m.Matter.code, m.Matter.owner_department_id, m.Matter.since_version, m.Matter.name)
            )
        }
        rows = [
            (tid, code, int(version), bool(on))
            for tid, code, version, on in session.execute(
                select(
                    m.MatterEmpowerment.township_id,
                    m.MatterEmpowerment.matter_code,
                    m.MatterEmpowerment.version,
                    m.MatterEmpowerment.empowered,
                ).where(m.MatterEmpowerment.township_id == township_id)
            )
            if code in matters
        ]
        catalogue = Catalogue.from_empowerments({c: v[0] for c, v in matters.items()}, rows)
        return cls(township, departments, editions, matters, catalogue, bureau)

    # ---- questions ---------------------------------------------------------------------------------------

    def edition_on(self, day: date) -> Edition:
        """The edition in force on `day` (by effective date); `DomainError` before the first edition."""
        if not self.editions:
            raise DomainError(
                "本机尚未同步事项目录（目录版本），无法确定执法主体，请先同步", code="no_catalogue_edition"
            )
        in_force = [e for e in self.editions if e.effective_date <= day]
        if not in_force:
            first = self.editions[0]
            raise DomainError(
                f"{chinese_date(day)}尚无施行的事项目录（第 {first.version} 版自{chinese_date(first.effective_date)}"
                "起施行），无法确定执法主体",
                code="no_catalogue_edition",
            )
        return in_force[-1]

    def has_matter(self, matter_code: str, day: date) -> bool:
        """Whether `matter_code` is in the edition in force on `day` (False also before the first edition)."""
        info = self._matters.get(matter_code)
        if info is None:
            return False
        try:
            return info[1] <= self.edition_on(day).version
        except DomainError:
            return False

    def matter_codes_on(self, day: date) -> list[str]:
        """Every matter of the edition in force on `day`, by code."""
        version = self.edition_on(day).version
        return sorted(c for c, (_o, since, _n) in self._matters.items() if since <= version)

    def resolve(self, matter_code: str, day: date) -> Jurisdiction:
        """The body that enforces `matter_code` in this township on `day`, with the edition and the reason."""
        edition = self.edition_on(day)
        info = self._matters.get(matter_code)
        if info is None:
            raise ValidationError(
                f"事项目录中没有事项「{matter_code}」，无法确定执法主体，请先同步", code="unknown_matter"
            )
        owner, since, name = info
        if since > edition.version:
            raise DomainError(
                f"事项「{name}」（{matter_code}）不在{edition.label}中（自第 {since} 版起列入），无法确定执法主体",
                code="matter_not_in_edition",
            )
        department = self.departments.get(owner)
        if department is None:
            raise DomainError(
                f"未找到事项「{name}」的实施部门（{owner}），无法确定执法主体，请先同步", code="unknown_department"
            )
        empowered = self._catalogue.is_empowered(self.township.id, matter_code, edition.version)
        body = enforcing_body(self.township, department, empowered=empowered)
        if self.township.mode is TownshipMode.DISPATCHED:
            reason = Reason.DISPATCHED
        else:
            reason = Reason.EMPOWERED if empowered else Reason.NOT_EMPOWERED
        return Jurisdiction(
            self.township.id, matter_code, day, edition.version, edition.effective_date, body, reason
        )

    def own_name(self, day: date) -> Jurisdiction:
        """A document that names no matter: only an empowered township can issue it, in its own name."""
        edition = self.edition_on(day)
        if self.township.mode is not TownshipMode.EMPOWERED:
            raise ValidationError(
                f"{self.township.name}为派驻模式，须选择执法事项才能确定以哪个部门的名义出具文书",
                code="matter_required",
            )
        t = self.township
        return Jurisdiction(
            t.id, "", day, edition.version, edition.effective_date,
            Body("township", t.id, t.legal_name, t.seal_name, t.number_prefix), Reason.EMPOWERED,
        )

    def sender(self) -> Body:
        """The team's own name for letters to other bodies (案件移送函, 抄告单): an empowered township itself; for a
        dispatched township the district comprehensive enforcement bureau that leads its joint patrol team."""
        t = self.township
        if t.mode is TownshipMode.EMPOWERED:
            return Body("township", t.id, t.legal_name, t.seal_name, t.number_prefix)
        if self._bureau is None:
            raise DomainError("未找到区综合行政执法局，无法确定发函主体", code="unknown_department")
        b = self._bureau
        return Body("department", b.id, b.legal_name, b.seal_name, b.number_prefix)

    def bodies_from(self, day: date, matter_codes: Iterable[str] | None = None) -> list[str]:
        """Ids of every body that holds one of `matter_codes` (None: any matter) of this township in the edition
        in force on `day` or in any later edition — number blocks are fetched for these, so that a document
        issued after a published edition takes effect finds the new body's numbers — township first."""
        versions = {e.version for e in self.editions if e.effective_date > day}
        with contextlib.suppress(DomainError):
            versions.add(self.edition_on(day).version)
        wanted = None if matter_codes is None else set(matter_codes)
        ids: list[str] = []
        if self.township.mode is TownshipMode.EMPOWERED:
            ids.append(self.township.id)
        for version in sorted(versions):
            for code, (owner, since, _n) in sorted(self._matters.items()):
                if since > version or owner in ids or (wanted is not None and code not in wanted):
                    continue
                if self.township.mode is TownshipMode.DISPATCHED or not self._catalogue.is_empowered(
                    self.township.id, code, version
                ):
                    ids.append(owner)
        return ids


def resolve_jurisdiction(session: Session, township_id: str, matter_code: str, day: date) -> Jurisdiction:
    """One question, one answer: `JurisdictionAuthority.load(session, township_id).resolve(matter_code, day)`."""
    return JurisdictionAuthority.load(session, township_id).resolve(matter_code, day)
