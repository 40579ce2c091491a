"""Issue 6.6: shuffling the input gives the same clusters and the same canonical records."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpuskit.config import BuildConfig
from corpuskit.dedup import Deduplicator
from corpuskit.record import Record, Source, make_record_id

from .pairs import FORUM_HEAD, FORUM_TAIL, PORTAL_HEAD, PORTAL_TAIL, drop_intro, first_line, s2t, wrap


def corpus(realdata, raw_dir) -> list[Record]:
    """Real texts with their reprints (portal, forum, traditional, no intro) and the seeds."""
    gold = sorted((realdata / "cwce" / "cleaned").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in gold]
    texts = [t for t in texts if len(t) > 600][:6]
    docs: list[tuple[str, str, str]] = []
    for i, text in enumerate(texts):
        related = [first_line(t) for t in texts[:3]]
        docs.append((f"site/{i}.txt", text, "article"))
        docs.append((f"portal/{i}.txt", wrap(text, PORTAL_HEAD, PORTAL_TAIL, first_line(text), related), "portal"))
        if i % 2 == 0:
            docs.append((f"forum/{i}.txt", s2t(wrap(drop_intro(text, 0.2), FORUM_HEAD, FORUM_TAIL, first_line(text), related)), "forum"))
        if i % 3 == 0:
            docs.append((f"copy/{i}.txt", text, "html"))
    for p in sorted(raw_dir.glob("*.txt")):
        docs.append((p.name, p.read_text(encoding="utf-8"), "forum" if p.name.startswith("004") else "article"))
    records = []
    for path, text, kind in docs:
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        title = "标题 " + path if kind == "forum" else None
        records.append(Record(make_record_id(path, sha), text, [Source(path, sha, kind)], title=title))
    return records


@pytest.fixture(scope="module")
def records(realdata, raw_dir):
    return corpus(realdata, raw_dir)


def run(records: list[Record]):
    by_id = {r.id: r for r in records}
    dedup = Deduplicator(BuildConfig())
    for rec in records:
        dedup.add(rec)
    return dedup.finish(by_id.__getitem__)


@pytest.fixture(scope="module")
def reference(records):
    return run(records)


def test_reference_corpus_has_clusters(reference):
    sizes = sorted(len({m for m, c in reference.canonical.items() if c == canon}) for canon in reference.merged)
    assert len(reference.merged) >= 7 and max(sizes) >= 3


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False))
def test_shuffled_input_gives_same_clusters_and_canonical_records(records, reference, rnd):
    shuffled = list(records)
    rnd.shuffle(shuffled)
    result = run(shuffled)
    assert result.canonical == reference.canonical
    assert {k: v.to_dict() for k, v in result.merged.items()} == {k: v.to_dict() for k, v in reference.merged.items()}
    assert result.overlaps == reference.overlaps
    assert result.decisions == reference.decisions
