"""Cheap necessary conditions for regex rule tables (a speed aid, never a rule).

Most lines of a document are running text that no furniture rule can match,
yet trying a table of two dozen backtracking patterns on each of them is what
cost the noise pass most of its time.  :func:`could_fullmatch` derives, from
the patterns themselves (their parse trees), a test that is *necessary* for
any of them to match a whole line:

* a pattern that can only consist of a few characters (``[大中小](?:[\\s|/]*[大中小]){2}``)
  needs a line made of those characters only;
* any other pattern needs one of its required strings (every match of
  ``(?:分享至|分享到)(?:…)*`` contains ``分享至`` or ``分享到``).

A line that passes neither test cannot match, so the table is not run on it;
a line that passes runs the table as before, so verdicts never change.  Where
a pattern gives no such hint (it could match lines of any characters without
a required string), the returned test lets every line through.

    >>> test = could_fullmatch([r"分享(?:至|到)\\S{0,20}", r"[大中小](?:\\s*[大中小]){2}"])
    >>> test("分享到微信"), test("大 中 小"), test("中国经济稳中向好")
    (True, True, False)
"""

from __future__ import annotations

import re
from typing import Callable

try:  # the parser re itself uses (Python 3.11+); older names as a fallback
    from re import _constants as _K, _parser as _P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _K  # type: ignore[no-redef]
    import sre_parse as _P  # type: ignore[no-redef]

_SMALL_CLASS = 8  # a character class of at most this many characters can stand for a required string
_CATEGORY_CLASS = {_K.CATEGORY_DIGIT: r"\d", _K.CATEGORY_SPACE: r"\s", _K.CATEGORY_WORD: r"\w"}
_REPEATS = tuple(getattr(_K, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_K, name))
_ATOMIC = getattr(_K, "ATOMIC_GROUP", None)


def _score(strings: set[str]) -> tuple[int, int]:
    # longer required strings are rarer in running text; fewer of them, too
    return min(len(s) for s in strings), -len(strings)


def required_strings(items) -> set[str] | None:
    """Strings one of which every match of the parsed sequence ``items`` contains
    (``None`` when no such set is known)."""
    best: set[str] | None = None
    run: list[str] = []

    def consider(found: set[str] | None) -> None:
        nonlocal best
        if found and (best is None or _score(found) > _score(best)):
            best = found

    for op, av in items:
        if op is _K.LITERAL:
            run.append(chr(av))  # consecutive literals are one contiguous string
            continue
        if run:
            consider({"".join(run)})
            run = []
        consider(_required_in_item(op, av))
    if run:
        consider({"".join(run)})
    return best


def _required_in_item(op, av) -> set[str] | None:
    if op is _K.SUBPATTERN:
        return None if av[1] or av[2] else required_strings(av[-1])  # (inline flags: no guess)
    if _ATOMIC is not None and op is _ATOMIC:
        return required_strings(av)
    if op is _K.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            found = required_strings(branch)
            if found is None:
                return None  # one alternative needs nothing
            out |= found
        return out
    if op in _REPEATS:
        low, _high, body = av
        return required_strings(body) if low >= 1 else None
    if op is _K.IN:
        chars: set[str] = set()
        for o, a in av:
            if o is _K.LITERAL:
                chars.add(chr(a))
            elif o is _K.RANGE and a[1] - a[0] < _SMALL_CLASS:
                chars.update(chr(c) for c in range(a[0], a[1] + 1))
            else:
                return None  # a negated class, a category, a wide range
        return chars if len(chars) <= _SMALL_CLASS else None
    return None


