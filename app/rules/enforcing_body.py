"""In whose name is matter M enforced in township T (the enforcing body, 执法主体).

An empowered (赋权) township enforces the matters the district catalogue empowers to it in its own name (its
legal name, seal and document numbers); every other case — a dispatched (派驻) township, or a matter not
empowered — is enforced in the name of the district department that owns the matter. The catalogue is versioned
data: for catalogue version V, the row of a matter with the greatest version not above V decides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, NamedTuple

from app.errors import ValidationError


class TownshipMode(StrEnum):
    EMPOWERED = "empowered"
    DISPATCHED = "dispatched"

    @property
    def label(self) -> str:
        return "赋权" if self is TownshipMode.EMPOWERED else "派驻"


BodyKind = Literal["township", "department"]


@dataclass(frozen=True)
class Body:
    """The enforcing body printed on documents; `number_prefix` heads its document numbers (文号)."""

    kind: BodyKind
    id: str
    legal_name: str
    seal_name: str
    number_prefix: str

    @property
    def is_township(self) -> bool:
        return self.kind == "township"


@dataclass(frozen=True)
class TownshipRef:
    id: str
    name: str
    mode: TownshipMode
    legal_name: str
    seal_name: str
    number_prefix: str


@dataclass(frozen=True)
class DepartmentRef:
    id: str
    name: str
    legal_name: str
    seal_name: str
    number_prefix: str


class CatalogueRow(NamedTuple):
    """A matter as published in one catalogue version (a plain 4-tuple works too)."""

    matter_code: str
    version: int
    owner_department_id: str
    empowered_township_ids: frozenset[str]


class Catalogue:
    """The versioned matter catalogue (乡镇实施的行政执法事项目录), queried by matter and catalogue version."""

    def __init__(self, rows: Iterable[CatalogueRow | tuple[str, int, str, frozenset[str]]]) -> None:
        by_matter: dict[str, dict[int, CatalogueRow]] = defaultdict(dict)
        for raw in rows:
            row = CatalogueRow(raw[0], int(raw[1]), raw[2], frozenset(raw[3]))
            if row.version in by_matter[row.matter_code]:
                raise ValidationError(
                    f"事项目录中事项「{row.matter_code}」第 {row.version} 版重复",
                    code="duplicate_matter_version",
                )
            by_matter[row.matter_code][row.version] = row
        # versions ascending per matter
        self._rows: dict[str, list[CatalogueRow]] = {
            code: [versions[v] for v in sorted(versions)] for code, versions in by_matter.items()
        }

    @classmethod
    def from_empowerments(
        cls,
        owners: Mapping[str, str],
        empowerments: Iterable[tuple[str, str, int, bool]],
        *,
        base_version: int = 1,
    ) -> Catalogue:
        """Build from the store's shape: `owners` matter_code → department id, and empowerment rows
        `(township_id, matter_code, version, empowered)` each valid from its version on."""
        changes: dict[str, dict[int, dict[str, bool]]] = defaultdict(lambda: defaultdict(dict))
        for township_id, matter_code, version, empowered in empowerments:
            if matter_code not in owners:
                raise ValidationError(f"事项目录中没有事项「{matter_code}」", code="unknown_matter")
            changes[matter_code][int(version)][township_id] = bool(empowered)
        rows: list[CatalogueRow] = []
        for code, owner in owners.items():
            per_version = changes.get(code, {})
            state: dict[str, bool] = {}
            for version in sorted({base_version, *per_version}):
                state.update(per_version.get(version, {}))
                empowered_ids = frozenset(t for t, on in state.items() if on)
                rows.append(CatalogueRow(code, version, owner, empowered_ids))
        return cls(rows)

    def matter_codes(self) -> list[str]:
        return sorted(self._rows)

    def versions(self, matter_code: str) -> list[int]:
        return [r.version for r in self._rows.get(matter_code, [])]

    def row(self, matter_code: str, version: int | None = None) -> CatalogueRow:
        """The row in force for catalogue `version` (None: the latest); `ValidationError` if there is none."""
        rows = self._rows.get(matter_code)
        if not rows:
            raise ValidationError(f"事项目录中没有事项「{matter_code}」", code="unknown_matter")
        if version is None:
            return rows[-1]
        candidates = [r for r in rows if r.version <= version]
        if not candidates:
            raise ValidationError(
                f"事项「{matter_code}」在事项目录第 {version} 版中尚未发布", code="unknown_matter_version"
            )
        return candidates[-1]

    def owner_department_id(self, matter_code: str, version: int | None = None) -> str:
        return self.row(matter_code, version).owner_department_id

    def is_empowered(self, township_id: str, matter_code: str, version: int | None = None) -> bool:
        return township_id in self.row(matter_code, version).empowered_township_ids


def township_body(township: TownshipRef) -> Body:
    return Body("township", township.id, township.legal_name, township.seal_name, township.number_prefix)


def department_body(department: DepartmentRef) -> Body:
    return Body(
        "department", department.id, department.legal_name, department.seal_name, department.number_prefix
    )


def enforcing_body(township: TownshipRef, department: DepartmentRef, *, empowered: bool) -> Body:
    """The township itself only when it is in 赋权 mode and the matter is empowered to it; else the department."""
    if TownshipMode(township.mode) is TownshipMode.EMPOWERED and empowered:
        return township_body(township)
    return department_body(department)


def resolve(
    catalogue: Catalogue,
    township: TownshipRef,
    departments: Mapping[str, DepartmentRef],
    matter_code: str,
    version: int | None = None,
) -> Body:
    """The enforcing body for `matter_code` in `township` under catalogue `version` (None: the latest)."""
    row = catalogue.row(matter_code, version)
    department = departments.get(row.owner_department_id)
    if department is None:
        raise ValidationError(
            f"未找到事项「{matter_code}」的实施部门（{row.owner_department_id}）", code="unknown_department"
        )
    return enforcing_body(township, department, empowered=township.id in row.empowered_township_ids)
