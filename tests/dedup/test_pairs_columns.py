"""VerifiedPairs (pairs as columns) decides and writes exactly what VerifiedPair objects do."""

from __future__ import annotations

import json
import pickle

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.dedup import decide
from corpuskit.dedup.pairs import OUTCOMES, EncodedLine, VerifiedPair, VerifiedPairs
from corpuskit.dedup.report import _ENCODER
from corpuskit.dedup.verify import DecisionParams, classify, similarity_of_counts
from corpuskit.record import Record, Source

ID = st.text(alphabet=st.sampled_from('0123456789abcdef"\\\n中'), min_size=1, max_size=6)


@st.composite
def counted_pairs(draw):
    ids = sorted(draw(st.sets(ID, min_size=2, max_size=8)))
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        i, j = draw(st.integers(0, len(ids) - 1)), draw(st.integers(0, len(ids) - 1))
        if i == j:
            continue
        na, nb = draw(st.integers(0, 3000)), draw(st.integers(0, 3000))
        rows.append((i, j, na, nb, draw(st.integers(0, min(na, nb))), draw(st.booleans()), draw(st.integers(1, 7))))
    rows = list({tuple(sorted(r[:2])): r for r in rows}.values())  # one row per pair, as candidates are
    return ids, rows


PARAMS = st.builds(DecisionParams, threshold=st.sampled_from([0.1, 0.5, 0.8, 0.95]),
                   min_length_ratio=st.sampled_from([0.0, 0.5, 0.9]), near_miss_margin=st.sampled_from([0.0, 0.2]),
                   overlap_min=st.sampled_from([0.05, 0.1, 0.3]))


def objects(ids, rows) -> list[VerifiedPair]:
    """What a loop over the candidates made before the columns: one object per pair, smaller id first."""
    labels = [tuple(sorted(n for bit, n in enumerate(("exact", "lsh", "anchors")) if f >> bit & 1)) for f in range(8)]
    out = []
    for i, j, na, nb, shared, exact, flags in rows:
        if ids[i] > ids[j]:
            i, j, na, nb = j, i, nb, na
        out.append(VerifiedPair(ids[i], ids[j], similarity_of_counts(na, nb, shared), exact, labels[flags]))
    return sorted(out, key=lambda p: (p.a, p.b))


def columns(ids, rows) -> VerifiedPairs:
    cols = list(zip(*rows))
    rank = np.argsort(np.argsort(np.array(ids)))
    return VerifiedPairs.of_counts(ids, np.array(cols[0]), np.array(cols[1]), np.array(cols[2]), np.array(cols[3]),
                                   np.array(cols[4]), np.array(cols[5]), np.array(cols[6], dtype=np.uint8), rank)


@settings(max_examples=300, deadline=None)
@given(counted_pairs(), PARAMS)
def test_columns_equal_objects(case, params):
    ids, rows = case
    if not rows:
        return
    table, expected = columns(ids, rows), objects(ids, rows)
    assert list(table) == expected
    assert [OUTCOMES[o] for o in table.outcomes(params)] == [classify(p.similarity, params, p.exact) for p in expected]
    lines = list(table.encoded_lines(params, np.arange(len(table))))
    for (line, a, b, score, outcome), pair in zip(lines, expected):
        decision = pair.to_decision(params)
        assert line == _ENCODER.encode(decision)  # byte for byte what the log's encoder writes
        assert EncodedLine(line, a, b, score, outcome).full() == decision
        assert (a, b, score, outcome) == (decision["a"], decision["b"], decision["score"], decision["outcome"])
    assert list(VerifiedPairs.of(expected)) == expected  # objects → columns → the same objects


def test_decide_gives_the_same_from_objects_and_columns():
    """Clusters, overlaps and lines do not depend on how the pairs were handed over."""
    ids = ["a1", "b2", "c3", "d4", "e5"]
    rows = [(0, 1, 100, 100, 95, False, 2), (1, 2, 100, 120, 90, False, 4), (0, 3, 100, 80, 30, False, 2),
            (2, 3, 120, 80, 20, False, 6), (3, 4, 80, 60, 4, False, 2), (4, 0, 60, 100, 60, True, 1)]
    texts = {rid: Record(id=rid, text=f"正文{rid}。", sources=[Source(path=f"{rid}.txt", kind="article", sha256=rid)]) for rid in ids}
    fetch = lambda rid: texts[rid]  # noqa: E731
    params = DecisionParams()
    from corpuskit.dedup import ShingleParams

    got = [decide(p, fetch, ShingleParams(), params) for p in (columns(ids, rows), objects(ids, rows))]
    assert got[0].canonical == got[1].canonical and got[0].canonical  # something merged
    assert got[0].overlaps == got[1].overlaps and got[0].overlaps  # and something overlaps
    encoded = [json.loads(d.json) if isinstance(d, EncodedLine) else d for d in got[0].decision_lines(encoded=True)]
    assert encoded == got[1].decisions


