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
    ngram: int = 4
    #: MinHash permutations = bands × rows
    num_perm: int = 128
    bands: int = 32
    rows: int = 4
    seed: int = 20240601
    #: anchors (passage-reuse index): longer n-grams, a content-defined 1-in-``anchor_rate`` sample
    anchor_ngram: int = 12
    anchor_rate: int = 32  # a power of two

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


@lru_cache(maxsize=2)
def _fold_string(fold_script: bool = True) -> str:
    """:func:`fold_table` as a ``str.translate`` table (NUL: not part of the key)."""
    return "".join(map(chr, fold_table(fold_script).tolist()))


def comparison_key(text: str, fold_script: bool = True) -> str:
    """The comparison key as a string (for display, tests and the report's sentence alignment).

    Text in the BMP is folded with one ``str.translate`` call (a few numpy calls cost more on a
    sentence); text with astral characters takes :func:`comparison_codes`."""
    if text and max(text) > "\uffff":
        return comparison_codes(text, fold_script).astype("<u4").tobytes().decode("utf-32-le")
    return text.translate(_fold_string(fold_script)).replace("\x00", "")


def sorted_unique(a: np.ndarray) -> np.ndarray:
    """np.unique for 1-d integer arrays: sort and drop repeats (several times faster than np.unique here)."""
    return drop_repeats(np.sort(a))


def drop_repeats(a: np.ndarray) -> np.ndarray:
    """A sorted 1-d array with each value once."""
    if len(a) < 2:
        return a
    return a[np.concatenate(([True], a[1:] != a[:-1]))]


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
        h = (h ^ (h >> np.uint64(31))) * np.uint64(0xBF58476D1CE4E5B9)  # a light finaliser: bits spread
        return h ^ (h >> np.uint64(29))


def shingle_hashes(text: str, params: ShingleParams = ShingleParams(), fold_script: bool = True) -> np.ndarray:
    """Sorted, unique 64-bit hashes of the comparison key's character n-grams (the shingle set)."""
    return sorted_unique(ngram_hashes(comparison_codes(text, fold_script), params.ngram))


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


def band_key_matrix(sigs: np.ndarray, params: ShingleParams = ShingleParams()) -> np.ndarray:
    """Band keys of many signatures at once: (documents × num_perm) uint32 → (documents × bands) uint64."""
    rows = sigs.astype(np.uint64).reshape(len(sigs), params.bands, params.rows)
    h = np.broadcast_to(np.arange(params.bands, dtype=np.uint64) + np.uint64(1), rows.shape[:2]).copy()
    with np.errstate(over="ignore"):
        for j in range(params.rows):
            h = _mix64(h * np.uint64(0x9E3779B97F4A7C15) + rows[:, :, j])
    return h


def band_keys(sig: np.ndarray, params: ShingleParams = ShingleParams()) -> np.ndarray:
    """One uint64 key per LSH band: two texts are candidates when any band key is equal."""
    if len(sig) == 0:
        return np.zeros(0, dtype=np.uint64)
    return band_key_matrix(np.asarray(sig, dtype=np.uint32).reshape(1, -1), params)[0]


def anchors(text: str, params: ShingleParams = ShingleParams(), fold_script: bool = True) -> np.ndarray:
    """Content-defined sample of long n-grams (uint32, unique): the passage-reuse index keys.

    A passage shared by two texts yields the same anchors in both whatever
    surrounds it (the sample depends only on the n-gram's own hash), so two
    articles that share a few paragraphs share anchors even when their
    Jaccard similarity is far too low for LSH to pair them.
    """
    return anchors_of_codes(comparison_codes(text, fold_script), params)


