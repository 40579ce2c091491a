"""Verified candidate pairs, one object each (:class:`VerifiedPair`) or as columns
(:class:`VerifiedPairs`).

A build of 200k documents verifies about half a million candidate pairs; as
Python objects, classifying them, finding the overlaps and writing their report
lines cost more than verifying them.  :class:`VerifiedPairs` holds the same
facts as numpy columns: the outcome of every pair is one vectorised pass of the
same float64 arithmetic as :func:`.verify.classify` (so the same decisions), and
a pair's report line is formatted straight from the columns
(:meth:`VerifiedPairs.encoded_line`, byte-identical to encoding
:meth:`VerifiedPair.to_decision`).  Iterating gives :class:`VerifiedPair` objects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

import numpy as np

from ..record import Overlap
from .verify import DecisionParams, Similarity, classify

FOUND_BY = ("exact", "lsh", "anchors")  # bit 0, 1, 2 of a candidate's flags
#: the outcomes of a pair, as :meth:`VerifiedPairs.outcomes` codes them
OUTCOMES = ("merge", "near_miss", "overlap", "distinct")
MERGE, NEAR_MISS, OVERLAP, DISTINCT = range(4)
#: The line of dedup.jsonl that counts the verified pairs found distinct (they are not listed).
DISTINCT_PAIRS = "distinct_pairs"
#: found_by labels of each flag value (names sorted, as the report lists them)
_LABELS = [tuple(sorted(name for bit, name in enumerate(FOUND_BY) if flags >> bit & 1)) for flags in range(8)]


@dataclass(frozen=True)
class VerifiedPair:
    a: str  # a < b
    b: str
    similarity: Similarity
    exact: bool
    found_by: tuple[str, ...]

    def outcome(self, params: DecisionParams) -> str:
        return classify(self.similarity, params, self.exact)

    def to_decision(self, params: DecisionParams) -> dict:
        sim = self.similarity
        return {
            "decision": "pair",
            "a": self.a,
            "b": self.b,
            "found_by": list(self.found_by),
            "exact": self.exact,
            "jaccard": round(sim.jaccard, 4),
            "containment_a": round(sim.containment_a, 4),
            "containment_b": round(sim.containment_b, 4),
            "shingles_a": sim.shingles_a,
            "shingles_b": sim.shingles_b,
            "shared": sim.shared,
            "length_ratio": round(sim.length_ratio, 4),
            "score": round(sim.score(params), 4),
            "measure": "exact" if self.exact else sim.measure(params),
            "outcome": self.outcome(params),
        }

    @classmethod
    def from_decision(cls, d: dict) -> VerifiedPair:
        sim = Similarity(d["jaccard"], d["containment_a"], d["containment_b"], d["shingles_a"], d["shingles_b"], d["shared"])
        return cls(d["a"], d["b"], sim, d["exact"], tuple(d["found_by"]))


def flags_of(found_by: Iterable[str]) -> int:
    """The flag bits of finder names (see :data:`FOUND_BY`)."""
    return sum(1 << FOUND_BY.index(name) for name in set(found_by))


class VerifiedPairs:
    """Verified pairs as columns, row ``k`` being the pair (``ids[a[k]]``, ``ids[b[k]]``) with
    ``ids[a[k]] < ids[b[k]]``; rows sorted by (a id, b id).  The figures are those of
    :class:`Similarity` (``jaccard``, ``containment_a``/``_b`` as float64, the set sizes and
    ``shared`` as integers), ``exact`` whether the two texts are identical, ``flags`` which
    finders proposed the pair (bits of :data:`FOUND_BY`)."""

    def __init__(self, ids: Sequence[str], a: np.ndarray, b: np.ndarray, jaccard: np.ndarray,
                 containment_a: np.ndarray, containment_b: np.ndarray, shingles_a: np.ndarray,
                 shingles_b: np.ndarray, shared: np.ndarray, exact: np.ndarray, flags: np.ndarray,
                 rank: np.ndarray | None = None):
        self.ids = ids
        #: ``rank[i] < rank[j]`` when ``ids[i] < ids[j]`` (None: ``ids`` are sorted)
        self.rank = np.arange(len(ids), dtype=np.int64) if rank is None else rank
        self.a, self.b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        self.jaccard = np.asarray(jaccard, dtype=np.float64)
        self.containment_a = np.asarray(containment_a, dtype=np.float64)
        self.containment_b = np.asarray(containment_b, dtype=np.float64)
        self.shingles_a = np.asarray(shingles_a, dtype=np.int64)
        self.shingles_b = np.asarray(shingles_b, dtype=np.int64)
        self.shared = np.asarray(shared, dtype=np.int64)
        self.exact = np.asarray(exact, dtype=bool)
        self.flags = np.asarray(flags, dtype=np.uint8)

    # -- building -------------------------------------------------------------------------

    @classmethod
    def of_counts(cls, ids: Sequence[str], first: np.ndarray, second: np.ndarray, na: np.ndarray,
                  nb: np.ndarray, shared: np.ndarray, exact: np.ndarray, flags: np.ndarray,
                  rank: np.ndarray) -> VerifiedPairs:
        """Pairs of documents ``first``/``second`` (indices into ``ids``; ``rank`` orders the ids)
        from their set sizes and intersections: the figures of :func:`.verify.similarity_of_counts`,
        in the same float64 divisions; the smaller id put first, rows sorted."""
        swap = rank[first] > rank[second]
        a, b = np.where(swap, second, first), np.where(swap, first, second)
        na, nb = np.where(swap, nb, na).astype(np.int64), np.where(swap, na, nb).astype(np.int64)
        order = np.lexsort((rank[b], rank[a]))
        a, b, na, nb = a[order], b[order], na[order], nb[order]
        shared, exact, flags = np.asarray(shared)[order], np.asarray(exact)[order], np.asarray(flags)[order]
        fa, fb, fs = na.astype(np.float64), nb.astype(np.float64), shared.astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            jaccard, ca, cb = fs / (fa + fb - fs), fs / fa, fs / fb
        empty = (na == 0) | (nb == 0)  # similarity_of_counts: 1.0 if both are empty, else 0.0
        if empty.any():
            same = (na == nb).astype(np.float64)
            jaccard, ca, cb = (np.where(empty, same, x) for x in (jaccard, ca, cb))
            shared = np.where(empty, 0, shared)
        return cls(ids, a, b, jaccard, ca, cb, na, nb, shared, exact, flags, rank)

    @classmethod
    def of(cls, pairs: Iterable[VerifiedPair]) -> VerifiedPairs:
        """Columns of pair objects (any order; their figures are kept as they are)."""
        pairs = sorted(pairs, key=lambda p: (p.a, p.b))
        ids = sorted({rid for p in pairs for rid in (p.a, p.b)})
        index = {rid: k for k, rid in enumerate(ids)}
        sims = [p.similarity for p in pairs]
        return cls(ids, [index[p.a] for p in pairs], [index[p.b] for p in pairs],
                   [s.jaccard for s in sims], [s.containment_a for s in sims], [s.containment_b for s in sims],
                   [s.shingles_a for s in sims], [s.shingles_b for s in sims], [s.shared for s in sims],
                   [p.exact for p in pairs], [flags_of(p.found_by) for p in pairs])

    def take(self, rows: np.ndarray) -> VerifiedPairs:
        """The pairs at these rows (a boolean mask or indices), in order."""
        return VerifiedPairs(self.ids, self.a[rows], self.b[rows], self.jaccard[rows], self.containment_a[rows],
                             self.containment_b[rows], self.shingles_a[rows], self.shingles_b[rows],
                             self.shared[rows], self.exact[rows], self.flags[rows], self.rank)

    # -- as objects -----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.a)

    def __getitem__(self, k: int) -> VerifiedPair:
        sim = Similarity(float(self.jaccard[k]), float(self.containment_a[k]), float(self.containment_b[k]),
                         int(self.shingles_a[k]), int(self.shingles_b[k]), int(self.shared[k]))
        return VerifiedPair(self.ids[self.a[k]], self.ids[self.b[k]], sim, bool(self.exact[k]), _LABELS[self.flags[k]])

    def __iter__(self) -> Iterator[VerifiedPair]:
        return (self[k] for k in range(len(self)))

    # -- decisions ------------------------------------------------------------------------

    def length_ratio(self) -> np.ndarray:
        small = np.minimum(self.shingles_a, self.shingles_b).astype(np.float64)
        big = np.maximum(self.shingles_a, self.shingles_b).astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(big > 0, small / big, 1.0)

    def scores(self, params: DecisionParams) -> tuple[np.ndarray, np.ndarray]:
        """Every pair's score and whether it is the containment (as :meth:`Similarity.score` and
        :meth:`Similarity.measure`)."""
        long_enough = self.length_ratio() >= params.min_length_ratio
        most = np.maximum(self.containment_a, self.containment_b)
        score = np.where(long_enough, np.maximum(self.jaccard, most), self.jaccard)
        return score, long_enough & (most > self.jaccard)

    def outcomes(self, params: DecisionParams) -> np.ndarray:
        """Every pair's outcome as an index into :data:`OUTCOMES` (as :func:`.verify.classify`)."""
        score, _ = self.scores(params)
        out = np.full(len(self), DISTINCT, dtype=np.uint8)
        out[np.maximum(self.containment_a, self.containment_b) >= params.overlap_min] = OVERLAP
        out[score >= params.near_floor] = NEAR_MISS
        out[(score >= params.threshold) | self.exact] = MERGE
        return out

    def encoded_lines(self, params: DecisionParams, rows: np.ndarray) -> Iterator[tuple[str, str, str, float, str]]:
        """(line, a, b, score, outcome) of the pairs at ``rows``: ``line`` is the pair's report
        line, byte for byte what the decision log's JSON encoder (sorted keys, compact
        separators) makes of :meth:`VerifiedPair.to_decision`, formatted from the columns."""
        score, containment = self.scores(params)
        outcomes = self.outcomes(params)
        ids, labels = _JsonIds(self.ids), [_json_list(label) for label in _LABELS]
        columns = (self.a, self.b, self.containment_a, self.containment_b, self.exact, self.flags, self.jaccard,
                   self.length_ratio(), containment, outcomes, score, self.shared, self.shingles_a, self.shingles_b)
        # The columns become Python objects a slice at a time: all at once, 14 lists of every
        # listed pair's values took about 100 MB at 200k documents.
        for start in range(0, len(rows), _ENCODE_SLICE):
            part = rows[start:start + _ENCODE_SLICE]
            yield from self._encoded_slice(ids, labels, [c[part].tolist() for c in columns])

    @staticmethod
    def _encoded_slice(ids: _JsonIds, labels: list[str], columns: list[list]) -> Iterator[tuple[str, str, str, float, str]]:
        for a, b, ca, cb, exact, flags, jac, ratio, cont, outcome, sc, shared, na, nb in zip(*columns):
            (a, json_a), (b, json_b), sc, outcome = ids[a], ids[b], round(sc, 4), OUTCOMES[outcome]
            measure = "exact" if exact else "containment" if cont else "jaccard"
            line = (f'{{"a":{json_a},"b":{json_b},"containment_a":{round(ca, 4)!r},"containment_b":{round(cb, 4)!r},'
                    f'"decision":"pair","exact":{"true" if exact else "false"},"found_by":{labels[flags]},'
                    f'"jaccard":{round(jac, 4)!r},"length_ratio":{round(ratio, 4)!r},"measure":"{measure}",'
                    f'"outcome":"{outcome}","score":{sc!r},"shared":{shared},"shingles_a":{na},"shingles_b":{nb}}}')
            yield line, a, b, sc, outcome