def alphabet(items) -> set[str] | None:
    """The characters any match of ``items`` can consist of, as character-class
    pieces (``\\d``, ``a-z``, ``分``), or ``None`` when it could hold any character."""
    out: set[str] = set()
    for op, av in items:
        if op is _K.LITERAL:
            out.add(re.escape(chr(av)))
        elif op is _K.IN:
            for o, a in av:
                if o is _K.LITERAL:
                    out.add(re.escape(chr(a)))
                elif o is _K.RANGE:
                    out.add(f"{re.escape(chr(a[0]))}-{re.escape(chr(a[1]))}")
                elif o is _K.CATEGORY and a in _CATEGORY_CLASS:
                    out.add(_CATEGORY_CLASS[a])
                else:
                    return None  # a negated class, \D, \S …
        elif op is _K.SUBPATTERN and (av[1] or av[2]):
            return None  # inline flags (case folding) change what a class matches
        elif op is _K.SUBPATTERN or (_ATOMIC is not None and op is _ATOMIC):
            sub = alphabet(av[-1] if op is _K.SUBPATTERN else av)
            if sub is None:
                return None
            out |= sub
        elif op is _K.BRANCH:
            for branch in av[1]:
                sub = alphabet(branch)
                if sub is None:
                    return None
                out |= sub
        elif op in _REPEATS:
            sub = alphabet(av[2])
            if sub is None:
                return None
            out |= sub
        elif op in (_K.AT, _K.ASSERT, _K.ASSERT_NOT):
            continue  # anchors and lookarounds consume nothing
        else:
            return None  # ., a group reference …
    return out


def _alternatives(pattern: str):
    """The top-level alternatives of ``pattern``, parsed; ``None`` if it sets global
    flags (case folding would break the character tests)."""
    tree = _P.parse(pattern)
    if tree.state.flags & (re.IGNORECASE | re.LOCALE):
        return None
    if len(tree) == 1 and tree[0][0] is _K.BRANCH:
        return [list(b) for b in tree[0][1][1]]
    return [list(tree)]


def _always(line: str) -> bool:
    return True


def _narrow(chars: set[str] | None) -> set[str] | None:
    """An alphabet that tells running text apart: none of \\w or a wide range
    (a pattern made of any Han character is no help)."""
    if chars is None or r"\w" in chars:
        return None
    for piece in chars:
        if len(piece) > 1 and "-" in piece[1:]:
            low, high = piece.split("-", 1) if not piece.startswith("\\") else (piece[:2], piece[3:])
            if len(low) == 1 and len(high) == 1 and ord(high) - ord(low) > 128:
                return None
    return chars


def could_fullmatch(patterns: list[str], suffix: str = "") -> Callable[[str], bool]:
    """A test ``line → bool`` that is True for every line that one of ``patterns``
    (each followed by ``suffix``) can fullmatch, and False for as many others as
    the patterns allow; see the module docstring."""
    required: set[str] = set()  # alternatives of any characters: one of these strings
    letters: set[str] = set()  # alternatives of few characters: made of these …
    letters_need: set[str] | None = set()  # … and holding one of these (None: no such string)
    suffix_letters = alphabet(_P.parse(suffix)) if suffix else set()
    if suffix_letters is None:
        return _always
    for pattern in patterns:
        alternatives = _alternatives(pattern)
        if alternatives is None:
            return _always
        for alt in alternatives:
            found = required_strings(alt)
            chars = _narrow(alphabet(alt))
            if chars is not None:
                letters |= chars | suffix_letters
                if found and letters_need is not None:
                    letters_need |= found
                else:
                    letters_need = None
                continue
            if not found:
                return _always  # this alternative could match a line of any characters
            required |= found
    needs = _any_of(required)
    made_of = re.compile("[" + "".join(sorted(letters)) + "]*") if letters else None
    made_of_needs = _any_of(letters_need) if letters_need else None

    if needs is not None and made_of is not None and made_of_needs is not None:
        # (the usual table, with the bound methods at hand: this runs on every line)
        needs_in, made_of_all, made_of_needs_in = needs.search, made_of.fullmatch, made_of_needs.search

        def usual_test(line: str) -> bool:
            return needs_in(line) is not None or (made_of_all(line) is not None and made_of_needs_in(line) is not None)

        return usual_test

    def test(line: str) -> bool:
        if needs is not None and needs.search(line):
            return True
        if made_of is None or not made_of.fullmatch(line):
            return False
        return made_of_needs is None or made_of_needs.search(line) is not None

    return test


def _any_of(strings: set[str]) -> re.Pattern[str] | None:
    # longest first: an alternation of plain strings, which re scans by their first characters
    return re.compile("|".join(re.escape(s) for s in sorted(strings, key=lambda s: (-len(s), s)))) if strings else None


