"""Exact similarity of two texts and the decision it leads to.

Candidates found by LSH or by shared anchors are verified here on the exact
shingle sets, never on estimates.  The decision uses one figure, the *score*:

* Jaccard |A∩B| / |A∪B| in general;
* the containment of the smaller text in the larger, |A∩B| / min(|A|, |B|),
  when the smaller has at least ``min_length_ratio`` of the larger's shingles —
  a reprint that lost its intro or its last paragraphs is still the article,
  whereas a text that quotes a few paragraphs of a longer one is not.

A pair merges when the score reaches the threshold; a pair just under it is a
*near miss* (shown in the report so a person can check the threshold); a pair
that does not merge but where one text shares at least ``overlap_min`` of its
shingles with the other is an *overlap*, recorded on both records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .shingles import ShingleParams, shingle_hashes


@dataclass(frozen=True)
class DecisionParams:
    #: score at or above which two records are the same article
    threshold: float = 0.8
    #: the smaller text must have at least this share of the larger's shingles for containment to count
    min_length_ratio: float = 0.5
    #: near misses: score in [threshold - near_miss_margin, threshold) (and at least threshold / 2)
    near_miss_margin: float = 0.2
    #: an unmerged pair is an overlap when one record shares at least this much of itself with the other
    overlap_min: float = 0.1

    @property
    def near_floor(self) -> float:
        """The lowest score of a near miss."""
        return max(self.threshold - self.near_miss_margin, self.threshold / 2)


@dataclass(frozen=True)
class Similarity:
    jaccard: float
    containment_a: float  # share of a's shingles found in b
    containment_b: float  # share of b's shingles found in a
    shingles_a: int
    shingles_b: int
    shared: int

    @property
    def length_ratio(self) -> float:
        big = max(self.shingles_a, self.shingles_b)
        return min(self.shingles_a, self.shingles_b) / big if big else 1.0

    def score(self, params: DecisionParams = DecisionParams()) -> float:
        if self.length_ratio >= params.min_length_ratio:
            return max(self.jaccard, self.containment_a, self.containment_b)
        return self.jaccard

    def measure(self, params: DecisionParams = DecisionParams()) -> str:
        """Which figure the score is: "jaccard" or "containment"."""
        if self.length_ratio >= params.min_length_ratio and max(self.containment_a, self.containment_b) > self.jaccard:
            return "containment"
        return "jaccard"

    def to_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def shared_count(a: np.ndarray, b: np.ndarray) -> int:
    """|a ∩ b| of two sorted unique arrays (binary search of the smaller in the larger: no re-sort)."""
    if len(a) > len(b):
        a, b = b, a
    if len(a) == 0:
        return 0
    idx = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return int(np.count_nonzero(b[idx] == a))


def similarity_of_sets(a: np.ndarray, b: np.ndarray) -> Similarity:
    """Exact figures for two sorted unique shingle-hash arrays."""
    na, nb = len(a), len(b)
    return similarity_of_counts(na, nb, shared_count(a, b) if na and nb else 0)


def similarity_of_counts(na: int, nb: int, shared: int) -> Similarity:
    """Exact figures from the sizes of two shingle sets and of their intersection."""
    if na == 0 or nb == 0:
        same = na == nb
        return Similarity(1.0 if same else 0.0, 1.0 if same else 0.0, 1.0 if same else 0.0, na, nb, 0)
    union = na + nb - shared
    return Similarity(shared / union, shared / na, shared / nb, na, nb, shared)


def verify_pair(a_text: str, b_text: str, params: ShingleParams = ShingleParams(), fold_script: bool = True) -> Similarity:
    """Exact Jaccard and both containments of two texts' shingle sets."""
    return similarity_of_sets(shingle_hashes(a_text, params, fold_script), shingle_hashes(b_text, params, fold_script))


def classify(sim: Similarity, params: DecisionParams = DecisionParams(), exact: bool = False) -> str:
    """The outcome of a verified pair: merge, near_miss, overlap or distinct."""
    if exact:
        return "merge"
    score = sim.score(params)
    if score >= params.threshold:
        return "merge"
    if score >= params.near_floor:
        return "near_miss"
    if max(sim.containment_a, sim.containment_b) >= params.overlap_min:
        return "overlap"
    return "distinct"
