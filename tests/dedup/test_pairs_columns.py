"""VerifiedPairs (pairs as columns) decides and writes exactly what VerifiedPair objects do."""

from __future__ import annotations

import json

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