# --------------------------------------------------------------------------- line gates


def parsed_items(pattern: re.Pattern[str]):
    """``pattern`` parsed into the items the analyses here take, or ``None`` where
    it folds case (IGNORECASE, LOCALE: the character tests would not hold)."""
    if pattern.flags & (re.IGNORECASE | re.LOCALE):
        return None
    return list(_P.parse(pattern.pattern, pattern.flags))


def pattern_required_strings(pattern: re.Pattern[str]) -> set[str] | None:
    """Strings one of which every match of the compiled ``pattern`` holds (``None``
    where none are known or it folds case): :func:`required_strings` of its parse.

    >>> sorted(pattern_required_strings(re.compile(r"(?:作者|撰文)\\s*[:：]")))
    ['作者', '撰文']
    """
    items = parsed_items(pattern)
    return None if items is None else required_strings(items)


def required_hints(*patterns: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which every match of any of ``patterns`` holds, less each one that holds
    another (the shorter one is found wherever it is), to be looked for with ``in``: a C scan
    for a string, where a search for an alternation tests a character class at every position.
    ``None`` where they are unknown or one could span a line break (a hint is then true of the
    lines of a text exactly when it is true of the text).

    >>> required_hints(re.compile(r"(?:作者|撰文)\\s*[:：]"), re.compile(r"图片(?:来源)?"))
    ('作者', '图片', '撰文')
    """
    found: set[str] = set()
    for pattern in patterns:
        required = pattern_required_strings(pattern)
        if not required or any("\n" in s for s in required):
            return None
        found |= required
    return tuple(sorted(s for s in found if not any(t != s and t in s for t in found)))


def pattern_first_chars(pattern: re.Pattern[str]) -> tuple[set[str] | None, bool]:
    """:func:`first_chars` of the compiled ``pattern`` (``(None, True)`` where it folds case)."""
    items = parsed_items(pattern)
    return (None, True) if items is None else first_chars(items)


def required_search(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """One search for the strings one of which every match of ``pattern`` holds
    (``None`` where no such strings are known): a line it does not find cannot match.

    >>> required_search(re.compile(r"(?:作者|撰文)\\s*[:：]")).pattern
    '作者|撰文'
    """
    found = pattern_required_strings(pattern)
    return _any_of(found) if found else None


def first_chars(items) -> tuple[set[str] | None, bool]:
    """(the characters a match of ``items`` can start with, as class pieces or
    ``None`` for any; whether a match can be empty)."""
    out: set[str] = set()
    for op, av in items:
        if op in (_K.AT, _K.ASSERT, _K.ASSERT_NOT):
            continue  # consumes nothing: the next item gives the first character
        if op is _K.LITERAL:
            sub, empty = {re.escape(chr(av))}, False
        elif op is _K.IN:
            sub, empty = alphabet([(op, av)]), False
        elif op is _K.SUBPATTERN and not (av[1] or av[2]):
            sub, empty = first_chars(av[-1])
        elif _ATOMIC is not None and op is _ATOMIC:
            sub, empty = first_chars(av)
        elif op is _K.BRANCH:
            sub, empty = set(), False
            for branch in av[1]:
                chars, can_be_empty = first_chars(branch)
                if chars is None:
                    return None, True
                sub |= chars
                empty = empty or can_be_empty
        elif op in _REPEATS:
            sub, empty = first_chars(av[2])
            empty = empty or av[0] == 0
        else:
            return None, True
        if sub is None:
            return None, True
        out |= sub
        if not empty:
            return out, False
    return out, True


def line_gate(
    contains: list[re.Pattern[str]], starts: list[re.Pattern[str]], searched: list[re.Pattern[str]] = ()
) -> Callable[[str], bool]:
    """A test ``line → bool`` that is True for every line on which one of ``contains``
    can match anywhere, or one of ``starts`` at the start (``pattern.match(line)``),
    or one of ``searched`` anywhere: the first must each have required strings,
    the second a first character; the third are searched as they are (hints
    whose alternatives each start with a plain character, so the one search
    stays a scan by first characters).

    >>> gate = line_gate([re.compile(r"摄影?[:：]")], [re.compile(r"\\s*[①-⑳]")])
    >>> gate("摄影：张三"), gate("③ 第三条"), gate("中国经济稳中向好")
    (True, True, False)
    """
    required: set[str] = set()
    for pattern in contains:
        found = pattern_required_strings(pattern)
        if not found:
            raise ValueError(f"no required string in {pattern.pattern!r}")
        required |= found
    firsts: set[str] = set()
    for pattern in starts:
        chars, can_be_empty = pattern_first_chars(pattern)
        if chars is None or can_be_empty:
            raise ValueError(f"no first character in {pattern.pattern!r}")
        firsts |= chars
    for pattern in searched:
        if pattern.flags & (re.IGNORECASE | re.LOCALE) or pattern.groups:
            raise ValueError(f"cannot search {pattern.pattern!r} within a gate")
    alternatives = [re.escape(s) for s in sorted(required, key=len, reverse=True)] + [p.pattern for p in searched]
    needs = re.compile("|".join(alternatives)) if alternatives else None
    first = re.compile("[" + "".join(sorted(firsts)) + "]") if firsts else None

    def gate(line: str) -> bool:
        return (needs is not None and needs.search(line) is not None) or (first is not None and first.match(line) is not None)

    return gate


# --------------------------------------------------------------------------- whole documents
#
# A pattern that must match at the start of a line is tried on few lines: one
# search over a whole document (:func:`as_document`) for the line breaks before
# the characters such a line can start with (:func:`start_hint`) finds them, by
# a C scan for the line break instead of a call per line.


def as_document(lines: list[str]) -> str:
    """``lines`` (none holding a line break) as one text for :func:`hit_lines`:
    each line after a line break, and a line break at the end."""
    return "\n" + "\n".join(lines) + "\n"


def hit_lines(hint: re.Pattern[str], document: str) -> list[int]:
    """Indices (ascending) of the lines of ``document`` (:func:`as_document`) in
    which ``hint`` finds a match, or where a match starts at the line break
    before them: one search per such line, the rest of that line not scanned."""
    hits: list[int] = []
    line, counted, pos = -1, 0, 0
    search, count, find = hint.search, document.count, document.find
    while (m := search(document, pos)) is not None:
        start = m.start()
        line += count("\n", counted, start + 1)  # the line break before line k is the (k+1)-th
        counted = start + 1
        hits.append(line)
        pos = find("\n", start + 1)  # on at the next line (at its line break)
        if pos < 0:
            break
    return hits


def start_hint(pattern: str) -> re.Pattern[str] | None:
    """A document hint for ``pattern`` matched at the start of a line: the line
    break before a line that starts with one of its first characters (``None``
    where a match could be empty or start with anything).

    >>> hit_lines(start_hint(r"[-•]\\s*\\w+"), as_document(["正文", "- 体育", "• 财经"]))
    [1, 2]
    """
    tree = _P.parse(pattern)
    if tree.state.flags & (re.IGNORECASE | re.LOCALE):
        return None
    chars, can_be_empty = first_chars(list(tree))
    if chars is None or can_be_empty:
        return None
    letter = re.compile("[" + "".join(sorted(chars)) + "]")
    if letter.match("\n"):
        return None  # (the line break itself: no hint)
    return re.compile(rf"\n{letter.pattern}")


def starts_narrowly(pattern: re.Pattern[str]) -> bool:
    """Whether every match of ``pattern`` starts with one of a few characters (no
    wide range like all Han characters, no ``\\w``, never empty): an anchored
    ``pattern.match`` then fails at its first character on most lines, which costs
    less than a search of the line for the pattern's required strings.

    >>> starts_narrowly(re.compile(r"^[(（]?\\s*来源[:：]")), starts_narrowly(re.compile(r"^[\\u4e00-\\u9fff]{2,4}报"))
    (True, False)
    """
    chars, can_be_empty = pattern_first_chars(pattern)
    return chars is not None and not can_be_empty and _narrow(chars) is not None
