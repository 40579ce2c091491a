"""Issue 8.5: the dedup candidate index spills to disk in shards when it passes its memory
budget, and decides exactly as the in-memory index does; verification and merging in a process
pool decide exactly as in one process."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.config import BuildConfig
from corpuskit.dedup import Deduplicator, FOUND_BY

from .test_order_independence import corpus


@pytest.fixture(scope="module")
def records(realdata, raw_dir):
    return corpus(realdata, raw_dir)


def decisions(records, config: BuildConfig, executor=None, batches: int = 1, reader=None):
    by_id = {r.id: r for r in records}
    dedup = Deduplicator(config)
    # several add calls, so that a small budget spills more than once
    size = max(1, len(records) // batches)
    for at in range(0, len(records), size):
        for rec in records[at : at + size]:
            dedup.add(rec)
        dedup._flush()
    spilled = dedup._lsh._files is not None
    result = dedup.finish(by_id.__getitem__, executor, reader)
    return spilled, result


def test_spilled_index_decides_as_in_memory(records):
    in_memory, reference = decisions(records, BuildConfig())
    spilled, result = decisions(records, BuildConfig(dedup_memory=1), batches=4)
    assert not in_memory and spilled
    assert result.decisions == reference.decisions
    assert result.canonical == reference.canonical
    assert any(len(p.found_by) > 1 for p in result.pairs)  # flags of several finders are kept


def test_candidate_flags_name_every_finder(records):
    dedup = Deduplicator(BuildConfig(dedup_memory=1))
    for rec in records:
        dedup.add(rec)
    codes, flags = dedup.candidate_pairs()
    assert len(codes) == len(flags) > 0
    assert list(codes) == sorted(set(codes.tolist()))  # sorted, unique
    n = len(records)
    assert all(i < j for i, j in (divmod(int(c), n) for c in codes))
    assert {int(f) for f in flags} <= set(range(1, 1 << len(FOUND_BY)))


@pytest.mark.parametrize("memory", [1, 1 << 30])
def test_candidates_found_while_releasing_the_index_are_the_same(records, memory):
    """release=True (what finish asks for) lets each index go once grouped: the same candidates,
    and nothing of the index is held afterwards, in memory or spilled."""
    dedup = Deduplicator(BuildConfig(dedup_memory=memory))
    for rec in records:
        dedup.add(rec)
    codes, flags = dedup.candidate_pairs()
    again, again_flags = dedup.candidate_pairs(release=True)
    assert codes.tolist() == again.tolist() and flags.tolist() == again_flags.tolist() and len(codes)
    assert dedup.index_bytes == 0 and not any(i.spilled for i in (dedup._exact, dedup._lsh, dedup._anchor_index))


def test_parallel_verification_decides_as_one_process(records, monkeypatch):
    import corpuskit.dedup as dedup_module

    _, reference = decisions(records, BuildConfig())
    monkeypatch.setattr(dedup_module, "VERIFY_CHUNK", 7)  # many chunks, even on a small corpus
    monkeypatch.setattr(dedup_module, "MERGE_CHUNK", 2)
    by_id = {r.id: r for r in records}

    def reader(ids):  # what RecordSpill.reader gives: a picklable fetch of just these records
        return {i: by_id[i] for i in ids}.__getitem__

    with ProcessPoolExecutor(2) as pool:
        _, result = decisions(records, BuildConfig(), pool, reader=reader)
    assert len(reference.clusters) > 2  # so the merging really ran in several tasks
    assert result.decisions == reference.decisions
    assert result.canonical == reference.canonical
    assert {k: v.text for k, v in result.merged.items()} == {k: v.text for k, v in reference.merged.items()}


def test_pairs_only_counted_as_distinct_are_those_classify_calls_distinct(records):
    by_id = {r.id: r for r in records}

    def finish(keep: bool):
        dedup = Deduplicator(BuildConfig())
        for rec in records:
            dedup.add(rec)
        return dedup.finish(by_id.__getitem__, keep_distinct=keep)

    every, counted = finish(True), finish(False)
    params = every.decision_params
    distinct = [p for p in every.pairs if p.outcome(params) == "distinct"]
    assert counted.distinct_pairs > 0 and every.distinct_pairs == 0
    assert len(counted.pairs) + counted.distinct_pairs == len(every.pairs)
    assert {(p.a, p.b) for p in every.pairs} - {(p.a, p.b) for p in counted.pairs} <= {(p.a, p.b) for p in distinct}
    assert counted.decisions == every.decisions  # the report lines are the same either way


def test_shingle_store_file_is_removed_when_never_finished(tmp_path):
    import gc

    from corpuskit.record import Record, Source

    dedup = Deduplicator(BuildConfig(), work_dir=tmp_path)
    dedup.add(Record("a", "一段足够长的正文，用来生成几个分片。" * 3, [Source("a.txt", "0")]))
    dedup._flush()
    assert list(tmp_path.glob("shingles-*"))
    del dedup
    gc.collect()
    assert not list(tmp_path.glob("shingles-*"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), max_size=30), max_size=5), st.integers(1, 4))
def test_joined_codes_are_the_codes_seen_often_enough_across_parts(parts, at_least):
    """joined_codes (a sort in place) keeps what np.unique with counts kept: each code found at
    least ``at_least`` times in all the parts together, once, sorted."""
    from corpuskit.dedup import joined_codes

    arrays = [np.array(p, dtype=np.uint64) for p in parts]
    values, counts = np.unique(np.concatenate(arrays) if arrays else np.zeros(0, np.uint64), return_counts=True)
    got = joined_codes(list(arrays), at_least)
    assert got.dtype == np.uint64
    assert got.tolist() == values[counts >= at_least].tolist()


def test_map_ahead_keeps_order_and_holds_at_most_ahead_tasks():
    """map_ahead gives executor.map's results in order, but makes a task only when fewer than
    ``ahead`` are waiting to be taken (Executor.map makes and holds them all at once)."""
    from concurrent.futures import ThreadPoolExecutor

    from corpuskit.dedup import map_ahead

    made, taken = [], []

    def tasks():
        for k in range(20):
            made.append(k)
            assert len(made) - len(taken) <= 3  # never more than `ahead` made and not taken
            yield k

    with ThreadPoolExecutor(2) as pool:
        for result in map_ahead(pool, lambda k: k * k, tasks(), ahead=3):
            taken.append(result)
    assert taken == [k * k for k in range(20)] and made == list(range(20))


@pytest.mark.parametrize("workers", [1, 3])
def test_map_ahead_holds_two_tasks_per_worker_of_the_executor(workers):
    """By default the depth follows the executor's own worker count, not the machine's cores."""
    from concurrent.futures import ThreadPoolExecutor

    from corpuskit.dedup import map_ahead

    made, taken, most = [], [], [0]

    def tasks():
        for k in range(30):
            made.append(k)
            most[0] = max(most[0], len(made) - len(taken))
            yield k

    with ThreadPoolExecutor(workers) as pool:
        for result in map_ahead(pool, lambda k: k + 1, tasks()):
            taken.append(result)
    assert taken == [k + 1 for k in range(30)]
    assert most[0] == 2 * workers
