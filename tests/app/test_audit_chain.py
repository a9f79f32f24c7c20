"""Property-based tests of the audit chain's arithmetic (`app.rules.audit_chain`): an untouched chain (legacy
prefix + keyed rows) always verifies; every edit, deletion (newest, middle), reorder and rewrite with
recomputed hashes is detected once an anchor covers it — by the links and hashes, the keyed MACs, or the
anchor."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.audit_chain import GENESIS, ChainRow, canonical, compare_anchors, row_hash, row_mac, walk

SECRET = b"k" * 32
OTHER = b"x" * 32

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
content = st.tuples(text, st.sampled_from(["create", "update", "void"]), text,
                    st.dictionaries(st.sampled_from(["a", "备注", "n"]), st.one_of(text, st.integers())))


def build(contents: list[tuple[str, str, str, dict]], keyed_from: int, secret: bytes = SECRET,
          start: list[ChainRow] | None = None) -> list[ChainRow]:
    """Hash (and from `keyed_from`, MAC) rows; `start` rows are kept as they are."""
    rows = list(start or [])
    prev = rows[-1].hash if rows else GENESIS
    for i, (actor, action, entity_id, detail) in enumerate(contents, len(rows) + 1):
        at = f"2026-12-03T08:{i % 60:02d}:00+00:00"
        h = row_hash(prev, canonical(i, at, actor, action, "task", entity_id, detail))
        rows.append(ChainRow(i, at, actor, action, "task", entity_id, detail, prev, h,
                             row_mac(secret, i, h) if i >= keyed_from else None))
        prev = h
    return rows


def rehash(rows: list[ChainRow], secret: bytes | None, keyed_from: int) -> list[ChainRow]:
    """What an attacker does: renumber and recompute every hash (and MACs, with the key they have)."""
    out: list[ChainRow] = []
    prev = GENESIS
    for i, r in enumerate(rows, 1):
        h = row_hash(prev, canonical(i, r.at, r.actor, r.action, r.entity, r.entity_id, r.detail))
        mac = row_mac(secret, i, h) if secret is not None and i >= keyed_from else r.mac
        out.append(replace(r, seq=i, prev_hash=prev, hash=h, mac=mac))
        prev = h
    return out


def detected(rows: list[ChainRow], keyed_from: int, anchor: tuple[int, str]) -> bool:
    res = walk(rows, secret=SECRET, keyed_from=keyed_from)
    return res.problem is not None or compare_anchors(res.hashes, res.last_seq, [anchor]) is not None


chains = st.lists(content, min_size=2, max_size=14)


@given(chains, st.integers(min_value=1, max_value=16))
def test_untouched_chain_verifies(contents: list, keyed_from: int) -> None:
    rows = build(contents, keyed_from)
    res = walk(rows, secret=SECRET, keyed_from=keyed_from)
    assert res.problem is None and res.checked == len(rows)
    assert compare_anchors(res.hashes, res.last_seq, [(rows[-1].seq, rows[-1].hash)]) is None


@settings(max_examples=150)
@given(chains, st.integers(min_value=1, max_value=16), st.data())
def test_every_tamper_covered_by_an_anchor_is_detected(contents: list, keyed_from: int, data: st.DataObject) -> None:
    rows = build(contents, keyed_from)
    anchor = (rows[-1].seq, rows[-1].hash)
    n = len(rows)
    i = data.draw(st.integers(min_value=0, max_value=n - 1), label="row")
    op = data.draw(st.sampled_from(["edit", "delete", "delete_newest", "reorder", "rewrite_nokey",
                                    "rewrite_with_key", "strip_mac", "truncate_rehash"]), label="op")
    t = list(rows)
    if op == "edit":
        t[i] = replace(t[i], actor=t[i].actor + "改")
    elif op == "delete":
        del t[i]
    elif op == "delete_newest":
        t = t[:-1]
    elif op == "reorder":
        j = data.draw(st.integers(min_value=0, max_value=n - 1).filter(lambda j: j != i), label="other")
        t[i], t[j] = replace(t[j], seq=t[i].seq), replace(t[i], seq=t[j].seq)
    elif op == "rewrite_nokey":  # edit and recompute every hash; MACs cannot be recomputed without the key
        t[i] = replace(t[i], actor=t[i].actor + "改")
        t = rehash(t, OTHER, keyed_from)
    elif op == "rewrite_with_key":  # even the key holder cannot move an anchored hash
        t[i] = replace(t[i], actor=t[i].actor + "改")
        t = rehash(t, SECRET, keyed_from)
    elif op == "strip_mac":
        if rows[i].mac is None:
            t[i] = replace(t[i], actor=t[i].actor + "改")
        t = [replace(r, mac=None) for r in rehash(t, None, keyed_from)]
    elif op == "truncate_rehash":
        del t[i]
        t = rehash(t, SECRET, keyed_from)
    assert detected(t, keyed_from, anchor), (op, i)


@given(chains, st.integers(min_value=2, max_value=14))
def test_keyed_rows_vouch_for_the_legacy_rows_before_them(contents: list, keyed_from: int) -> None:
    """Rewriting a legacy (un-keyed) row and re-hashing breaks the MAC of the first keyed row."""
    rows = build(contents, keyed_from)
    if keyed_from > len(rows):
        return
    t = list(rows)
    t[0] = replace(t[0], actor=t[0].actor + "改")
    t = rehash(t, None, keyed_from)
    res = walk(t, secret=SECRET, keyed_from=keyed_from)
    assert res.kind == "mac" and res.broken_at == keyed_from


def test_a_row_newer_than_the_last_anchor_can_be_removed_unnoticed() -> None:
    """What verify cannot see (documented in docs/audit.md): rows after the newest anchor may be cut off."""
    rows = build([("a", "create", "t1", {})] * 5, 1)
    anchor = (3, rows[2].hash)
    assert not detected(rows[:4], 1, anchor)
    assert detected(rows[:2], 1, anchor)
