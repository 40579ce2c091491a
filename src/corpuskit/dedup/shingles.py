"""Comparison keys, character shingles, MinHash signatures, LSH band keys, anchors.

Everything here is a pure function of one text (plus fixed parameters), so any
executor can compute it where the text is and ship only small arrays around.

The *comparison key* is what reprints share however they were typeset: Han
characters folded to simplified script (character-level OpenCC t2s table),
ASCII digits and lower-case Latin letters (full-width forms folded), and
nothing else — punctuation, whitespace, width and line breaks do not count.

    "２０２１年，數字產業 集群！" → "2021年数字产业集群"
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: Han blocks kept in the comparison key (BMP part; supplementary planes 2–3 are kept too).
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class ShingleParams:
    """The measured settings (see README, "Deduplication", for why these values)."""

    #: character n-gram length of the comparison key used for MinHash and for exact Jaccard
    ngram: int = 5
    #: MinHash permutations = bands × rows
    num_perm: int = 128
    bands: int = 32
    rows: int = 4
    seed: int = 20240601
    #: anchors (passage-reuse index): longer n-grams, a content-defined 1-in-``anchor_rate`` sample
    anchor_ngram: int = 12
    anchor_rate: int = 32

    def __post_init__(self):
        if self.bands * self.rows != self.num_perm:
            raise ValueError(f"bands × rows must equal num_perm ({self.bands} × {self.rows} ≠ {self.num_perm})")


@lru_cache(maxsize=2)
def fold_table(fold_script: bool = True) -> np.ndarray:
    """BMP code point → folded code point, 0 where the character is not part of the key.

    Built once per process and read-only (it is a constant, not state).
    """
    table = np.zeros(0x10000, dtype=np.uint32)
    digits = np.arange(0x30, 0x3A, dtype=np.uint32)
    lower = np.arange(0x61, 0x7B, dtype=np.uint32)
    table[digits] = digits
    table[lower] = lower
    table[lower - 32] = lower  # A-Z → a-z
    table[digits + 0xFEE0] = digits  # full-width ０-９
    table[lower + 0xFEE0] = lower  # full-width ａ-ｚ
    table[lower - 32 + 0xFEE0] = lower  # full-width Ａ-Ｚ
    for lo, hi in _HAN_RANGES:
        table[lo : hi + 1] = np.arange(lo, hi + 1, dtype=np.uint32)
    if fold_script:
        import opencc

        t2s = opencc.OpenCC("t2s")
        han = [cp for lo, hi in _HAN_RANGES for cp in range(lo, hi + 1)]
        # One call for all characters, separated so no phrase rule can span two of them.
        converted = t2s.convert("\n".join(chr(cp) for cp in han)).split("\n")
        if len(converted) == len(han):
            for cp, simp in zip(han, converted):
                if len(simp) == 1 and ord(simp) != cp:
                    table[cp] = ord(simp)
    table.flags.writeable = False
    return table


def comparison_codes(text: str, fold_script: bool = True) -> np.ndarray:
    """The comparison key of ``text`` as an array of code points (uint32)."""
    if not text:
        return np.zeros(0, dtype=np.uint32)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    table = fold_table(fold_script)
    folded = table[np.minimum(codes, 0xFFFF)]
    astral = codes > 0xFFFF
    if astral.any():  # Han extensions B… live in planes 2 and 3
        keep = astral & (codes >= 0x20000) & (codes <= 0x3FFFF)
        folded = np.where(astral, np.where(keep, codes, 0), folded)
    return folded[folded != 0]


def comparison_key(text: str, fold_script: bool = True) -> str:
    """The comparison key as a string (for display and tests)."""
    return comparison_codes(text, fold_script).astype("<u4").tobytes().decode("utf-32-le")


def _mix64(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads the rolling hash over all 64 bits."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def ngram_hashes(codes: np.ndarray, n: int) -> np.ndarray:
    """64-bit hashes of every n-gram of ``codes`` (in text order, with repeats).

    A key shorter than ``n`` gives one hash of the whole key, so very short
    texts still compare.
    """
    m = len(codes)
    if m == 0:
        return np.zeros(0, dtype=np.uint64)
    width = min(n, m)
    count = m - width + 1
    c = codes.astype(np.uint64)
    h = np.zeros(count, dtype=np.uint64)
    mult = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for j in range(width):
            h = h * mult + c[j : j + count]
        h = h + np.uint64(width)
        return _mix64(h)


def shingle_hashes(text: str, params: ShingleParams = ShingleParams(), fold_script: bool = True) -> np.ndarray:
    """Sorted, unique 64-bit hashes of the comparison key's character n-grams (the shingle set)."""
    return np.unique(ngram_hashes(comparison_codes(text, fold_script), params.ngram))


def signature_of_shingles(shingles: np.ndarray, params: ShingleParams = ShingleParams()) -> np.ndarray:
    """MinHash signature (uint32, ``num_perm`` values) of a shingle set; empty for an empty set."""
    if len(shingles) == 0:
        return np.zeros(0, dtype=np.uint32)
    from rensa import RMinHash

    offsets = np.array([0, len(shingles)], dtype=np.uint64)
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(
        np.ascontiguousarray(shingles, dtype=np.uint64), offsets, params.num_perm, params.seed
    )
    return np.asarray(matrix.to_rows()[0], dtype=np.uint32)


def signature(text: str, params: ShingleParams = ShingleParams(), fold_script: bool = True) -> np.ndarray:
    """MinHash signature of ``text``'s shingle set."""
    return signature_of_shingles(shingle_hashes(text, params, fold_script), params)


def band_keys(sig: np.ndarray, params: ShingleParams = ShingleParams()) -> np.ndarray:
    """One uint64 key per LSH band: two texts are candidates when any band key is equal."""
    if len(sig) == 0:
        return np.zeros(0, dtype=np.uint64)
    rows = sig.astype(np.uint64).reshape(params.bands, params.rows)
    h = np.arange(params.bands, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(params.rows):
            h = _mix64(h * np.uint64(0x9E3779B97F4A7C15) + rows[:, j])
    return h


def anchors(text: str, params: ShingleParams = ShingleParams(), fold_script: bool = True) -> np.ndarray:
    """Content-defined sample of long n-grams (uint32, unique): the passage-reuse index keys.

    A passage shared by two texts yields the same anchors in both whatever
    surrounds it (the sample depends only on the n-gram's own hash), so two
    articles that share a few paragraphs share anchors even when their
    Jaccard similarity is far too low for LSH to pair them.
    """
    return anchors_of_codes(comparison_codes(text, fold_script), params)


def anchors_of_codes(codes: np.ndarray, params: ShingleParams = ShingleParams()) -> np.ndarray:
    if len(codes) < params.anchor_ngram:
        return np.zeros(0, dtype=np.uint32)
    h = ngram_hashes(codes, params.anchor_ngram)
    picked = h[(h % np.uint64(params.anchor_rate)) == 0]
    return np.unique((picked >> np.uint64(32)).astype(np.uint32))
