"""shared_counts (a chunk of candidates verified from the on-disk sets) equals shared_count per pair."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.dedup import ShingleStore, shared_counts
from corpuskit.dedup.verify import shared_count


@settings(max_examples=60, deadline=None)
@given(sets=st.lists(st.lists(st.integers(0, 60), max_size=40), min_size=2, max_size=8), data=st.data())
def test_shared_counts_equal_pairwise(sets, data, tmp_path_factory):
    sets = [np.unique(np.array(s, dtype=np.uint64)) for s in sets]  # sorted unique, some empty
    store = ShingleStore(tmp_path_factory.mktemp("shingles"))
    store.append(np.concatenate(sets), np.concatenate(([0], np.cumsum([len(s) for s in sets]))))
    store.flush()
    n = len(sets)
    pairs = sorted(data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=1, max_size=20)))
    where = np.stack([np.frombuffer(store.offsets, dtype=np.uint64), np.frombuffer(store.counts, dtype=np.uint64)], axis=1)
    first, second = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    got = shared_counts(store.path, where[first], where[second])
    assert got.tolist() == [shared_count(sets[i], sets[j]) for i, j in pairs]
    store.close()