#: Pairs turned into Python values at a time by :meth:`VerifiedPairs.encoded_lines`.
_ENCODE_SLICE = 8192


def _json_list(names: tuple[str, ...]) -> str:
    return "[" + ",".join(f'"{n}"' for n in names) + "]"


#: characters the decision log's JSON encoder escapes in a string (it writes other text as it is)
_ESCAPED = re.compile(r'["\\\x00-\x1f]')


class _JsonIds:
    """ids[k] → (id, the id as a JSON string)."""

    def __init__(self, ids: Sequence[str]):
        self.ids = ids

    def __getitem__(self, k: int) -> tuple[str, str]:
        rid = self.ids[k]
        return rid, (json.dumps(rid, ensure_ascii=False) if _ESCAPED.search(rid) else f'"{rid}"')


class EncodedLine(dict):
    """A decision line already encoded (:attr:`json`, without the newline), seen as a dict of
    the keys readers of the decision stream look at (decision, a, b, score, outcome); :meth:`full`
    is the whole line as a dict."""

    __slots__ = ("json",)

    def __init__(self, line: str, a: str, b: str, score: float, outcome: str):
        super().__init__(decision="pair", a=a, b=b, score=score, outcome=outcome)
        self.json = line

    def full(self) -> dict:
        return json.loads(self.json)


