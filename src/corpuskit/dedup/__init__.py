"""Dedup stage: find reprints of the same article and merge each cluster.

:class:`Deduplicator` sees every record once (``add``, or ``add_sketches`` of
records sketched elsewhere) and keeps only small fixed-size sketches of it in
memory — text hashes, the LSH band keys of its MinHash signature and a sample of
anchors — and its shingle set on disk, never the text.
``finish`` then

1. finds candidate pairs in linear time: equal text hashes (exact
   duplicates), equal LSH band keys (near duplicates), and shared anchors
   (articles reusing a few paragraphs of each other);
2. verifies every candidate on the exact shingle sets (Jaccard and both
   containments): each record's set was made with its sketch (in the worker that
   cleaned it) and kept on disk (:class:`ShingleStore`), so verification reads
   sets back by offset, in chunks that worker processes can share;
3. merges pairs whose score reaches the threshold (union-find), chooses each
   cluster's canonical text by the rule in :mod:`.merge`, and records overlaps
   between records it did not merge.  Merged records and the texts of merged-away
   records go to on-disk stores as clusters are decided; the decision log is
   made line by line (:meth:`DedupResult.decision_lines`) while it is written.

The building blocks are pure functions so another executor can distribute them:
:func:`shingle_hashes`, :func:`signature`, :func:`band_keys`, :func:`anchors`,
:func:`verify_pair`, :func:`classify`, :func:`choose_canonical`,
:func:`merge_cluster`, :func:`cluster_pairs`.

Cluster ids: a record merged with others has ``dedup_cluster`` = the canonical
record's id (which is also the merged record's id); a record with no reprint
has ``dedup_cluster`` = None.
"""

from __future__ import annotations

import array
import os
import pickle
import tempfile
import weakref
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from concurrent.futures import Executor
from typing import Callable, Iterable, Iterator, Mapping

import numpy as np
import xxhash

from ..config import BuildConfig
from ..record import Overlap, Record
from ..spill import FileSet, OwnFile
from .merge import MemberLines, choose_canonical, explain_choice, merge_cluster, prose_sets, rank_members, residual_noise_lines
from .shingles import (
    ShingleParams,
    Sketches,
    anchors,
    anchors_of_codes,
    band_keys,
    comparison_codes,
    comparison_key,
    drop_repeats,
    ngram_hashes,
    shingle_hashes,
    signature,
    signature_of_shingles,
    sketch_batch,
    sorted_unique,
)
from .pairs import DISTINCT, DISTINCT_PAIRS, FOUND_BY, MERGE, EncodedLine, OverlapTable, VerifiedPair, VerifiedPairs
from .store import DiskList, DiskStore, _remove_file
from .verify import DecisionParams, Similarity, classify, verify_pair

__all__ = [
    "Deduplicator", "DedupResult", "ShingleParams", "DecisionParams", "Similarity",
    "sketch", "sketch_batch", "shingle_hashes", "signature", "band_keys", "anchors", "comparison_key", "verify_pair", "classify",
    "choose_canonical", "merge_cluster", "rank_members", "residual_noise_lines", "cluster_pairs",
    "comparison_codes", "ngram_hashes", "signature_of_shingles", "anchors_of_codes", "decide", "VerifiedPair",
    "RecordSketches", "sketch_records", "VerifiedPairs", "FOUND_BY",
]

#: Candidate generation limits (they bound the work per bucket, so cost stays linear).
BUCKET_WINDOW = 8  # in an LSH bucket sorted by id, each record is compared with the next 8
ANCHOR_CAP = 32  # an anchor shared by more records than this is boilerplate, not reuse
ANCHOR_MIN_SHARED = 2  # anchors two records must share to be an overlap candidate
SKETCH_BATCH = 512  # texts sketched together (numpy per-call overhead dominates for single texts)
VERIFY_CHUNK = 8192  # candidate pairs per parallel verification task
MERGE_CHUNK = 512  # clusters per parallel merge task
INDEX_SHARD_BITS = 4  # a spilled candidate index is split into 16 shards by key
CANDIDATE_PARTS = 8  # an index held in memory is grouped in this many parts (in parallel with a pool)