def _sample_below(params: ShingleParams) -> np.uint64:
    """Hashes below this value are sampled: 1 in ``anchor_rate``."""
    return np.uint64((1 << 64) // params.anchor_rate)


def anchors_of_codes(codes: np.ndarray, params: ShingleParams = ShingleParams(),
                     shingles: np.ndarray | None = None) -> np.ndarray:
    """Anchors from the comparison codes (``shingles``: their n-gram hashes, if already computed).

    An anchor n-gram's hash combines the hashes of its first and last
    ``ngram``-grams, so it reuses the shingle hashes instead of hashing again.
    """
    span = params.anchor_ngram - params.ngram
    if len(codes) < params.anchor_ngram or span < 0:
        return np.zeros(0, dtype=np.uint32)
    h = ngram_hashes(codes, params.ngram) if shingles is None else shingles
    first = h[: len(h) - span]
    at = np.flatnonzero(first < _sample_below(params))  # sampled on the first n-gram's hash
    with np.errstate(over="ignore"):
        picked = _mix64(first[at] * np.uint64(0x9E3779B97F4A7C15) + h[at + span])
    return sorted_unique((picked >> np.uint64(32)).astype(np.uint32))


class _BatchNgrams:
    """The n-gram hashes of many texts' comparison keys, computed over their concatenation:
    ``flat`` holds each text's hashes in text order (what :func:`ngram_hashes` gives, repeats
    included), ``per_doc`` how many each text has; ``all_h`` is every window of the
    concatenated key (windows across two texts included), for the anchors."""

    def __init__(self, texts: list[str], params: ShingleParams, fold_script: bool):
        n = len(texts)
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
        table = fold_table(fold_script)
        folded = np.take(table, np.minimum(codes, 0xFFFF))
        astral = codes > 0xFFFF
        if astral.any():
            folded = np.where(astral, np.where((codes >= 0x20000) & (codes <= 0x3FFFF), codes, 0), folded)
        keep = folded != 0
        self.doc_of_char = doc_of_char = np.repeat(np.arange(n, dtype=np.int64), lengths)[keep]
        key = folded[keep]
        self.key_len = key_len = np.bincount(doc_of_char, minlength=n)
        self.key_start = key_start = np.concatenate(([0], np.cumsum(key_len)[:-1]))
        g = params.ngram
        # n-gram hashes over the concatenation; a window is valid when it stays inside its text.
        m = len(key)
        if m >= g:
            self.all_h = all_h = ngram_hashes(key, g)  # one hash per start position 0 … m-g
            starts = np.arange(len(all_h), dtype=np.int64)
            valid = starts + g <= (key_start + key_len)[doc_of_char[: len(all_h)]]
        else:
            self.all_h = all_h = np.zeros(0, np.uint64)
            valid = np.zeros(0, bool)
        per_doc = np.bincount(doc_of_char[: len(all_h)][valid], minlength=n) if len(all_h) else np.zeros(n, np.int64)
        flat = all_h[valid]
        short = np.flatnonzero((key_len > 0) & (key_len < g))
        if len(short):  # keys shorter than n: one hash of the whole key, as ngram_hashes does
            counts = per_doc.copy()
            offsets = np.concatenate(([0], np.cumsum(per_doc)))
            pieces = [flat[offsets[i] : offsets[i + 1]] for i in range(n)]
            for i in short:
                pieces[i] = ngram_hashes(key[key_start[i] : key_start[i] + key_len[i]], g)
                counts[i] = len(pieces[i])
            flat = np.concatenate(pieces) if pieces else flat
            per_doc = counts
        self.flat, self.per_doc = flat, per_doc

    def sets(self) -> tuple[np.ndarray, np.ndarray]:
        """Every text's shingle set (sorted, unique: what :func:`shingle_hashes` gives), one after
        the other, and where each starts (``len(texts) + 1`` offsets).

        Each text's hashes are sorted in place, then the repeats of all texts are dropped in one
        pass (a hash equal to the one before it in the same text): one numpy call per text
        instead of the five of :func:`sorted_unique`."""
        bounds = np.concatenate(([0], np.cumsum(self.per_doc)))
        flat = self.flat.copy()
        edges = bounds.tolist()
        for start, end in zip(edges, edges[1:]):
            if end - start > 1:
                flat[start:end].sort()
        keep = np.ones(len(flat), dtype=bool)
        if len(flat) > 1:
            keep[1:] = flat[1:] != flat[:-1]
            starts = bounds[:-1]
            keep[starts[starts < len(flat)]] = True  # a text's first hash is never a repeat
        kept_before = np.concatenate(([0], np.cumsum(keep)))
        return flat[keep], kept_before[bounds].astype(np.int64)


def shingle_sets(texts: list[str], params: ShingleParams = ShingleParams(), fold_script: bool = True) -> list[np.ndarray]:
    """:func:`shingle_hashes` of many texts, in a few vectorised passes (the same sets)."""
    if not texts:
        return []
    flat, offsets = _BatchNgrams(texts, params, fold_script).sets()
    return [flat[a:b] for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]


@dataclass
class Sketches:
    """What dedup keeps of a batch of texts: band keys of the non-empty ones, and anchors."""

    band_docs: np.ndarray  # int64 positions (in the batch) of the texts that have a signature
    bands: np.ndarray  # (len(band_docs) × bands) uint64
    anchor_docs: np.ndarray  # int64 position of each anchor's text
    anchors: np.ndarray  # uint32
    #: with ``shingles=True``: every text's shingle set (what :func:`shingle_hashes` gives), one
    #: after the other, and where each starts (``len(texts) + 1`` offsets)
    shingles: np.ndarray | None = None
    shingle_offsets: np.ndarray | None = None


def sketch_batch(texts: list[str], params: ShingleParams = ShingleParams(), fold_script: bool = True,
                 shingles: bool = False) -> Sketches:
    """Band keys and anchors of many texts in a few vectorised passes (and, with ``shingles``,
    their shingle sets, which cost one small sort per text more).

    Gives exactly what :func:`band_keys` of :func:`signature`, :func:`anchors` and
    :func:`shingle_hashes` give text by text; batching only saves the per-call overhead of numpy.
    """
    from rensa import RMinHash

    n = len(texts)
    empty = Sketches(np.zeros(0, np.int64), np.zeros((0, params.bands), np.uint64), np.zeros(0, np.int64),
                     np.zeros(0, np.uint32))
    if n == 0:
        if shingles:
            empty.shingles, empty.shingle_offsets = np.zeros(0, np.uint64), np.zeros(1, np.int64)
        return empty
    grams = _BatchNgrams(texts, params, fold_script)
    key_start, key_len, doc_of_char, all_h = grams.key_start, grams.key_len, grams.doc_of_char, grams.all_h
    flat, per_doc, g = grams.flat, grams.per_doc, params.ngram
    sets = offsets_of_sets = None
    if shingles:
        sets, offsets_of_sets = grams.sets()
    band_docs = np.flatnonzero(per_doc > 0)
    if len(band_docs):
        offsets = np.concatenate(([0], np.cumsum(per_doc[band_docs]))).astype(np.uint64)
        matrix = RMinHash.digest_matrix_from_flat_token_hashes(
            np.ascontiguousarray(flat, dtype=np.uint64), offsets, params.num_perm, params.seed)
        sigs = np.asarray(matrix.to_rows(), dtype=np.uint32).reshape(len(band_docs), params.num_perm)
        bands = band_key_matrix(sigs, params)
    else:
        bands = empty.bands
    # Anchors: combine the first and last n-gram hash of each anchor-length window inside one text.
    span = params.anchor_ngram - g
    if len(all_h) > span >= 0:
        first = all_h[: len(all_h) - span]
        pos = np.flatnonzero(first < _sample_below(params))
        doc = doc_of_char[pos]
        pos, doc = pos[pos + params.anchor_ngram <= key_start[doc] + key_len[doc]], doc[pos + params.anchor_ngram <= key_start[doc] + key_len[doc]]
        with np.errstate(over="ignore"):
            combined = _mix64(first[pos] * np.uint64(0x9E3779B97F4A7C15) + all_h[pos + span])
        pairs = sorted_unique((doc.astype(np.uint64) << np.uint64(32)) | (combined >> np.uint64(32)))
        anchor_docs = (pairs >> np.uint64(32)).astype(np.int64)
        anchor_vals = (pairs & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    else:
        anchor_docs, anchor_vals = empty.anchor_docs, empty.anchors
    return Sketches(band_docs.astype(np.int64), bands, anchor_docs, anchor_vals, sets, offsets_of_sets)

