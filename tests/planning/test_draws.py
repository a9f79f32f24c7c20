"""双随机 draws: the PRNG, reproducibility from snapshot + seed, exclusions, ≥2 inspectors, the audit record,
plans from a draw and the published result list."""

from __future__ import annotations

import csv
import hashlib
import itertools
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.errors import DomainError, ValidationError
from app.models import AuditEvent, InspectionPlan, OutboxEntry, RandomDraw
from app.planning.draw_plans import publication, publication_html, publication_rows, write_publication_csv
from app.planning.draws import DrawService, DrawSpec, compute, draw_size, rerun, snapshot_sha256
from app.planning.prng import Sha256CounterRng
from tests.planning.district import AT, DAY, LEADER, OFFICER

SPEC = DrawSpec(township_id="xd", title="2026年第二季度餐饮单位双随机抽查", item_codes=["SR-001", "SJ-001"],
                on_date=DAY, count=6, seed="fixed-seed-1", exclude_own_grid=False)


def test_prng_is_the_documented_sha256_counter_stream() -> None:
    rng = Sha256CounterRng("abc")
    block0 = hashlib.sha256(b"lxt-draw\x00abc\x00" + (0).to_bytes(8, "big")).digest()
    block1 = hashlib.sha256(b"lxt-draw\x00abc\x00" + (1).to_bytes(8, "big")).digest()
    stream = block0 + block1
    assert [rng.next_u64() for _ in range(8)] == [int.from_bytes(stream[i:i + 8], "big") for i in range(0, 64, 8)]


def test_prng_known_answers() -> None:
    # frozen: a change here means old draws no longer re-run — bump the algorithm name instead
    rng = Sha256CounterRng("双随机-2026")
    items = list(range(10))
    rng.shuffle(items)
    assert items == KNOWN_SHUFFLE


KNOWN_SHUFFLE = [9, 1, 6, 2, 4, 7, 0, 3, 8, 5]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=20), st.integers(min_value=1, max_value=1000))
def test_randbelow_stays_in_range(seed: str, n: int) -> None:
    rng = Sha256CounterRng(seed)
    assert all(0 <= rng.randbelow(n) < n for _ in range(5))


def test_shuffle_is_roughly_uniform() -> None:
    counts = [0] * 4
    for i in range(4000):
        items = [0, 1, 2, 3]
        Sha256CounterRng(f"s{i}").shuffle(items)
        counts[items[0]] += 1
    assert all(850 < c < 1150 for c in counts), counts


@pytest.mark.parametrize(("pool", "count", "proportion", "size"),
                         [(20, 6, None, 6), (20, 30, None, 20), (20, None, 0.1, 2), (20, None, 0.11, 3),
                          (7, None, 1.0, 7), (3, None, 0.5, 2)])
def test_draw_size(pool, count, proportion, size) -> None:
    assert draw_size(pool, count, proportion) == size


@pytest.mark.parametrize(("count", "proportion"), [(0, None), (None, None), (None, 0.0), (None, 1.5)])
def test_draw_size_refuses_nonsense(count, proportion) -> None:
    with pytest.raises(ValidationError):
        draw_size(10, count, proportion)


def test_same_snapshot_and_seed_same_result_different_seed_different(planned, config) -> None:
    service = DrawService(planned, LEADER, config)
    first = service.draw(SPEC)
    second = service.draw(SPEC)
    assert first.snapshot_sha256 == second.snapshot_sha256 and first.result == second.result
    assert rerun(first) == first.result
    other = service.draw(replace(SPEC, seed="fixed-seed-2"))
    assert other.snapshot_sha256 == first.snapshot_sha256
    assert other.result != first.result
    # re-running from a fresh read of the stored record (JSON round trip) gives the same result
    with planned.read() as s:
        stored = s.get(RandomDraw, first.id)
        assert rerun(stored) == first.result


def test_rerun_refuses_a_tampered_snapshot(planned, config) -> None:
    draw = DrawService(planned, LEADER, config).draw(SPEC)
    draw.pool_snapshot = {**draw.pool_snapshot, "targets": draw.pool_snapshot["targets"][1:]}
    with pytest.raises(DomainError) as err:
        rerun(draw)
    assert err.value.code == "snapshot_tampered"


def test_generated_seed_and_audit_event_hold_seed_and_snapshot_hash(planned, config) -> None:
    draw = DrawService(planned, LEADER, config).draw(replace(SPEC, seed=None))
    assert len(draw.seed) == 32
    assert draw.snapshot_sha256 == snapshot_sha256(draw.pool_snapshot)
    with planned.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.entity == "random_draw")).one()
        assert event.entity_id == draw.id and event.action == "create"
        assert event.detail["seed"] == draw.seed
        assert event.detail["snapshot_sha256"] == draw.snapshot_sha256
        assert event.detail["algorithm"] == "sha256-ctr-fisher-yates-v1"
        assert s.scalars(select(OutboxEntry.entity).where(OutboxEntry.entity_id == draw.id)).all() == ["random_draw"]


def test_at_least_two_distinct_inspectors_per_target_and_load_spread(planned, config) -> None:
    draw = DrawService(planned, LEADER, config).draw(replace(SPEC, count=20))
    assert len(draw.result) == 20
    load: dict[str, int] = {}
    for entry in draw.result:
        assert not entry["shortfall"]
        assert len(entry["officer_ids"]) == 2 and len(set(entry["officer_ids"])) == 2
        for o in entry["officer_ids"]:
            load[o] = load.get(o, 0) + 1
    assert max(load.values()) - min(load.values()) <= 2  # the fewest-assigned are taken first
    assert "o-exp" not in load and "o-nocert" not in load
    reasons = {e["officer_id"]: e["reason"] for e in draw.exclusions if e["target_id"] is None}
    assert "到期" in reasons["o-exp"] and "执法证" in reasons["o-nocert"]
    with pytest.raises(ValidationError):
        DrawService(planned, LEADER, config).draw(replace(SPEC, inspectors_per_target=1))