@dataclass
class DedupResult:
    #: member id → canonical id, for every record that is in a cluster of two or more
    canonical: dict[str, str] = field(default_factory=dict)
    #: canonical id → the merged record published in place of the canonical one (on disk: one offset
    #: each), without its overlaps: those are in ``overlaps`` (``pipeline.as_published`` joins them)
    merged: DiskStore | dict[str, Record] = field(default_factory=dict)
    #: record id → overlaps with records it was not merged with
    overlaps: Mapping[str, list[Overlap]] = field(default_factory=dict)  # an OverlapTable once decided
    #: the settings line of reports/dedup.jsonl
    settings: dict = field(default_factory=dict)
    #: every verified candidate pair but those only counted in ``distinct_pairs``, sorted by (a, b)
    #: (as columns; iterating gives VerifiedPair objects), and the parameters that classify them
    pairs: VerifiedPairs = field(default_factory=lambda: VerifiedPairs.of(()))
    decision_params: DecisionParams = field(default_factory=DecisionParams)
    #: one "cluster" line per cluster, one "merge" line per merged-away record (without its text;
    #: on disk, written as clusters are decided)
    clusters: DiskList | list[dict] = field(default_factory=list)
    merges: DiskList | list[dict] = field(default_factory=list)
    #: record id → text of each merged-away record (on disk, written as clusters are decided)
    merged_texts: DiskStore | dict[str, str] = field(default_factory=dict)
    #: verified pairs found distinct and left out of ``pairs`` (only counted)
    distinct_pairs: int = 0

    def decision_lines(self, encoded: bool = False) -> Iterator[dict]:
        """The lines of reports/dedup.jsonl, made one at a time (merge texts read back from disk).

        Pairs found distinct (every figure under ``overlap_min``: most LSH and anchor false
        positives) are counted in one ``distinct_pairs`` line, not listed one by one.  With
        ``encoded``, pair lines come as :class:`EncodedLine` (the line's JSON made from the
        columns, without a dict per pair: what the report writer uses)."""
        params, pairs = self.decision_params, self.pairs
        listed = np.flatnonzero(pairs.outcomes(params) != DISTINCT)
        yield self.settings
        yield {"decision": DISTINCT_PAIRS, "count": self.distinct_pairs + len(pairs) - len(listed)}
        if encoded:
            for line in pairs.encoded_lines(params, listed):
                yield EncodedLine(*line)
        else:
            for k in listed.tolist():
                yield pairs[k].to_decision(params)
        yield from self.clusters
        for m in self.merges:
            yield {**m, "text": self.merged_texts[m["record"]]}

    @property
    def decisions(self) -> list[dict]:
        """All decision lines as a list (small corpora and tests; writers use :meth:`decision_lines`)."""
        return list(self.decision_lines())


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:  # path compression
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # smaller id is root: independent of order


def cluster_pairs(pairs: Iterable[VerifiedPair], params: DecisionParams) -> list[list[str]]:
    """Connected components of the merge edges, each sorted, sorted by first id."""
    return clusters_of_edges((p.a, p.b) for p in pairs if p.outcome(params) == "merge")


