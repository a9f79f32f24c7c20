"""Tests for document numbers: format, document types, block allocation and the client-side pool."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import NumberingError
from app.rules.numbering import (
    DOC_TYPES,
    NumberBlock,
    NumberPool,
    allocate_block,
    blocks_overlap,
    doc_type,
    format_document_number,
    format_number,
)


@pytest.mark.parametrize(
    ("prefix", "code", "year", "n", "expected"),
    [
        ("富综执", "责改", 2026, 12, "富综执责改〔2026〕12号"),
        ("新登镇综执", "罚决", 2026, 3, "新登镇综执罚决〔2026〕3号"),
        ("富市监", "当罚", 2027, 1, "富市监当罚〔2027〕1号"),
        (" 富综执 ", "先保", 2026, 1024, "富综执先保〔2026〕1024号"),
    ],
)
def test_format_number(prefix: str, code: str, year: int, n: int, expected: str) -> None:
    assert format_number(prefix, code, year, n) == expected


@pytest.mark.parametrize(
    ("prefix", "year", "n", "code"),
    [
        ("", 2026, 1, "empty_prefix"),
        ("富综执", 2026, 0, "invalid_serial"),
        ("富综执", 2026, -5, "invalid_serial"),
        ("富综执", 26, 1, "invalid_year"),
    ],
)
def test_format_number_refused(prefix: str, year: int, n: int, code: str) -> None:
    with pytest.raises(NumberingError) as info:
        format_number(prefix, "责改", year, n)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("key", "name", "code"),
    [
        ("onsite_record", "现场检查（勘验）笔录", "检"),
        ("interview_record", "询问（调查）笔录", "询"),
        ("correction_order", "责令（限期）改正通知书", "责改"),
        ("preservation_notice", "证据先行登记保存通知书", "先保"),
        ("seizure_decision", "查封（扣押）决定书", "强制"),
        ("penalty_notice", "行政处罚事先告知书", "告"),
        ("summary_penalty", "当场行政处罚决定书", "当罚"),
        ("penalty_decision", "行政处罚决定书", "罚决"),
        ("service_receipt", "送达回证", "送"),
        ("transfer_letter", "案件移送函", "移"),
        ("notice_sheet", "抄告单", "抄"),
    ],
)
def test_doc_types(key: str, name: str, code: str) -> None:
    assert DOC_TYPES[key] == (name, code)
    assert format_document_number("富综执", key, 2026, 7) == f"富综执{code}〔2026〕7号"


def test_doc_types_complete_and_unknown() -> None:
    assert len(DOC_TYPES) == 11
    assert len({t.code for t in DOC_TYPES.values()}) == 11
    with pytest.raises(NumberingError):
        doc_type("memo")


B = "t-xd"


@pytest.mark.parametrize(
    ("existing", "key", "size", "after", "expected"),
    [
        ([], (B, "penalty_decision", 2026), 50, 0, (1, 50)),
        ([NumberBlock(B, "penalty_decision", 2026, 1, 50)], (B, "penalty_decision", 2026), 50, 0, (51, 100)),
        ([NumberBlock(B, "penalty_decision", 2026, 1, 50)], (B, "penalty_decision", 2027), 10, 0, (1, 10)),
        ([NumberBlock(B, "penalty_decision", 2026, 1, 50)], (B, "service_receipt", 2026), 10, 0, (1, 10)),
        (
            [NumberBlock(B, "penalty_decision", 2026, 1, 50)],
            ("d-zfj", "penalty_decision", 2026),
            1,
            0,
            (1, 1),
        ),
        (
            [
                NumberBlock(B, "penalty_decision", 2026, 51, 60),
                NumberBlock(B, "penalty_decision", 2026, 1, 50),
            ],
            (B, "penalty_decision", 2026),
            5,
            0,
            (61, 65),
        ),
        ([], (B, "penalty_decision", 2026), 10, 37, (38, 47)),  # 37 numbers issued on paper first
    ],
)
def test_allocate_block(
    existing: list[NumberBlock], key: tuple[str, str, int], size: int, after: int, expected: tuple[int, int]
) -> None:
    block = allocate_block(existing, *key, size, after=after)
    assert (block.start, block.end) == expected
    assert block.key == key
    assert block.size == size


@pytest.mark.parametrize("size", [0, -1])
def test_allocate_block_bad_size(size: int) -> None:
    with pytest.raises(NumberingError):
        allocate_block([], B, "penalty_decision", 2026, size)


@pytest.mark.parametrize(("start", "end"), [(0, 5), (5, 4), (-1, 3)])
def test_invalid_block(start: int, end: int) -> None:
    with pytest.raises(NumberingError):
        NumberBlock(B, "penalty_decision", 2026, start, end)


def _blk(start: int, end: int, doc: str = "penalty_decision", year: int = 2026, body: str = B) -> NumberBlock:
    return NumberBlock(body, doc, year, start, end)


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        (_blk(1, 10), _blk(11, 20), False),
        (_blk(1, 10), _blk(10, 20), True),
        (_blk(5, 6), _blk(1, 10), True),
        (_blk(1, 10), _blk(1, 10, doc="service_receipt"), False),
        (_blk(1, 10), _blk(1, 10, year=2027), False),
        (_blk(1, 10), _blk(1, 10, body="d-zfj"), False),
    ],
)
def test_blocks_overlap(a: NumberBlock, b: NumberBlock, overlap: bool) -> None:
    assert blocks_overlap(a, b) is overlap
    assert blocks_overlap(b, a) is overlap


def pool(*blocks: NumberBlock) -> NumberPool:
    return NumberPool(blocks, body_id=B, doc_type="penalty_decision", year=2026)


@pytest.mark.parametrize(
    ("blocks", "used", "expected", "remaining"),
    [
        ([_blk(1, 3)], set(), 1, 3),
        ([_blk(1, 3)], {1}, 2, 2),
        ([_blk(1, 3)], {1, 2}, 3, 1),
        ([_blk(1, 3), _blk(11, 12)], {1, 2, 3}, 11, 2),
        ([_blk(11, 12), _blk(1, 3)], set(), 1, 5),  # blocks in any order
        ([_blk(1, 3), _blk(4, 6, doc="service_receipt")], {1, 2}, 3, 1),  # other counters ignored
        ([_blk(1, 3)], {1, 3}, 2, 1),  # a gap is used before moving on
    ],
)
def test_pool_next_number(blocks: list[NumberBlock], used: set[int], expected: int, remaining: int) -> None:
    p = pool(*blocks)
    assert p.next_number(used) == expected
    assert p.remaining(used) == remaining


@pytest.mark.parametrize(
    ("blocks", "used"), [([], set()), ([_blk(1, 2)], {1, 2}), ([_blk(1, 2, year=2025)], set())]
)
def test_pool_exhausted(blocks: list[NumberBlock], used: set[int]) -> None:
    with pytest.raises(NumberingError) as info:
        pool(*blocks).next_number(used)
    assert str(info.value) == "本机的「行政处罚决定书」文号已用完，请联网同步以领取新的文号段；草稿已保留"
    assert info.value.code == "numbers_exhausted"


KEYS = [(B, "penalty_decision", 2026), (B, "service_receipt", 2026), ("d-zfj", "penalty_decision", 2026)]
# one request: (device index, counter index, block size, numbers the device issues afterwards)
requests = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, len(KEYS) - 1), st.integers(1, 20), st.integers(0, 25)),
    max_size=40,
)


@given(requests)
def test_interleaved_allocations_never_collide(reqs: list[tuple[int, int, int, int]]) -> None:
    server: list[NumberBlock] = []
    device_blocks: dict[int, list[NumberBlock]] = {d: [] for d in range(4)}
    issued: dict[tuple[int, tuple[str, str, int]], set[int]] = {}
    for device, key_index, size, to_issue in reqs:
        key = KEYS[key_index]
        block = allocate_block(server, *key, size)
        assert not any(blocks_overlap(block, other) for other in server)
        server.append(block)
        device_blocks[device].append(block)
        used = issued.setdefault((device, key), set())
        p = NumberPool(device_blocks[device], body_id=key[0], doc_type=key[1], year=key[2])
        for _ in range(to_issue):
            try:
                n = p.next_number(used)
            except NumberingError:
                break
            assert n not in used
            used.add(n)
    for a, b in itertools.combinations(server, 2):
        assert not blocks_overlap(a, b)
    for key in KEYS:
        per_device = [nums for (d, k), nums in issued.items() if k == key]
        for x, y in itertools.combinations(per_device, 2):
            assert not x & y  # no number issued by two laptops
