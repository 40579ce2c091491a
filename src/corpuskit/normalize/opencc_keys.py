"""Which texts an OpenCC configuration can change, read from its own dictionaries.

OpenCC replaces a text piece by piece, each piece a key of one of the
configuration's dictionaries; a key whose (first) value is the key itself
changes nothing.  So a text that holds no *changing* key of any dictionary the
configuration names (normalisation, segmentation, every conversion step)
comes out of OpenCC as it went in, and the converter can skip it: most of a
simplified corpus, under ``t2s``.  The test is exact, not a guess:

* every single-character changing key goes into one character class;
* a longer changing key that holds one of those characters is covered by it;
  the others (``深沈`` → ``深沉``: neither character changes alone) are
  searched for as literal phrases.

Example::

    >>> may_change = change_test("t2s")
    >>> bool(may_change("数字产业集群加速成长")), bool(may_change("數字")), bool(may_change("深沈"))
    (False, True, True)

The dictionaries are ``.ocd2`` files: a header, a MARISA trie of the keys, and
the values indexed by key id (OpenCC's ``SerializedValues``).  Anything this
reader does not recognise (another dictionary type, a new file format) makes
:func:`change_test` return None, and the caller converts every text.
"""

from __future__ import annotations

import json
import os
import re
import struct
from functools import lru_cache
from typing import Iterator

import opencc

OCD2_HEADER = b"OPENCC_MARISA_0.2.5"


class UnknownDictionary(ValueError):
    """A dictionary this reader cannot read exactly."""


def share_dir() -> str:
    """Where the installed OpenCC keeps its configurations and dictionaries."""
    return os.path.join(os.path.dirname(opencc.__file__), "clib", "share", "opencc")


def read_ocd2(path: str) -> dict[str, str]:
    """key → the value OpenCC writes for it (the first of its candidates)."""
    import marisa_trie  # only needed here; a missing module means "convert everything"

    with open(path, "rb") as stream:
        data = stream.read()
    if not data.startswith(OCD2_HEADER):
        raise UnknownDictionary(f"{path}: not an ocd2 file of format {OCD2_HEADER.decode()}")
    trie = marisa_trie.Trie()
    trie.frombytes(data[len(OCD2_HEADER) :])
    pos = len(OCD2_HEADER) + len(trie.tobytes())
    try:
        count, total = struct.unpack_from("<II", data, pos)
        pos += 8
        values = data[pos : pos + total]
        pos += total
        firsts: list[str] = []
        offset = 0
        for _ in range(count):
            (n_values,) = struct.unpack_from("<H", data, pos)
            lengths = struct.unpack_from(f"<{n_values}H", data, pos + 2)
            pos += 2 + 2 * n_values
            # each value is NUL-terminated; its length counts the NUL
            firsts.append(values[offset : offset + lengths[0] - 1].decode("utf-8") if lengths else "")
            offset += sum(lengths)
    except (struct.error, UnicodeDecodeError, IndexError) as exc:
        raise UnknownDictionary(f"{path}: unreadable values ({exc})") from exc
    if pos != len(data) or offset != total or count != len(trie):
        raise UnknownDictionary(f"{path}: values do not match the {len(trie)} keys")
    return {key: firsts[key_id] for key, key_id in trie.items()}


def _dictionaries(node: object) -> Iterator[dict]:
    """Every leaf dictionary a configuration names (under "dict" or in a
    group's "dicts"), wherever it sits: normalisation, segmentation, conversion."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name == "dict":
                yield from _leaves(value)
            else:
                yield from _dictionaries(value)
    elif isinstance(node, list):
        for value in node:
            yield from _dictionaries(value)


def _leaves(dictionary: object) -> Iterator[dict]:
    if not isinstance(dictionary, dict):
        raise UnknownDictionary(f"a dictionary entry that is not an object: {dictionary!r}")
    if dictionary.get("type") == "group":
        for member in dictionary.get("dicts", []):
            yield from _leaves(member)
    else:
        yield dictionary


def dictionary_keys(config: str) -> tuple[set[str], set[str]]:
    """(keys whose value differs from the key, every single-character key) of
    the configuration's dictionaries."""
    base = share_dir()
    with open(os.path.join(base, f"{config}.json"), encoding="utf-8") as stream:
        spec = json.load(stream)
    changing: set[str] = set()
    single: set[str] = set()
    for dictionary in _dictionaries(spec):
        if dictionary.get("type") != "ocd2" or not isinstance(dictionary.get("file"), str):
            raise UnknownDictionary(f"{config}: a dictionary of type {dictionary.get('type')!r}")
        for key, value in read_ocd2(os.path.join(base, dictionary["file"])).items():
            if value != key:
                changing.add(key)
            if len(key) == 1:
                single.add(key)
    return changing, single


