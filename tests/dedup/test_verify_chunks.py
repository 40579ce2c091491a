"""shared_counts (a chunk of candidates verified from the on-disk sets) equals shared_count per
pair, with the sets in the store's own file and in files worker processes wrote."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.dedup import ShingleStore, shared_counts
from corpuskit.dedup.verify import shared_count
from corpuskit.spill import OwnFile


@settings(max_examples=60, deadline=None)
@given(sets=st.lists(st.lists(st.integers(0, 60), max_size=40), min_size=2, max_size=8), data=st.data())
def test_shared_counts_equal_pairwise(sets, data, tmp_path_factory):
    sets = [np.unique(np.array(s, dtype=np.uint64)) for s in sets]  # sorted unique, some empty
    folder = tmp_path_factory.mktemp("shingles")
    store = ShingleStore(folder)
    workers = [OwnFile(folder, "shingles-a-"), OwnFile(folder, "shingles-b-")]
    cut = data.draw(st.integers(0, len(sets)))
    for at, batch in enumerate((sets[:cut], sets[cut:])):  # one batch here, one written by "workers"
        flat = np.concatenate(batch) if batch else np.zeros(0, np.uint64)
        offsets = np.concatenate(([0], np.cumsum([len(s) for s in batch]))).astype(np.int64)
        if at == 0:
            store.append(flat, offsets)
        else:
            sink = workers[data.draw(st.integers(0, 1))]
            sink.append(b"x" * 8 * data.draw(st.integers(0, 3)))  # the worker wrote other batches first
            start = sink.append(flat.tobytes())
            store.add_written(sink.path, start, offsets)
    store.flush()
    n = len(sets)
    pairs = sorted(data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=1, max_size=20)))
    where = store.where()
    first, second = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    got = shared_counts(store.files, where[first], where[second])
    assert got.tolist() == [shared_count(sets[i], sets[j]) for i, j in pairs]
    store.close()