def test_recusal_and_own_grid_and_own_unit_exclusions(planned, config) -> None:
    spec = replace(SPEC, count=20, exclude_own_grid=True, exclude_own_unit=True, seed="x")
    draw = DrawService(planned, LEADER, config).draw(spec)
    grid_of = {t["id"]: t["grid_id"] for t in draw.pool_snapshot["targets"]}
    officer = {i["id"]: i for i in draw.pool_snapshot["inspectors"]}
    units = draw.pool_snapshot["grid_units"]
    for entry in draw.result:
        for oid in entry["officer_ids"]:
            assert officer[oid]["grid_id"] != grid_of[entry["target_id"]]
            assert officer[oid]["unit_id"] not in units.get(grid_of[entry["target_id"]], [])
        if entry["target_id"] == "tg1":
            assert "o-2" not in entry["officer_ids"]
    tg1 = {e["officer_id"]: e["reason"] for e in draw.exclusions if e["target_id"] == "tg1"}
    assert "利害关系" in tg1["o-2"] and "网格" in tg1["o-1"]
    assert "属地单位" in tg1["o-leader"]  # unit u1 is posted to grid g1 (o-1)


def test_recusal_alone_with_every_target_drawn(planned, config) -> None:
    for seed in ("a", "b", "c", "d"):
        draw = DrawService(planned, LEADER, config).draw(replace(SPEC, count=20, seed=seed))
        entry = next(e for e in draw.result if e["target_id"] == "tg1")
        assert "o-2" not in entry["officer_ids"]


def test_shortfall_is_reported_not_padded(planned, config) -> None:
    spec = replace(SPEC, count=20, inspector_ids=["o-1", "o-2", "o-3"], exclude_own_grid=True)
    draw = DrawService(planned, LEADER, config).draw(spec)
    short = [e for e in draw.result if e["shortfall"]]
    assert short and all(len(e["officer_ids"]) < 2 for e in short)
    ids, problems = DrawService(planned, LEADER, config).create_plans(draw.id, AT)
    assert len(ids) == 20 - len(short) and len(problems) == len(short) and "不足2名" in problems[0]


def test_pool_filter_and_item_list(planned, config) -> None:
    service = DrawService(planned, LEADER, config)
    preview = service.preview(replace(SPEC, grid_ids=["g1"], industries=["餐饮"]))
    with planned.read() as s:
        snapshot, _ = __import__("app.planning.draws", fromlist=["x"]).build_snapshot(
            s, replace(SPEC, grid_ids=["g1"], industries=["餐饮"]))
    assert preview.targets == len(snapshot["targets"]) and preview.targets >= 2
    assert {(t["grid_id"], t["industry"]) for t in snapshot["targets"]} == {("g1", "餐饮")}
    assert preview.inspectors == 6
    risky = service.preview(replace(SPEC, risk_grades=["D"]))
    assert 0 < risky.targets < 20
    with pytest.raises(ValidationError) as err:
        service.preview(replace(SPEC, item_codes=["GH-001"]))
    assert err.value.code == "not_random_item"
    with pytest.raises(DomainError):
        service.draw(replace(SPEC, grid_ids=["nope"]))
    with pytest.raises(DomainError):
        DrawService(planned, OFFICER, config).draw(SPEC)


def test_compute_is_pure(planned, config) -> None:
    draw = DrawService(planned, LEADER, config).draw(SPEC)
    snapshot = draw.pool_snapshot
    assert compute(snapshot, draw.seed).result == compute(snapshot, draw.seed).result == draw.result


def test_plans_from_a_draw_and_the_publication(planned, config, tmp_path) -> None:
    service = DrawService(planned, LEADER, config)
    draw = service.draw(SPEC)
    ids, problems = service.create_plans(draw.id, AT)
    assert len(ids) == 6 and problems == []
    again, _ = service.create_plans(draw.id, AT)
    assert again == []  # idempotent
    with planned.read() as s:
        plans = s.scalars(select(InspectionPlan).where(InspectionPlan.draw_id == draw.id)).all()
        assert {p.kind for p in plans} == {"random"} and len(plans) == 6
        starts = sorted(p.scheduled_at for p in plans)
        assert all(b - a >= timedelta(minutes=120) for a, b in itertools.pairwise(starts))
        by_target = {p.target_id: p for p in plans}
        for entry in draw.result:
            assert by_target[entry["target_id"]].officer_ids == entry["officer_ids"]
        rows = publication_rows(s, draw)
        html = publication_html(s, draw)
    assert [r.order for r in rows] == list(range(1, 7)) and all(r.outcome == "待检查" for r in rows)
    assert draw.seed in html and draw.snapshot_sha256 in html and "抽查结果公示" in html
    assert publication(planned, draw.id) == (html, rows)  # what the draw dialog asks for, in one read
    with pytest.raises(DomainError, match="未找到"):
        publication(planned, "no-such-draw")
    path = write_publication_csv(rows, tmp_path / "gs.csv")
    with path.open(encoding="utf-8-sig") as fh:
        table = list(csv.reader(fh))
    assert table[0][0] == "序号" and len(table) == 7 and table[1][1] == rows[0].target_name