class OverlapTable(Mapping):
    """record id → its overlaps (:class:`Overlap`, made when asked for), held as columns.

    Overlaps grow with the verified pairs, which grow faster than the corpus; as a dict of lists
    of objects they cost about 130 bytes each (35 MB at 200k documents), as columns 20.  Rows
    are grouped by the record they belong to, in the order that record's list has."""

    def __init__(self, ids: Sequence[str], owner: np.ndarray, other: np.ndarray, containment: np.ndarray,
                 jaccard: np.ndarray):
        """Row k: record ``ids[owner[k]]`` shares ``containment[k]`` of itself with ``ids[other[k]]``
        (their Jaccard: ``jaccard[k]``); rows of one owner are contiguous, in list order."""
        self._ids = ids
        self._other = np.asarray(other, dtype=np.int64)
        self._containment = np.asarray(containment, dtype=np.float64)
        self._jaccard = np.asarray(jaccard, dtype=np.float64)
        owner = np.asarray(owner, dtype=np.int64)
        firsts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else np.zeros(0, np.int64)
        self._bounds = np.append(firsts, len(owner))  # group g: rows bounds[g] … bounds[g + 1] - 1
        self._owner = owner[firsts]  # index in ids of each group's record
        self._groups = {ids[o]: g for g, o in enumerate(self._owner.tolist())}

    def __getitem__(self, record_id: str) -> list[Overlap]:
        group = self._groups[record_id]
        rows = slice(*self._bounds[group : group + 2].tolist())
        ids = self._ids
        return [Overlap(ids[o], c, j) for o, c, j in
                zip(self._other[rows].tolist(), self._containment[rows].tolist(), self._jaccard[rows].tolist())]

    def subset(self, record_ids: Iterable[str]) -> OverlapTable:
        """The table of these records only (those with overlaps), naming only the ids it needs:
        what a shard writer in another process is sent."""
        groups = np.fromiter((self._groups[rid] for rid in record_ids if rid in self._groups), dtype=np.int64)
        starts, counts = self._bounds[groups], self._bounds[groups + 1] - self._bounds[groups]
        # each group's rows: its start plus 0 … count - 1
        rows = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(int(counts.sum()))
        others, other = np.unique(self._other[rows], return_inverse=True)
        ids = [self._ids[k] for k in self._owner[groups].tolist() + others.tolist()]
        return OverlapTable(ids, np.repeat(np.arange(len(groups)), counts), other.reshape(-1) + len(groups),
                            self._containment[rows], self._jaccard[rows])

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._groups

    def __iter__(self) -> Iterator[str]:
        return iter(self._groups)

    def __len__(self) -> int:
        return len(self._groups)