@settings(max_examples=100, deadline=None)
@given(counted_pairs(), PARAMS, st.integers(1, 4), st.data())
def test_lines_encoded_slice_by_slice_are_the_lines_of_the_rows_asked_for(case, params, size, data):
    """encoded_lines turns the columns into Python values a slice at a time: slice boundaries
    change nothing, whichever rows (in order) are asked for."""
    import corpuskit.dedup.pairs as pairs_module

    ids, rows = case
    if not rows:
        return
    table = columns(ids, rows)
    wanted = np.array(sorted(data.draw(st.sets(st.integers(0, len(table) - 1)))), dtype=np.int64)
    whole = [list(table.encoded_lines(params, np.arange(len(table))))[k] for k in wanted.tolist()]
    saved = pairs_module._ENCODE_SLICE
    pairs_module._ENCODE_SLICE = size
    try:
        assert list(table.encoded_lines(params, wanted)) == whole
    finally:
        pairs_module._ENCODE_SLICE = saved


def reference_overlaps(pairs, outcomes, decision, canonical) -> dict:
    """The overlaps by their definition, pair by pair (not the columns' arithmetic): for each two
    published records, the first verified pair of their members with the largest summed
    containments, when either containment reaches ``overlap_min``; each record's overlaps sorted
    by containment, largest first, then by the other record's id."""
    from corpuskit.dedup.pairs import MERGE
    from corpuskit.record import Overlap

    best: dict[tuple[str, str], tuple[float, float, float, float]] = {}
    for row, pair in enumerate(pairs):
        sim = pair.similarity
        ca, cb = sim.containment_a, sim.containment_b
        if outcomes[row] == MERGE or max(ca, cb) < decision.overlap_min:
            continue
        a, b = canonical.get(pair.a, pair.a), canonical.get(pair.b, pair.b)
        if a == b:
            continue
        if b < a:
            a, b, ca, cb = b, a, cb, ca
        if (a, b) not in best or ca + cb > best[a, b][0]:
            best[a, b] = (ca + cb, ca, cb, sim.jaccard)
    overlaps: dict[str, list] = {}
    for (a, b), (_, ca, cb, jaccard) in best.items():
        overlaps.setdefault(a, []).append(Overlap(b, round(ca, 4), round(jaccard, 4)))
        overlaps.setdefault(b, []).append(Overlap(a, round(cb, 4), round(jaccard, 4)))
    for rows in overlaps.values():
        rows.sort(key=lambda o: (-o.containment, o.record_id))
    return overlaps


@settings(max_examples=300, deadline=None)
@given(counted_pairs(), PARAMS, st.data())
def test_the_overlap_table_lists_what_the_lists_of_objects_did(case, params, data):
    """Overlaps as columns (OverlapTable): per record, the same overlaps in the same order as
    the dict of sorted lists of Overlap objects that decide made before, merged clusters included."""
    from corpuskit.dedup import DedupResult, _overlaps

    ids, rows = case
    if not rows:
        return
    table = columns(ids, rows)
    canon_of = data.draw(st.lists(st.integers(0, len(ids) - 1), min_size=len(ids), max_size=len(ids)))
    canonical = {ids[k]: ids[min(k, c)] for k, c in enumerate(canon_of) if min(k, c) != k}
    canonical.update({c: c for c in set(canonical.values())})
    outcomes = table.outcomes(params)
    got = _overlaps(DedupResult(canonical=canonical), table, outcomes, params)
    expected = reference_overlaps(table, outcomes, params, canonical)
    assert len(got) == len(expected) and {rid: got[rid] for rid in got} == expected
    assert all(rid in got for rid in expected) and "no such record" not in got
    wanted = data.draw(st.lists(st.sampled_from(ids + ["no such record"]), unique=True))
    part = pickle.loads(pickle.dumps(got.subset(wanted)))  # as a shard writer receives it
    assert {rid: part[rid] for rid in part} == {rid: expected[rid] for rid in wanted if rid in expected}
    assert list(part) == [rid for rid in wanted if rid in expected]
