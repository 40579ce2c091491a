"""Ranking a chunk of clusters at once (one pass over each member's lines, prose sets hashed in
one batch, each pair of members intersected once) gives what the member-by-member rules give."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.dedup.merge import _SENTENCE, MemberLines, rank_members
from corpuskit.dedup.shingles import ShingleParams, shingle_hashes, shingle_sets
from corpuskit.dedup.verify import shared_count
from corpuskit.record import Record, Source

LINE = st.sampled_from([
    "", "   ", "\u3000", "分享至", "0", "UID: 329002", "上一主题 下一主题", "数字产业集群", "责任编辑：王晓明",
    "江淮腹地，“中国声谷”。", "合肥的产业链条越拉越长！", "他说，产业升级，要靠创新", "2021年增长12.5%；",
    "ＡＢＣ１２３", "長江經濟帶發展。", "a, b, c", "中", "中国", "中国声谷",
])
TEXT = st.lists(LINE, max_size=8).map("\n".join)


def reference_lines(text: str) -> tuple[str, bool, int]:
    """prose, prose_is_whole and residual_noise_lines as they were written before, one scan each."""
    prose = "\n".join(line for line in text.splitlines() if _SENTENCE.search(line))
    whole = all(_SENTENCE.search(line) or not line.strip() for line in text.splitlines())
    noise = 0
    for line in text.splitlines():
        s = line.strip()
        if not s or len(s) > 20 or _SENTENCE.search(s):
            continue
        han = len(re.findall(r"[\u4e00-\u9fff]", s))
        if han >= 4 and han >= 0.8 * len(s) and not re.search(r"\s", s):
            continue
        noise += 1
    return prose, whole, noise


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_member_lines_equal_the_three_scans(text):
    facts = MemberLines.of(text)
    assert (facts.prose, facts.whole, facts.noise_lines) == reference_lines(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(TEXT, st.text(max_size=30)), max_size=12), st.sampled_from([2, 4, 6]))
def test_shingle_sets_equal_one_text_at_a_time(texts, ngram):
    params = ShingleParams(ngram=ngram, anchor_ngram=12)
    got = shingle_sets(texts, params)
    assert len(got) == len(texts)
    for text, found in zip(texts, got):
        assert np.array_equal(found, shingle_hashes(text, params))


def reference_completeness(records: list[Record]) -> dict[str, float]:
    """Mean containment of the others' prose, each ordered pair intersected on its own."""
    sets = {}
    for r in records:
        body = reference_lines(r.text)[0]
        sets[r.id] = shingle_hashes(body if body.strip() else r.text)
    out = {}
    for r in records:
        others = [o for o in records if o.id != r.id]
        shares = [shared_count(sets[r.id], sets[o.id]) / len(sets[o.id]) if len(sets[o.id]) else 1.0 for o in others]
        out[r.id] = sum(shares) / len(shares) if shares else 1.0
    return out


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5), st.booleans())
def test_rank_members_completeness_as_before(texts, known):
    records = [Record(f"r{k}", t, [Source(f"{k}.txt", "0" * 64, "portal")]) for k, t in enumerate(texts)]
    whole = {r.id: shingle_hashes(r.text) for r in records}  # the sets dedup keeps, when known
    ranks = rank_members(records, shingles=whole.__getitem__ if known else None)
    expected = reference_completeness(records)
    assert {r.id: r.completeness for r in ranks} == expected
    assert {r.id: r.noise_lines for r in ranks} == {r.id: reference_lines(r.text)[2] for r in records}
