"""Document numbers (文号): the format, the document types and their codes, and number blocks.

One counter runs per enforcing body × document type × year. The platform hands each laptop blocks (ranges) of
numbers for a counter with `allocate_block`, so laptops issue numbers offline without two of them printing the
same one; on a laptop, `NumberPool` hands out the next unused number of its blocks. A printed number is never
reused: `used` must include voided documents' numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from app.errors import NumberingError


class DocType(NamedTuple):
    name: str  # full Chinese title
    code: str  # document code inside the number


DOC_TYPES: Mapping[str, DocType] = MappingProxyType(
    {
        "onsite_record": DocType("现场检查（勘验）笔录", "检"),
        "interview_record": DocType("询问（调查）笔录", "询"),
        "correction_order": DocType("责令（限期）改正通知书", "责改"),
        "preservation_notice": DocType("证据先行登记保存通知书", "先保"),
        "seizure_decision": DocType("查封（扣押）决定书", "强制"),
        "penalty_notice": DocType("行政处罚事先告知书", "告"),
        "summary_penalty": DocType("当场行政处罚决定书", "当罚"),
        "penalty_decision": DocType("行政处罚决定书", "罚决"),
        "service_receipt": DocType("送达回证", "送"),
        "transfer_letter": DocType("案件移送函", "移"),
        "notice_sheet": DocType("抄告单", "抄"),
    }
)

#: number series that are not documents, drawn from number blocks like documents: the case register (立案号),
#: one counter per enforcing body × year
CASE_SERIES = "case"
OTHER_SERIES: Mapping[str, DocType] = MappingProxyType({CASE_SERIES: DocType("案件立案编号", "立")})

MIN_YEAR, MAX_YEAR = 2000, 2999


def series(key: str) -> DocType:
    """A number series: a document type or one of `OTHER_SERIES`; `NumberingError` for an unknown key."""
    found = DOC_TYPES.get(key) or OTHER_SERIES.get(key)
    if found is None:
        raise NumberingError(f"未知的编号类型「{key}」", code="unknown_doc_type")
    return found


def format_case_number(prefix: str, year: int, n: int) -> str:
    """`{prefix}立〔{year}〕{n}号`, the case number (立案编号) of the body's register."""
    return format_number(prefix, OTHER_SERIES[CASE_SERIES].code, year, n)


def doc_type(key: str) -> DocType:
    """The document type for `key`; `NumberingError` for an unknown key."""
    try:
        return DOC_TYPES[key]
    except KeyError:
        raise NumberingError(f"未知的文书类型「{key}」", code="unknown_doc_type") from None


def doc_type_name(key: str) -> str:
    """The Chinese name for messages; falls back to the key itself for an unknown type."""
    found = DOC_TYPES.get(key)
    return found.name if found else key


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise NumberingError(f"文号年份「{year}」无效", code="invalid_year")


def format_number(prefix: str, doc_code: str, year: int, n: int) -> str:
    """`{prefix}{doc_code}〔{year}〕{n}号`, e.g. ("富综执", "责改", 2026, 12) → "富综执责改〔2026〕12号"."""
    if not prefix.strip():
        raise NumberingError("文号前缀（执法主体简称）不能为空", code="empty_prefix")
    _check_year(year)
    if n < 1:
        raise NumberingError(f"文号序号必须从 1 开始，当前为 {n}", code="invalid_serial")
    return f"{prefix.strip()}{doc_code.strip()}〔{year}〕{n}号"


def format_document_number(prefix: str, doc_type_key: str, year: int, n: int) -> str:
    """`format_number` with the code looked up from `DOC_TYPES`."""
    return format_number(prefix, doc_type(doc_type_key).code, year, n)


@dataclass(frozen=True)
class NumberBlock:
    """Numbers `start`..`end` (inclusive) of the counter body × doc_type × year."""

    body_id: str
    doc_type: str
    year: int
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 1 or self.end < self.start:
            raise NumberingError(f"文号段 {self.start}–{self.end} 无效", code="invalid_block")

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.body_id, self.doc_type, self.year)

    @property
    def size(self) -> int:
        return self.end - self.start + 1

    def __contains__(self, n: object) -> bool:
        return isinstance(n, int) and self.start <= n <= self.end


def blocks_overlap(a: NumberBlock, b: NumberBlock) -> bool:
    """True when both blocks belong to the same counter and share at least one number."""
    return a.key == b.key and a.start <= b.end and b.start <= a.end


def allocate_block(
    existing: Iterable[NumberBlock], body_id: str, doc_type: str, year: int, size: int, *, after: int = 0
) -> NumberBlock:
    """The next block of `size` numbers for the counter, starting after the highest number of the existing
    blocks of that counter (and after `after`, e.g. numbers issued on paper before the system)."""
    if size < 1:
        raise NumberingError(f"文号段大小必须至少为 1，当前为 {size}", code="invalid_block_size")
    _check_year(year)
    key = (body_id, doc_type, year)
    top = max((b.end for b in existing if b.key == key), default=0)
    start = max(top, after) + 1
    return NumberBlock(body_id, doc_type, year, start, start + size - 1)


class NumberPool:
    """A laptop's blocks for one counter; blocks of other counters passed in are ignored."""

    def __init__(self, blocks: Iterable[NumberBlock], *, body_id: str, doc_type: str, year: int) -> None:
        self.key = (body_id, doc_type, year)
        self.blocks: list[NumberBlock] = sorted(
            (b for b in blocks if b.key == self.key), key=lambda b: b.start
        )

    def remaining(self, used: set[int]) -> int:
        """How many numbers are still free (prompt a sync when this runs low)."""
        covered: set[int] = set()
        for block in self.blocks:
            covered.update(range(block.start, block.end + 1))
        return len(covered - used)

    def next_number(self, used: set[int]) -> int:
        """The lowest number of the blocks not in `used`; `NumberingError` when the blocks are exhausted."""
        for block in self.blocks:
            for n in range(block.start, block.end + 1):
                if n not in used:
                    return n
        raise NumberingError(
            f"本机的「{doc_type_name(self.key[1])}」文号已用完，请联网同步以领取新的文号段；草稿已保留",
            code="numbers_exhausted",
        )