def clusters_of_edges(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components of these edges (id pairs), each sorted, sorted by first id."""
    uf = _UnionFind()
    for a, b in edges:
        uf.union(a, b)
    groups: dict[str, list[str]] = {}
    for x in list(uf.parent):
        groups.setdefault(uf.find(x), []).append(x)
    for root in list(groups):
        if root not in groups[root]:
            groups[root].append(root)
    return sorted((sorted(set(g)) for g in groups.values() if len(set(g)) > 1), key=lambda g: g[0])


def _window_pairs(keys: np.ndarray, docs: np.ndarray, rank: np.ndarray, window: int) -> np.ndarray:
    """Pairs (as lo*N+hi codes) of documents with equal keys, each compared with the next
    ``window`` documents of the same key in id order — order-independent and linear."""
    if len(keys) < 2:
        return np.zeros(0, dtype=np.uint64)
    order = np.lexsort((rank[docs], keys))
    return sorted_unique(_run_pairs(keys[order], docs[order], window, len(rank)))


def _run_pairs(k: np.ndarray, d: np.ndarray, window: int, n: int) -> np.ndarray:
    """Codes ``lo * n + hi`` of the documents ``d`` that are at most ``window`` apart in a run of
    equal keys ``k`` (``k`` sorted), with repeats."""
    out = []
    n = np.uint64(n)
    for w in range(1, min(window, len(k) - 1) + 1):
        same = k[:-w] == k[w:]
        if not same.any():
            break
        a, b = d[:-w][same].astype(np.uint64), d[w:][same].astype(np.uint64)
        out.append(np.minimum(a, b) * n + np.maximum(a, b))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.uint64)


def map_ahead(executor: Executor, fn: Callable, items: Iterable, ahead: int | None = None) -> Iterator:
    """``executor.map(fn, items)``, in order, with at most ``ahead`` tasks submitted and not yet
    taken (default: two per worker of the executor, or per core when it does not say).
    ``Executor.map`` submits every task at once, so all of them, made from a lazy ``items`` or
    not, are held (and pickled) together; here a task is made only when a slot frees, so the
    tasks held are bounded, not the whole index or every pair."""
    # (_max_workers: both concurrent.futures executors have it, though it is not public)
    ahead = ahead or 2 * (getattr(executor, "_max_workers", None) or os.cpu_count() or 1)
    pending: deque = deque()
    try:
        for item in items:
            pending.append(executor.submit(fn, item))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:  # (left early: the tasks not started are dropped, as Executor.map does)
        for future in pending:
            future.cancel()


def joined_codes(parts: list[np.ndarray], at_least: int = 1) -> np.ndarray:
    """The codes found ``at_least`` times in all the ``parts`` together, sorted, once each.

    The parts are let go (the list is emptied) once joined, and the join is sorted in place:
    at 200k documents the anchors give 7M codes, and ``np.unique``'s copies of them were the
    build's memory peak."""
    if not parts:
        return np.zeros(0, dtype=np.uint64)
    codes = np.concatenate(parts)
    parts.clear()
    codes.sort()
    if at_least > 1 and len(codes):  # sorted: a code seen k times or more equals the one k - 1 places on
        gap = at_least - 1
        codes = codes[gap:][codes[gap:] == codes[:-gap]]
    return drop_repeats(codes)


def _anchor_codes(keys: np.ndarray, docs: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Pair codes of the documents sharing each anchor held by 2 … ANCHOR_CAP documents, once
    per anchor (a pair's count of codes is how many anchors it shares)."""
    if len(keys) < 2:
        return np.zeros(0, dtype=np.uint64)
    order = np.argsort(keys, kind="stable")
    k, d = keys[order], docs[order]
    starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
    lengths = np.diff(np.append(starts, len(k)))
    run_len = np.repeat(lengths, lengths)
    keep = (run_len >= 2) & (run_len <= ANCHOR_CAP)
    return _run_pairs(k[keep], d[keep], ANCHOR_CAP - 1, len(rank))  # every pair of a run


def _candidates_task(task: tuple) -> np.ndarray:
    how, keys, docs, rank = task
    docs = docs.astype(np.int64)  # (sent as uint32: half the bytes)
    if how == "anchors":
        return _anchor_codes(keys, docs, rank)
    return _window_pairs(keys, docs, rank, BUCKET_WINDOW)


def sketch(text: str, params: ShingleParams = ShingleParams()) -> tuple[int, np.ndarray, np.ndarray]:
    """All ``Deduplicator.add`` keeps of a text: its exact hash, LSH band keys and anchors
    (for many texts use :func:`sketch_batch`, which gives the same keys faster)."""
    sk = sketch_batch([text], params)
    keys = sk.bands[0] if len(sk.band_docs) else np.zeros(0, dtype=np.uint64)
    return xxhash.xxh3_64_intdigest(text.encode("utf-8")), keys, sk.anchors


@dataclass
class RecordSketches:
    """All the dedup index keeps of some records, made where their texts are (a worker process)
    so that only these arrays travel: ids, exact text hashes (64-bit for the exact-duplicate
    buckets, 128-bit to confirm a pair is identical), band keys, anchors and shingle sets
    (or, once :meth:`write_shingles` put them in a file, where they are)."""

    ids: list[str]
    text_hashes: list[int]
    digests: list[int]
    sketches: Sketches
    #: the file and byte offset the shingle sets were written at (``sketches.shingles`` is then None)
    shingle_file: str | None = None
    shingle_start: int = 0

    def write_shingles(self, sink: OwnFile) -> None:
        """Append the shingle sets to ``sink`` (a file of this process's own) and keep only where."""
        sets = np.ascontiguousarray(self.sketches.shingles, dtype=np.uint64)
        self.shingle_start = sink.append(sets.tobytes())
        self.shingle_file = sink.path
        self.sketches.shingles = None


def sketch_records(ids: list[str], texts: list[str], params: ShingleParams = ShingleParams()) -> RecordSketches:
    """The sketches of records, in order (batching does not change them: see :func:`sketch_batch`)."""
    encoded = [t.encode("utf-8") for t in texts]
    return RecordSketches(list(ids), [xxhash.xxh3_64_intdigest(b) for b in encoded],
                          [xxhash.xxh3_128_intdigest(b) for b in encoded], sketch_batch(texts, params, shingles=True))


class ShingleStore:
    """Every record's shingle set, on disk (8 bytes a shingle) in add order: verification reads
    them back instead of fetching and re-hashing texts, and worker processes read them by offset
    themselves (:func:`shared_counts`), so memory holds three integers per record.

    Sets are appended here (file 0) or were written by worker processes to files of their own
    (:meth:`add_written`); a set is (file number, byte offset, count)."""

    def __init__(self, work_dir: Path | None = None):
        # a named file (workers open it by name), removed by close() or, if a caller never
        # finishes, when the store is collected or the interpreter exits
        fd, self.path = tempfile.mkstemp(dir=work_dir, prefix="shingles-")
        self._file = os.fdopen(fd, "wb")
        self._remove = weakref.finalize(self, _remove_file, self.path)
        self.files = FileSet([self.path])
        self.numbers = array.array("Q")  # file number of each set
        self.offsets = array.array("Q")
        self.counts = array.array("Q")
        self._end = 0

    def append(self, shingles: np.ndarray, offsets: np.ndarray) -> None:
        """Add the sets of a batch: ``shingles`` one after the other, ``offsets`` where each starts."""
        data = np.ascontiguousarray(shingles, dtype=np.uint64)
        self._file.write(data.tobytes())
        self._add(0, self._end, offsets)
        self._end += data.nbytes

    def add_written(self, path: str, start: int, offsets: np.ndarray) -> None:
        """Add the sets of a batch a worker wrote to ``path`` from byte ``start`` on (``offsets``:
        where each starts, in shingles)."""
        self._add(self.files.number(path), start, offsets)

    def _add(self, number: int, start: int, offsets: np.ndarray) -> None:
        starts = offsets[:-1].astype(np.uint64) * np.uint64(8) + np.uint64(start)
        self.numbers.extend([number] * (len(offsets) - 1))
        self.offsets.extend(starts.tolist())
        self.counts.extend(np.diff(offsets).tolist())

    def where(self) -> np.ndarray:
        """(file number, offset, count) of every set, one row each, in add order."""
        return np.stack([np.frombuffer(column, dtype=np.uint64) for column in (self.numbers, self.offsets, self.counts)],
                        axis=1)

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()
        self.files.close(remove_from=1)
        self._remove()


def _read_set(files: FileSet, number: int, offset: int, count: int) -> np.ndarray:
    """One shingle set of a :class:`ShingleStore`."""
    return np.frombuffer(files.read(number, offset, count * 8), dtype=np.uint64)


class ShingleReader:
    """Reads some records' shingle sets from a :class:`ShingleStore`'s files by id; picklable
    (a worker process opens the files itself)."""

    def __init__(self, files: FileSet, where: dict[str, tuple[int, int, int]]):
        self.files = files
        self.where = where

    def __call__(self, record_id: str) -> np.ndarray:
        return _read_set(self.files, *self.where[record_id])


def shared_counts(files: FileSet, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|A ∩ B| for each pair of shingle sets, given as (file number, offset, count) rows ``a``
    and ``b`` of a :class:`ShingleStore`'s ``files`` (a pure function of the files: any process
    can run it on a chunk).

    Candidates come sorted by their first document, so consecutive rows often share ``a``: the
    sets paired with one ``a`` are searched in it together (one binary search of their
    concatenation, hits summed per set), not one numpy call per pair."""
    out = np.zeros(len(a), dtype=np.int64)
    if not len(a):
        return out
    try:
        # a set is the whole row: an empty set starts where the next one does
        starts = np.flatnonzero(np.concatenate(([True], (a[1:] != a[:-1]).any(axis=1))))
        ends = np.append(starts[1:], len(a))
        rows_b = b.tolist()
        for start, end, row in zip(starts.tolist(), ends.tolist(), a[starts].tolist()):
            mine = _read_set(files, *row)
            theirs = [_read_set(files, *rows_b[k]) for k in range(start, end)]
            if not len(mine):
                continue
            joined = np.concatenate(theirs)
            if not len(joined):
                continue
            at = np.minimum(np.searchsorted(mine, joined), len(mine) - 1)
            hits = np.concatenate(([0], np.cumsum(mine[at] == joined)))
            bounds = np.concatenate(([0], np.cumsum([len(t) for t in theirs])))
            out[start:end] = hits[bounds[1:]] - hits[bounds[:-1]]
        return out
    finally:
        files.close()


def _shared_counts_task(task: tuple[FileSet, np.ndarray, np.ndarray]) -> np.ndarray:
    return shared_counts(*task)


_ENTRY = {np.dtype(np.uint64): np.dtype([("key", "<u8"), ("doc", "<u4")]),
          np.dtype(np.uint32): np.dtype([("key", "<u4"), ("doc", "<u4")])}


class KeyIndex:
    """(key, document) entries of one kind — exact text hashes, LSH band keys or anchors.

    Kept in memory until :meth:`spill` (the deduplicator calls it when its index passes
    ``BuildConfig.dedup_memory``); then written to 2 ** ``INDEX_SHARD_BITS`` files on disk, split by the
    key's top bits.  Equal keys always land in the same shard, so candidate generation groups
    keys one shard at a time (:meth:`shards`) and memory holds one shard, not the index.
    """

    def __init__(self, key_dtype, work_dir: Path | None = None):
        self.dtype = _ENTRY[np.dtype(key_dtype)]
        self.work_dir = work_dir
        self._keys = array.array("Q" if self.dtype["key"].itemsize == 8 else "I")
        self._docs = array.array("I")
        self._files: list | None = None

    @property
    def nbytes(self) -> int:
        return len(self._keys) * self._keys.itemsize + len(self._docs) * 4

    def extend(self, keys: np.ndarray, docs: np.ndarray) -> None:
        self._keys.frombytes(np.ascontiguousarray(keys, dtype=self.dtype["key"]).tobytes())
        self._docs.frombytes(np.ascontiguousarray(docs, dtype=np.uint32).tobytes())

    def _shard_of(self, keys: np.ndarray) -> np.ndarray:
        return (keys >> (keys.dtype.itemsize * 8 - INDEX_SHARD_BITS)).astype(np.int64)

    def _memory_entries(self) -> np.ndarray:
        entries = np.empty(len(self._keys), dtype=self.dtype)
        entries["key"] = np.frombuffer(self._keys, dtype=self.dtype["key"])
        entries["doc"] = np.frombuffer(self._docs, dtype=np.uint32)
        return entries

    def spill(self) -> None:
        """Move the entries held in memory to the shard files."""
        if not len(self._keys):
            return
        if self._files is None:
            self._files = [tempfile.TemporaryFile(dir=self.work_dir, prefix="index-") for _ in range(1 << INDEX_SHARD_BITS)]
        entries = self._memory_entries()
        shard = self._shard_of(entries["key"])
        order = np.argsort(shard, kind="stable")
        bounds = np.searchsorted(shard[order], np.arange((1 << INDEX_SHARD_BITS) + 1))
        for s, f in enumerate(self._files):
            f.write(entries[order[bounds[s] : bounds[s + 1]]].tobytes())
        self._keys = array.array(self._keys.typecode)
        self._docs = array.array("I")

    @property
    def spilled(self) -> bool:
        return self._files is not None

    def shards(self, parts: int = 1) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(keys, uint32 documents) of each shard in turn; never spilled, the entries held in
        memory are cut into ``parts`` (a power of two) by the key's top bits instead (read in
        place: the only copies are the parts')."""
        if self._files is None:
            keys = np.frombuffer(self._keys, dtype=self.dtype["key"])
            docs = np.frombuffer(self._docs, dtype=np.uint32)
            bits = max(parts, 1).bit_length() - 1
            if not bits:
                yield keys.copy(), docs.copy()  # (copies: the buffers stay free to grow)
                return
            part = (keys >> (keys.dtype.itemsize * 8 - bits)).astype(np.uint8)
            for s in range(1 << bits):
                chosen = part == s
                yield keys[chosen], docs[chosen]
            return
        memory = self._memory_entries()
        shard = self._shard_of(memory["key"])
        for s, f in enumerate(self._files):
            f.seek(0)
            entries = np.concatenate([np.frombuffer(f.read(), dtype=self.dtype), memory[shard == s]])
            yield entries["key"], entries["doc"]

    def close(self) -> None:
        """Let the entries go, on disk and in memory."""
        for f in self._files or ():
            f.close()
        self._files = None
        self._keys = array.array(self._keys.typecode)
        self._docs = array.array("I")


class Deduplicator:
    def __init__(self, config: BuildConfig | None = None, params: ShingleParams | None = None,
                 work_dir: Path | None = None):
        self.config = config or BuildConfig()
        self.work_dir = work_dir  # where finish keeps merged texts and records (default: the system temp dir)
        self.params = params or ShingleParams()
        self.decision = DecisionParams(threshold=self.config.dedup_threshold)
        self._ids: list[str] = []
        self._digests = array.array("Q")  # 128-bit text hashes, two words each
        self._shingles: ShingleStore | None = None  # opened on the first add
        self._exact = KeyIndex(np.uint64, work_dir)  # 64-bit text hash of every document
        self._lsh = KeyIndex(np.uint64, work_dir)  # band keys (every band's keys differ: one key space)
        self._anchor_index = KeyIndex(np.uint32, work_dir)
        self._pending: list[tuple[str, str]] = []  # (id, text) not sketched yet (at most SKETCH_BATCH)

    def add(self, record: Record) -> None:
        self._pending.append((record.id, record.text))
        if len(self._pending) >= SKETCH_BATCH:
            self._flush()

    def add_sketches(self, sketches: RecordSketches) -> None:
        """Add records sketched elsewhere (:func:`sketch_records` in a worker process): the same
        as :meth:`add` of each record, in order, without their texts ever reaching this process."""
        self._flush()
        first = len(self._ids)
        count = len(sketches.ids)
        self._ids.extend(sketches.ids)
        for digest in sketches.digests:
            self._digests.extend(divmod(digest, 1 << 64))
        sk = sketches.sketches
        if self._shingles is None:
            self._shingles = ShingleStore(self.work_dir)
        if sketches.shingle_file is not None:  # written by the worker that sketched them
            self._shingles.add_written(sketches.shingle_file, sketches.shingle_start, sk.shingle_offsets)
        else:
            self._shingles.append(sk.shingles, sk.shingle_offsets)
        self._exact.extend(np.array(sketches.text_hashes, dtype=np.uint64), np.arange(first, first + count))
        self._lsh.extend(sk.bands.ravel(), np.repeat(sk.band_docs + first, self.params.bands))
        self._anchor_index.extend(sk.anchors, sk.anchor_docs + first)
        if self.index_bytes > self.config.dedup_memory:
            for index in (self._exact, self._lsh, self._anchor_index):
                index.spill()

    @property
    def index_bytes(self) -> int:
        """Memory held by the candidate index (the part not spilled to disk yet)."""
        return self._exact.nbytes + self._lsh.nbytes + self._anchor_index.nbytes

    def _flush(self) -> None:
        """Sketch the pending texts in one vectorised pass, then let them go."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        self.add_sketches(sketch_records([rid for rid, _ in pending], [text for _, text in pending], self.params))

    # -- candidates -------------------------------------------------------------------------

    def candidate_pairs(self, executor: Executor | None = None, release: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Candidate document pairs as sorted codes ``i * N + j`` (document indices, i < j) and
        what found each, as bit flags in the order of :data:`FOUND_BY` (exact, lsh, anchors).

        Each index is grouped one shard at a time (see :class:`KeyIndex`); an index held in
        memory is split into ``CANDIDATE_PARTS`` parts by key that an ``executor`` groups in
        parallel (a spilled one is read shard by shard here, to keep its memory bound).  With
        ``release``, each index is let go once grouped (:meth:`finish` needs them no more): the
        band keys are gone before the anchors are grouped."""
        self._flush()
        n = len(self._ids)
        empty = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint8)
        if n < 2:
            return empty
        rank = self._id_rank()

        def grouped(index: KeyIndex, how: str) -> list[np.ndarray]:
            tasks = ((how, keys, docs, rank) for keys, docs in index.shards(CANDIDATE_PARTS))
            parallel = executor is not None and not index.spilled
            found = list(map_ahead(executor, _candidates_task, tasks) if parallel else map(_candidates_task, tasks))
            if release:
                index.close()
            return found

        codes = [joined_codes(grouped(self._exact, "window")), joined_codes(grouped(self._lsh, "window")),
                 # a pair's anchor codes come once per anchor it shares (from any part)
                 joined_codes(grouped(self._anchor_index, "anchors"), ANCHOR_MIN_SHARED)]
        every = joined_codes(list(codes))
        flags = np.zeros(len(every), dtype=np.uint8)
        for bit, part in enumerate(codes):
            flags[np.searchsorted(every, part)] |= np.uint8(1 << bit)
        return every, flags

    def _id_rank(self) -> np.ndarray:
        """Each document's position in id order (pairs and buckets are ordered by id, not by
        arrival, so the decisions do not depend on the input order)."""
        rank = np.empty(len(self._ids), dtype=np.int64)
        rank[np.argsort(np.array(self._ids))] = np.arange(len(self._ids))
        return rank

    # -- decisions --------------------------------------------------------------------------

    def finish(self, fetch: Callable[[str], Record], executor: Executor | None = None,
               reader: Callable[[list[str]], Callable[[str], Record]] | None = None,
               keep_distinct: bool = False) -> DedupResult:
        """Verify the candidates, cluster and merge.

        ``fetch`` gives a record by id (for merging).  With an ``executor`` (``map`` in order,
        e.g. a process pool), candidates are verified in chunks of ``VERIFY_CHUNK`` pairs in
        parallel, and with a ``reader`` too (ids → a picklable fetch of those records, such as
        :meth:`corpuskit.spill.RecordSpill.reader`) clusters are merged in parallel; the result
        is the same.  Pairs found distinct (the log counts them, it does not list them) are only
        counted (``DedupResult.distinct_pairs``) unless ``keep_distinct``: they change no cluster
        and no overlap.
        """
        codes, flags = self.candidate_pairs(executor, release=True)
        ids = self._ids
        n = max(len(ids), 1)
        store = self._shingles
        none = np.zeros(0, dtype=np.int64)
        pairs = VerifiedPairs(ids, none, none, none, none, none, none, none, none, none, none)
        skipped = 0
        if len(codes):
            store.flush()
            where = store.where()
            first = (codes // np.uint64(n)).astype(np.int64)
            second = (codes % np.uint64(n)).astype(np.int64)
            tasks = ((store.files, where[first[at : at + VERIFY_CHUNK]], where[second[at : at + VERIFY_CHUNK]])
                     for at in range(0, len(codes), VERIFY_CHUNK))
            parallel = executor is not None and len(codes) > VERIFY_CHUNK
            shared = np.concatenate(list(map_ahead(executor, _shared_counts_task, tasks) if parallel
                                         else map(_shared_counts_task, tasks)))
            counts = np.frombuffer(store.counts, dtype=np.uint64)
            words = np.frombuffer(self._digests, dtype=np.uint64).reshape(-1, 2)
            exact = (words[first] == words[second]).all(axis=1)
            pairs = VerifiedPairs.of_counts(ids, first, second, counts[first], counts[second], shared, exact, flags,
                                            self._id_rank())
            if not keep_distinct:
                listed = pairs.outcomes(self.decision) != DISTINCT
                skipped = int(len(pairs) - np.count_nonzero(listed))
                pairs = pairs.take(listed)
        del codes, flags
        for index in (self._exact, self._lsh, self._anchor_index):
            index.close()
        shingles = None
        if store is not None:
            store.flush()
            index_of = {rid: k for k, rid in enumerate(ids)}

            def shingles(members: list[str]) -> ShingleReader:
                return ShingleReader(FileSet(store.files.paths),
                                     {m: (store.numbers[index_of[m]], store.offsets[index_of[m]], store.counts[index_of[m]])
                                      for m in members})
        try:
            result = decide(pairs, fetch, self.params, self.decision, self.work_dir, executor, reader, shingles)
            result.distinct_pairs = skipped
            return result
        finally:
            if store is not None:
                store.close()


def merge_clusters(clusters: list[list[str]], rules: list[str], params: ShingleParams,
                   fetch: Callable[[str], Record], shingles: Callable[[str], np.ndarray] | None = None) -> list[tuple]:
    """Merge each cluster (its member ids, and the rule that merged them): per cluster, the
    canonical id, the members, the merged record and its "cluster" decision line (pickled) and,
    per merged-away member, its id, "merge" line and text (pickled: the main process stores the
    bytes as they are).  A pure function of the records."""
    out = []
    everyone = [fetch(m) for members in clusters for m in members]
    lines = [MemberLines.of(r.text) for r in everyone]
    sets = prose_sets(everyone, lines, params, shingles)  # hashed in one batch for the whole chunk
    at = 0
    for members, rule in zip(clusters, rules):
        mine = slice(at, at + len(members))
        at += len(members)
        records = everyone[mine]
        ranks = rank_members(records, params, lines=lines[mine], sets=sets[mine])
        canonical = ranks[0].id
        merged = merge_cluster(records, canonical, params, ranks, rule)
        by_id = {r.id: r for r in records}
        cluster_line = {
            "decision": "cluster",
            "cluster": canonical,
            "canonical": canonical,
            "merge_rule": rule,
            "canonical_rule": explain_choice(ranks),
            "members": [{**r.to_dict(), "sources": [dict(vars(s)) for s in by_id[r.id].sources],
                         "title": by_id[r.id].title} for r in ranks],
        }
        merges = []
        for r in ranks[1:]:
            rec = by_id[r.id]
            merges.append((r.id, _pickled({"decision": "merge", "record": r.id, "into": canonical,
                                           "detail": f"merged into {canonical}", "title": rec.title,
                                           "sources": [dict(vars(s)) for s in rec.sources]}), _pickled(rec.text)))
        out.append((canonical, members, _pickled(merged), _pickled(cluster_line), merges))
    return out


def _pickled(value) -> bytes:
    """Pickled where it is made, so the main process writes the bytes to its store as they are."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _merge_clusters_task(task: tuple) -> list[tuple]:
    return merge_clusters(*task)


def decide(pairs: VerifiedPairs | Iterable[VerifiedPair], fetch: Callable[[str], Record], params: ShingleParams,
           decision: DecisionParams, work_dir: Path | None = None, executor: Executor | None = None,
           reader: Callable[[list[str]], Callable[[str], Record]] | None = None,
           shingles: Callable[[list[str]], Callable[[str], np.ndarray]] | None = None) -> DedupResult:
    """Clusters, merged records, overlaps and the decision log from verified pairs.

    Merged records and merged-away texts go to on-disk stores in ``work_dir`` as each
    cluster is decided; the result holds the pairs, the cluster lines and offsets.  With an
    ``executor`` and a ``reader`` (ids → a picklable fetch of those records), clusters are
    merged in parallel chunks of ``MERGE_CHUNK``; the result is the same.
    """
    if not isinstance(pairs, VerifiedPairs):
        pairs = VerifiedPairs.of(pairs)
    result = DedupResult(merged=DiskStore(work_dir), merged_texts=DiskStore(work_dir), pairs=pairs,
                         clusters=DiskList(work_dir), merges=DiskList(work_dir),
                         decision_params=decision)
    result.settings = {"decision": "settings", **asdict(params), **asdict(decision),
                       "bucket_window": BUCKET_WINDOW, "anchor_cap": ANCHOR_CAP,
                       "anchor_min_shared": ANCHOR_MIN_SHARED}
    ids = pairs.ids
    outcomes = pairs.outcomes(decision)  # classified once, in one vectorised pass
    merging = np.flatnonzero(outcomes == MERGE)
    ma, mb = pairs.a[merging].tolist(), pairs.b[merging].tolist()
    clusters = clusters_of_edges((ids[i], ids[j]) for i, j in zip(ma, mb))
    member_of = {m: c[0] for c in clusters for m in c}
    _, by_containment = pairs.scores(decision)
    edges: dict[str, set[str]] = {}  # a merge edge always lies inside its cluster
    for i, exact, containment in zip(ma, pairs.exact[merging].tolist(), by_containment[merging].tolist()):
        edges.setdefault(member_of[ids[i]], set()).add("exact" if exact else "containment" if containment else "jaccard")
    rules = ["+".join(sorted(edges.get(members[0], ()))) for members in clusters]
    tasks = [(clusters[at : at + MERGE_CHUNK], rules[at : at + MERGE_CHUNK], params)
             for at in range(0, len(clusters), MERGE_CHUNK)]

    def known_sets(chunk: list[list[str]]):
        return shingles([m for members in chunk for m in members]) if shingles is not None else None

    if executor is not None and reader is not None and len(tasks) > 1:
        done = map_ahead(executor, _merge_clusters_task,
                         ((c, r, p, reader([m for members in c for m in members]), known_sets(c)) for c, r, p in tasks))
    else:
        done = (merge_clusters(c, r, p, fetch, known_sets(c)) for c, r, p in tasks)
    for part in done:
        for canonical, members, merged, cluster_line, merges in part:
            result.merged.set_pickled(canonical, merged)
            for m in members:
                result.canonical[m] = canonical
            result.clusters.append_pickled(cluster_line)
            for record_id, line, text in merges:
                result.merges.append_pickled(line)
                result.merged_texts.set_pickled(record_id, text)
    # (not written into the merged records: that re-pickled every merged record with an
    # overlap; the publisher adds each record's overlaps as it writes it, see as_published)
    result.overlaps = _overlaps(result, pairs, outcomes, decision)
    return result


def _overlaps(result: DedupResult, pairs: VerifiedPairs, outcomes: np.ndarray, decision: DecisionParams) -> OverlapTable:
    """Overlaps between published records (after merging): per pair of published records, the
    verified pair of their members with the largest containments (the first such in pair order),
    when one of them shares at least ``overlap_min`` of itself with the other; in columns.  Each
    record's overlaps are listed by containment, largest first, then by the other record's id."""
    ids, rank = pairs.ids, pairs.rank
    canon = np.arange(len(ids), dtype=np.int64)  # member → its cluster's canonical, by index
    if result.canonical:
        index_of = {rid: k for k, rid in enumerate(ids)}
        members = np.fromiter((index_of[m] for m in result.canonical), dtype=np.int64, count=len(result.canonical))
        canon[members] = np.fromiter((index_of[c] for c in result.canonical.values()), dtype=np.int64,
                                     count=len(result.canonical))
    ca, cb = pairs.containment_a, pairs.containment_b
    rows = np.flatnonzero((outcomes != MERGE) & (np.maximum(ca, cb) >= decision.overlap_min))
    pa, pb = canon[pairs.a[rows]], canon[pairs.b[rows]]
    apart = pa != pb
    rows, pa, pb = rows[apart], pa[apart], pb[apart]
    swap = rank[pa] > rank[pb]
    pa, pb = np.where(swap, pb, pa), np.where(swap, pa, pb)
    ca, cb = np.where(swap, cb[rows], ca[rows]), np.where(swap, ca[rows], cb[rows])
    jaccard = pairs.jaccard[rows]
    order = np.lexsort((rows, -(ca + cb), rank[pb], rank[pa]))
    pa, pb, ca, cb, jaccard = pa[order], pb[order], ca[order], cb[order], jaccard[order]
    best = np.ones(len(pa), dtype=bool)
    best[1:] = (pa[1:] != pa[:-1]) | (pb[1:] != pb[:-1])
    pa, pb, ca, cb, jaccard = (c[best] for c in (pa, pb, ca, cb, jaccard))
    # each pair gives one row to either record; figures rounded as the report rounds them
    # (Python's round: numpy's can differ in the last digit)
    owner, other = np.concatenate([pa, pb]), np.concatenate([pb, pa])
    containment = np.array([round(x, 4) for x in np.concatenate([ca, cb]).tolist()], dtype=np.float64)
    jaccard = np.array([round(x, 4) for x in jaccard.tolist()] * 2, dtype=np.float64)
    order = np.lexsort((rank[other], -containment, owner))
    return OverlapTable(ids, owner[order], other[order], containment[order], jaccard[order])