def _class_body(chars: set[str]) -> str:
    """The body of a character class holding ``chars`` (and every lone
    surrogate; a superset beyond the BMP)."""
    # BMP only: sre keeps a class of BMP characters as a bitmap; one character
    # beyond it turns the class into a linear list (100× slower to scan).
    # Supplementary characters are covered by one range instead (a superset:
    # any character there may change, which keeps the test exact).  Lone
    # surrogates are in it too: the converter replaces them (OpenCC reads UTF-8).
    bmp = sorted(c for c in chars if c <= "\uffff")
    parts = "".join(re.escape(c) for c in bmp) + "\ud800-\udfff"
    if any(c > "\uffff" for c in chars):
        parts += "\U00010000-\U0010ffff"
    return parts


def _phrase_alternation(phrases: set[str]) -> str:
    """Literal phrases grouped by first character, so that the regex engine
    skips ahead to those characters instead of trying every phrase everywhere."""
    by_first: dict[str, list[str]] = {}
    for phrase in sorted(phrases, key=lambda p: (-len(p), p)):
        by_first.setdefault(phrase[0], []).append(re.escape(phrase[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in sorted(by_first.items()))


def _anchors(phrases: set[str], preferred: set[str]) -> set[str]:
    """A few characters such that every phrase holds one (greedy set cover).

    ``preferred`` characters go first: a character that is a key of its own
    (衹, a variant) is rare in text the configuration leaves alone, while a
    phrase's other characters (得 of 衹得) may be among the commonest.
    """
    anchors: set[str] = set()
    left = set(phrases)
    while left:
        counts: dict[str, int] = {}
        for phrase in left:
            for c in set(phrase):
                counts[c] = counts.get(c, 0) + 1
        best = max(sorted(counts), key=lambda c: (c in preferred, counts[c]))
        anchors.add(best)
        left = {p for p in left if best not in p}
    return anchors


class ChangeTest:
    """A predicate that is False only for texts OpenCC returns unchanged.

    A text that holds no character of ``char_class`` (the body of a regex
    character class) and none of the few ``anchors`` is unchanged: the
    normalise stage folds the class into its one pre-test scan and looks for
    the anchors with substring tests (一 anchor, 覆, is common in simplified
    text, where it seldom sits in a phrase that changes).
    """

    __slots__ = ("char_class", "anchors", "_char_re", "_first_re", "_chars", "_phrase_re", "_longest")

    def __init__(self, chars: set[str], phrases: set[str], preferred: set[str]):
        self._chars = chars
        self.char_class = _class_body(chars)
        self._char_re = re.compile(f"[{self.char_class}]")
        # One scan for a changing character or a character every remaining phrase
        # holds decides most texts; the phrases themselves are looked for only then.
        anchors = _anchors(phrases, preferred)
        self.anchors = "".join(sorted(anchors))
        self._first_re = re.compile(f"[{_class_body(chars | anchors)}]")
        self._phrase_re = re.compile(_phrase_alternation(phrases)) if phrases else None
        self._longest = max(map(len, phrases), default=0)

    def __call__(self, text: str) -> bool:
        first = self._first_re.search(text)
        if first is None:
            return False
        if self._phrase_re is None or first.group() in self._chars or first.group() > "\uffff":
            return True
        # Nothing before ``first`` changes alone; a phrase holds an anchor, so
        # it cannot end before it either.
        start = first.start()
        if self._char_re.search(text, start) is not None:
            return True
        return self._phrase_re.search(text, max(0, start - self._longest + 1)) is not None


@lru_cache(maxsize=None)
def change_test(config: str) -> ChangeTest | None:
    """The :class:`ChangeTest` of OpenCC ``config``; None when the
    dictionaries cannot be read (convert everything)."""
    try:
        keys, single_keys = dictionary_keys(config)
    except (OSError, ValueError, ImportError):
        return None
    chars = {k for k in keys if len(k) == 1}
    phrases = {k for k in keys if len(k) > 1 and not any(c in chars or c > "\uffff" for c in k)}
    return ChangeTest(chars, phrases, single_keys)
