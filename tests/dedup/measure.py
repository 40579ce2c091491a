"""Measure the shingle length n and the LSH band layout on the labelled pair set.

    .venv/bin/python -m tests.dedup.measure

For each n: the exact scores of reprint pairs and of non-reprint pairs (the
gap between the lowest reprint and the highest non-reprint is the room the
threshold has).  For each band layout (bands × rows = 128): the share of
reprint pairs LSH makes candidates (recall of candidate generation) and the
share of non-reprint pairs it makes candidates (wasted verifications).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from corpuskit.dedup import ShingleParams, band_keys, shingle_hashes, signature_of_shingles
from corpuskit.dedup.verify import DecisionParams, similarity_of_sets

from ..conftest import RAW, REALDATA
from .pairs import build_pairs


def scores(pairs, params: ShingleParams):
    pos, neg, jac_pos = [], [], []
    for p in pairs:
        sim = similarity_of_sets(shingle_hashes(p.a, params), shingle_hashes(p.b, params))
        (pos if p.same else neg).append(sim.score(DecisionParams()))
        if p.same:
            jac_pos.append(sim.jaccard)
    return np.array(pos), np.array(neg), np.array(jac_pos)


def lsh_rates(pairs, params: ShingleParams):
    found = {True: 0, False: 0}
    total = {True: 0, False: 0}
    for p in pairs:
        ka = band_keys(signature_of_shingles(shingle_hashes(p.a, params), params), params)
        kb = band_keys(signature_of_shingles(shingle_hashes(p.b, params), params), params)
        total[p.same] += 1
        found[p.same] += bool((ka == kb).any())
    return found[True] / total[True], found[False] / total[False]


def main() -> None:
    pairs = build_pairs(REALDATA, RAW)
    print(f"{len(pairs)} pairs ({sum(p.same for p in pairs)} reprints)")
    print("n  min(reprint) p5(reprint) max(non-reprint) p99(non-reprint) gap  min-Jaccard(reprint)")
    for n in (2, 3, 4, 5, 6, 8, 10):
        pos, neg, jac = scores(pairs, ShingleParams(ngram=n))
        print(f"{n:<2} {pos.min():.3f}        {np.percentile(pos, 5):.3f}       {neg.max():.3f}            "
              f"{np.percentile(neg, 99):.3f}            {pos.min() - neg.max():+.3f} {jac.min():.3f}")
    print("bands×rows  reprints found  non-reprints made candidates  (n=%d)" % ShingleParams().ngram)
    for bands, rows in ((8, 16), (16, 8), (32, 4), (64, 2)):
        params = replace(ShingleParams(), bands=bands, rows=rows)
        r, f = lsh_rates(pairs, params)
        print(f"{bands:>3}×{rows:<3}      {r:.3f}            {f:.3f}")


if __name__ == "__main__":
    main()
