"""Chinese script: detect the original script, convert with OpenCC.

Example (``t2s``)::

    >>> ScriptConverter("t2s")("數字產業集群加速成長")
    '数字产业集群加速成长'
    >>> ScriptDetector().detect("數字產業集群加速成長")
    'traditional'
"""

from __future__ import annotations

import operator
import re
from functools import lru_cache
from itertools import islice

import numpy as np
import opencc

from ..errors import BuildError
from .changes import Changes
from .chars import HAN_RE
from .opencc_keys import change_test

NO_CONVERSION = "none"
#: Every configuration the installed OpenCC ships, plus "none".
VALID_CONFIGS: tuple[str, ...] = tuple(sorted(c[: -len(".json")] for c in opencc.CONFIGS)) + (NO_CONVERSION,)

# Han blocks scanned to build the detection tables (BMP: URO, ext. A,
# compatibility ideographs); one OpenCC call over a newline-separated list
# converts character by character, phrases cannot match across the breaks.
_TABLE_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
# A minority script must reach this share and count to make a text "mixed":
# a few traditional names in a simplified article (or 后/台/准 in a Taiwanese
# one, which are also traditional characters) do not.
_MIXED_SHARE = 0.1
_MIXED_MIN = 3


def validate_opencc_config(config: str) -> None:
    """Raise BuildError unless ``config`` is an OpenCC configuration or "none"."""
    if config not in VALID_CONFIGS:
        raise BuildError(f"unknown OpenCC configuration {config!r} (--opencc); valid: {', '.join(VALID_CONFIGS)}")


def _char_changes(config: str, chars: list[str]) -> list[tuple[str, str]]:
    converted = opencc.OpenCC(config).convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # never seen; keep detection usable anyway
        return []
    return [(c, o) for c, o in zip(chars, converted) if o != c]


def _char_class(chars: set[str]) -> str:
    """A regex character class matching exactly ``chars`` (as ranges)."""
    codes = sorted(ord(c) for c in chars)
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        parts.append(chr(codes[i]) if i == j else f"{chr(codes[i])}-{chr(codes[j])}")
        i = j + 1
    return "[" + "".join(parts) + "]"


@lru_cache(maxsize=1)
def _detection_classes() -> tuple[str, str]:
    """(traditional-only, simplified-only) character classes; a pure function of
    the installed OpenCC, derived once per process (about 0.3 s)."""
    chars = [chr(c) for lo, hi in _TABLE_BLOCKS for c in range(lo, hi)]
    trad = {c for cfg in ("t2s", "tw2s", "hk2s") for c, _ in _char_changes(cfg, chars)}
    simp = {c for c, _ in _char_changes("s2t", chars)}
    regional = {o for cfg in ("t2tw", "t2hk") for _, o in _char_changes(cfg, chars)}
    return _char_class(trad - simp), _char_class(simp - trad - regional)


class ScriptDetector:
    """Tells simplified from traditional text by characters unique to each.

    Traditional-only characters are those OpenCC's t2s, tw2s or hk2s change;
    simplified-only ones are those s2t changes, less those that are themselves
    the Taiwan or Hong Kong standard form of a traditional character (台, 里 …).
    The tables are derived from the installed OpenCC, once per process.
    """

    def __init__(self) -> None:
        trad_class, simp_class = _detection_classes()
        #: Body of the class of traditional-only characters: a text without
        #: one is "simplified" or has no Han text (:meth:`detect_no_traditional`).
        self.traditional_class = trad_class[1:-1]
        self._trad_re = re.compile(trad_class)
        self._simp_re = re.compile(simp_class)

    def detect_no_traditional(self, text: str) -> str | None:
        """:meth:`detect` of a text the caller has found free of
        :attr:`traditional_class` (a property test compares the two)."""
        return "simplified" if HAN_RE.search(text) else None

    def detect(self, text: str) -> str | None:
        """"simplified", "traditional", "mixed", or None when there is no Han text."""
        if not HAN_RE.search(text):
            return None
        if not self._trad_re.search(text):  # the common case: one fast scan
            return "simplified"
        n_trad = len(self._trad_re.findall(text))
        # Past n_trad / _MIXED_SHARE simplified characters the answer no longer
        # changes (the traditional ones are under the share): stop counting
        # there, so a simplified text with a few traditional names is not
        # counted whole.
        n_simp = sum(1 for _ in islice(self._simp_re.finditer(text), int(n_trad / _MIXED_SHARE) + 1))
        minority = min(n_trad, n_simp)
        if minority >= _MIXED_MIN and minority >= _MIXED_SHARE * (n_trad + n_simp):
            return "mixed"
        return "traditional" if n_trad > n_simp else "simplified"


class ScriptConverter:
    """OpenCC conversion with one configuration (``"none"``: no conversion)."""

    def __init__(self, config: str = "t2s"):
        validate_opencc_config(config)
        self.config = config
        self.rule = f"opencc_{config}"
        self._converter = None if config == NO_CONVERSION else opencc.OpenCC(config)
        # OpenCC returns most texts unchanged (simplified text under t2s): an
        # exact test from its own dictionaries skips those (opencc_keys.py).
        self._may_change = None if config == NO_CONVERSION else change_test(config)
        self._phrase_anchors = "" if self._may_change is None else self._may_change.anchors

    @property
    def change_class(self) -> str | None:
        """Body of a character class such that a text this converter changes
        holds a character of it or a phrase anchor (:meth:`holds_phrase_anchor`; "" when it
        converts nothing); None when that is unknown (the dictionaries could
        not be read: every text is converted)."""
        if self._converter is None:
            return ""
        return None if self._may_change is None else self._may_change.char_class

    def holds_phrase_anchor(self, text: str) -> bool:
        """Whether ``text`` holds one of the characters of which every changing
        phrase without a changing character holds one (a few substring
        searches, each a fast scan)."""
        for anchor in self._phrase_anchors:
            if anchor in text:
                return True
        return False

    def may_change(self, text: str) -> bool:
        """Whether :meth:`apply` may change ``text`` (False: it certainly does not)."""
        if self._converter is None or not HAN_RE.search(text):
            return False
        return self._may_change is None or self._may_change(text)

    @property
    def targets_simplified(self) -> bool:
        """Whether the output script is simplified Chinese (mainland conventions apply)."""
        return self.config.endswith(("2s", "2sp"))

    def __call__(self, text: str) -> str:
        return self.apply(text, Changes())

    def apply(self, text: str, changes: Changes) -> str:
        if not self.may_change(text):
            return text
        try:
            out = self._converter.convert(text)
        except UnicodeEncodeError:  # lone surrogates: OpenCC takes UTF-8
            text = text.encode("utf-8", "replace").decode("utf-8")
            out = self._converter.convert(text)
        if out != text:
            changes.add(self.rule, _changed_chars(text, out), _first_difference(text, out))
        return out


def _changed_chars(before: str, after: str) -> int:
    """Characters changed (exact when lengths agree; phrases rarely change length)."""
    if len(before) != len(after):
        return sum(map(operator.ne, before, after)) + abs(len(before) - len(after))
    # Compare code points as arrays: 16× a Python-level loop (bench_normalize.py).
    a = np.frombuffer(before.encode("utf-32-le"), np.uint32)
    b = np.frombuffer(after.encode("utf-32-le"), np.uint32)
    return int(np.count_nonzero(a != b))


def _first_difference(before: str, after: str) -> str:
    for i, (a, b) in enumerate(zip(before, after)):
        if a != b:
            return f"{before[i:i + 12]} → {after[i:i + 12]}"
    return f"{before[-12:]} → {after[-12:]}"
