"""Issue 6.7: pair precision and recall on a labelled set built from real text."""

from __future__ import annotations

from collections import Counter

import pytest

from corpuskit.config import BuildConfig
from corpuskit.dedup import Deduplicator, ShingleParams
from corpuskit.record import Record, Source

from .pairs import build_pairs


def merged_by_pipeline_code(a: str, b: str, params: ShingleParams | None = None) -> bool:
    """Run the real Deduplicator (candidates + verification + decision) on the two texts alone."""
    dedup = Deduplicator(BuildConfig(), params)
    records = {
        "a": Record("a", a, [Source("a.txt", "0" * 64, "article")]),
        "b": Record("b", b, [Source("b.txt", "1" * 64, "portal")]),
    }
    for rec in records.values():
        dedup.add(rec)
    result = dedup.finish(records.__getitem__)
    return result.canonical.get("a") is not None and result.canonical.get("a") == result.canonical.get("b")


def evaluate(pairs, params: ShingleParams | None = None):
    tp = fp = fn = tn = 0
    errors: Counter = Counter()
    for pair in pairs:
        merged = merged_by_pipeline_code(pair.a, pair.b, params)
        if pair.same and merged:
            tp += 1
        elif pair.same:
            fn += 1
            errors[f"missed: {pair.kind}"] += 1
        elif merged:
            fp += 1
            errors[f"wrongly merged: {pair.kind}"] += 1
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn, tn, errors


@pytest.fixture(scope="module")
def labelled(realdata, raw_dir):
    return build_pairs(realdata, raw_dir)


def test_labelled_set_is_real_and_balanced(labelled):
    kinds = Counter((p.same, p.kind) for p in labelled)
    positives = sum(n for (same, _), n in kinds.items() if same)
    negatives = sum(n for (same, _), n in kinds.items() if not same)
    assert positives >= 100 and negatives >= 300
    assert kinds[(False, "shares a few paragraphs")] >= 10
    assert kinds[(False, "same portal pages")] >= 5


def test_pair_precision_and_recall(labelled, capsys):
    precision, recall, tp, fp, fn, tn, errors = evaluate(labelled)
    with capsys.disabled():
        print(f"\n[dedup quality] {len(labelled)} labelled pairs: precision {precision:.3f}, recall {recall:.3f} "
              f"(tp {tp}, fp {fp}, fn {fn}, tn {tn})")
        for what, n in sorted(errors.items()):
            print(f"[dedup quality]   {what}: {n}")
    assert precision >= 0.99
    assert recall >= 0.95
