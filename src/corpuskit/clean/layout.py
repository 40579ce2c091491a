"""Layout repair: paragraph markers, wrapped lines, CJK spacing, captions, page split (issue 4).

Text convention after this module (README, "Text conventions"): **one paragraph
per line, paragraphs separated by a single ``\\n``**, no blank lines, no
indentation, headings are paragraphs of their own.

Two steps of the clean stage live here:

* :func:`unify_markers` (runs first): full-width-space indents and Markdown
  headings become plain lines, one paragraph per line.
* :func:`repair_layout` (runs last): joins column-wrapped lines back into
  paragraphs, takes photo captions out (joining the paragraph they cut),
  removes the spacing inside CJK runs, and splits a newspaper page that holds
  several articles into one record per article.

How a line break is judged (:func:`should_join`), for a line P and the next
non-blank line N (blank lines inserted by the extraction are ignored, unless
the document's blank lines are its paragraph breaks — then they are followed):

1. N starts with punctuation that cannot start a paragraph (``，。、）”``) → join.
2. P ends a sentence (``。！？…``, possibly followed by ``”）``), or ends with a
   photo credit, or is a date, byline or table row → break.
3. N is a list item, a date line, a news dateline, a byline, a table row, a
   caption label → break; N is a headline when a byline follows it → break.
4. Both P and N look like headings (short, no sentence punctuation) → break.
5. Where the lines were wrapped (most lines of the neighbourhood end mid-
   sentence, share one width, have commas inside and are not list or
   schedule entries), P joins N when P is as long as the column (the
   second-longest line around it, less a tolerance and a first line's
   indent).  Short lines — headings, list items, the last line of a
   paragraph — and verse set at one width break.
6. Elsewhere (one paragraph per line already) only a paragraph that was cut
   mid-sentence joins: P ends with ``，、；``, has an unclosed ``“（《``, ends
   on a word that cannot end it (``的 和 在 …``), or has a full stop inside
   and ends on a bare character.  A colon at a line end announces a list or
   a quote and does not join; verse (short lines of one length closed by
   punctuation) never joins.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, chain, compress, repeat
from operator import gt, itemgetter, methodcaller, mul, ne, not_, sub
from typing import Callable

import numpy as np

from ..record import Record
from .captions import (CAPTION_START, CREDIT_END, CREDIT_HINTS, Caption, credit_of, ends_with_credit, extract_captions,
                       may_hold_credit)
from .metadata import BYLINE_HINT, parse_byline  # metadata owns the byline grammar
from .prefilter import line_gate, required_hints

# --------------------------------------------------------------------------- characters

_HAN = "\u4e00-\u9fff"
# CJK "core": Han, kana, CJK symbols and punctuation, full-width forms, compatibility ideographs
_CJK_CORE = "\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uffef"
# quotes/dashes/ellipsis shared with Latin text: CJK-ish only next to a CJK character
_SHARED_PUNCT = "\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"
_HSPACE = " \u00a0\u3000\u2002-\u200a\u202f\u205f"

SENTENCE_END = frozenset("。！？!?…")
_CLOSERS = "”’」』）)】》〉\"'"
_CONTINUATION_END = frozenset("，,、；;：:")
# punctuation that cannot begin a paragraph: a line starting with it continues the previous one
_NON_INITIAL = frozenset("，,。、；;：:！？!?）)」』】》〉”’…")
# words after which a sentence cannot end (a paragraph cut here goes on)
_FUNCTION_END = frozenset("和与及或在对从向把被将但而并且于让使给跟很最都也还又再该这那每各")
# a heading never ends on the structural particle 的
_NEVER_ENDS_HEADING = frozenset("的")
_PAIRS = (("“", "”"), ("（", "）"), ("(", ")"), ("《", "》"), ("「", "」"), ("『", "』"), ("【", "】"))
_OPENER = re.compile("[" + re.escape("".join(o for o, _ in _PAIRS)) + "]")

# --------------------------------------------------------------------------- line patterns

LIST_ITEM = re.compile(
    rf"^\s*(?:"
    rf"[（(][一二三四五六七八九十百\dA-Za-z]{{1,3}}[）)]"
    rf"|[一二三四五六七八九十百]{{1,3}}[、.．]"
    rf"|\d{{1,3}}[、．)）](?!\d)|\d{{1,3}}\.(?![\d])"
    rf"|[①-⑳⑴-⒇⒈-⒛]"
    rf"|[●○■□◆◇▲△★☆•▪►▶※→]"
    rf"|[-*+·]\s"
    rf"|第[一二三四五六七八九十百\d]{{1,4}}[章节条部分项篇，,、：:]"
    rf"|[一二三四五六七八九十]是[{_HAN}，,：:]"
    rf"|(?:首先|其次|再次|最后|其一|其二|其三|另外)[，,：:]"
    rf")"
)
DATE_LINE = re.compile(
    r"^\s*[（(]?\s*(?:(?:19|20)\d\d\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?|\d{1,2}\s*月\s*\d{1,2}\s*日)"
    r"(?:\s*[（(]?(?:星期|周|礼拜)[一二三四五六日天][）)]?|\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?|\s*[上下]午|\s*电)*\s*[）)]?\s*$"
)
# rows of a table: tab-separated, or two numbers with only whitespace between them
TABLE_ROW = re.compile(r"\t|(?:^|[\s])[-+]?\d[\d,.%]*[ \u3000]+[-+]?\d[\d,.%]*(?=\s|$)")


def is_table_row(line: str) -> bool:
    """``TABLE_ROW.search(line)``, cheaply: TABLE_ROW is tried at every position of a
    line, and a row without a tab has a space or full-width space between its numbers."""
    return "\t" in line or ((" " in line or "\u3000" in line) and TABLE_ROW.search(line) is not None)

# label: value lines of forms and schedules (时间：… 地点：…)
KEY_VALUE = re.compile(rf"^\s*[{_HAN}][{_HAN} \u3000]{{0,7}}[：:]")
MARKDOWN_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")
# two or more full-width spaces (possibly mixed with blanks) inside a line: a paragraph indent
_INDENT_RUN = re.compile(r"((?:[ \t\u00a0]*\u3000){2,}[ \t\u00a0\u3000]*)")
# (what _INDENT_RUN matches is a whole run of blanks [ \t\u00a0\u3000] holding two
# full-width spaces; split_indent_runs finds it from a full-width space, with a pattern
# that starts with a literal, which re scans for quickly: from the space to the run's end)
_FULLWIDTH_RUN = re.compile("\u3000[ \t\u00a0\u3000]*")


def split_indent_runs(text: str) -> list[str]:
    """``_INDENT_RUN.split(text)``: text, run, text, run, …, text.

    An indent run is a whole run of blanks (space, tab, no-break and full-width
    space) holding two full-width spaces: each is found from its first full-width
    space (the match runs to the run's end) and reaches back over the blanks before
    that space."""
    parts = []
    last = 0
    for m in _FULLWIDTH_RUN.finditer(text):
        start, end = m.span()
        while start > last and text[start - 1] in " \t\u00a0":
            start -= 1
        if text.count("\u3000", start, end) >= 2:
            parts.append(text[last:start])
            parts.append(text[start:end])
            last = end
    parts.append(text[last:])
    return parts
_PROSE_MARK = re.compile(r"[，,。！？!?；;]")

# spaces to remove: inside CJK runs, and between CJK and digits/Latin/ASCII punctuation
_SP = f"[{_HSPACE}]+"
CJK_SPACING = re.compile(
    rf"(?<=[{_CJK_CORE}]){_SP}(?=[{_CJK_CORE}{_SHARED_PUNCT}A-Za-z0-9,.;:!?%)\]])"
    rf"|(?<=[{_SHARED_PUNCT}A-Za-z0-9,.;:!?%(\[]){_SP}(?=[{_CJK_CORE}])"
    rf"|(?<=[{_CJK_CORE}]){_SP}$|^{_SP}(?=[{_CJK_CORE}])",
)
_MULTI_SPACE = re.compile(f"[{_HSPACE}]{{2,}}")
# (CJK_SPACING starts with lookbehinds, so re tries it at every position; these two
# start with a class, which re scans for quickly)
_CJK_BEFORE_SPACE = re.compile(f"[{_CJK_CORE}][{_HSPACE}]")
_SPACE_BEFORE_CJK = re.compile(f"[{_HSPACE}][{_CJK_CORE}]")
# two whitespace-separated aligned gaps: a table/schedule row, whose spacing is kept
_ALIGNED = re.compile(r"\S(?: {2,}|\u3000+)\S.*?\S(?: {2,}|\u3000+)\S")


# --------------------------------------------------------------------------- measures


def display_width(line: str) -> float:
    """Printed width in CJK cells: CJK (and the full-width space) = 1, ASCII = ½.

    A space counts like an ASCII character: in a letter-spaced line
    (``工 信 部 网 络``) the spaces are what filled the column."""
    n_ascii = len(line.encode("ascii", "ignore"))
    return (len(line) - n_ascii) + 0.5 * n_ascii


def ends_sentence(text: str) -> bool:
    """``…服务。`` / ``…成为现实。”`` / ``…！）`` → True; ``…组成的`` / ``…“助推器”`` → False."""
    if text[-1:] in SENTENCE_END:
        return True  # (no blank and no closer is a stop: nothing would be stripped)
    s = text.rstrip(_HSPACE)
    s = s.rstrip(_CLOSERS)
    if not s:
        return False
    last = s[-1]
    if last in SENTENCE_END:
        return True
    # an ASCII full stop ends a sentence unless it is a decimal point or an abbreviation dot
    return last == "." and len(s) > 1 and not s[-2].isdigit() and not s[-2].isascii()


def unclosed(text: str) -> bool:
    """An opening quote/bracket without its closing one: the sentence goes on."""
    if _OPENER.search(text) is None:
        return False  # (no opening mark: no count of one can exceed its closer's)
    return any(text.count(o) > text.count(c) for o, c in _PAIRS)


def looks_like_heading(text: str, width: float) -> bool:
    """A short line that is not a sentence: no sentence punctuation anywhere,
    no dangling comma, no open bracket (``应用场景更丰富``, ``建设热度高，创新活力足``)."""
    s = text.strip()
    if not s or width > 40 or width < 2:
        return False
    if any(c in s for c in "。！？!?") or s[-1] in _CONTINUATION_END or s.endswith("…"):
        return False
    return not unclosed(s)


def is_block_start(text: str, byline: object = None) -> bool:
    """Lines that always start a paragraph of their own: list items, dates,
    datelines and bylines, caption labels, table rows.  (``byline``: the line's
    :func:`parse_byline` result when the caller has it.)"""
    s = text.strip()
    if LIST_ITEM.match(s) or DATE_LINE.match(s) or is_table_row(s):
        return True
    if CAPTION_START.match(s) or (len(s) <= 40 and ends_with_credit(s) and credit_of(s).start() == 0):
        return True
    return (_byline(s) if byline is None else byline) not in (None, False)


def is_standalone(text: str, byline: object = None) -> bool:
    """Lines that never take the next line: dates, bylines, table rows, credits."""
    s = text.strip()
    if DATE_LINE.match(s) or is_table_row(s) or ends_with_credit(s):
        return True
    b = _byline(s) if byline is None else byline
    return b not in (None, False) and not b.rest


def is_byline_line(text: str, byline: object = None) -> bool:
    """A line that is a byline and nothing else (``本报记者 金 晨``)."""
    b = _byline(text) if byline is None else byline
    return b not in (None, False) and not b.rest


def _memo(memo: dict, test: Callable[..., bool], line: str) -> bool:
    """``test(line)`` once per document and line; the byline parse is shared by the tests.

    The tests run through here (is_standalone, is_block_start, is_byline_line) are
    False for a line :func:`may_be_special` rejects: such a line is not tested."""
    s = line.strip()
    if not _special(memo, s):
        return False
    key = (test, line)
    verdict = memo.get(key)  # (a verdict is a bool, a byline a Byline or False: never None)
    if verdict is None:
        bkey = (_byline, line)
        byline = memo.get(bkey)
        if byline is None:
            byline = memo[bkey] = _byline(s) or False
        verdict = memo[key] = test(line, byline)
    return verdict


def _special(memo: dict, line: str) -> bool:
    """:func:`may_be_special` once per document and line (memo keys of type str)."""
    verdict = memo.get(line)
    if verdict is None:
        verdict = memo[line] = may_be_special(line)
    return verdict


def _byline(text: str):
    if len(text) > 80:
        return None
    return parse_byline(text)


_VERSE_MARKS = "，,。、；;！？!?"


def _verse_line(line: str) -> bool:
    """A line of verse or parallel prose: closed by punctuation, and either short
    (``床前明月光，``) or cut by a mark into two halves of one length
    (``是故才尽者身危，好名者得华；``)."""
    s = line.rstrip()
    if len(s) < 3 or s[-1] not in _VERSE_MARKS:
        return False
    body = s[:-1]
    if len(body) <= 7 and not any(c in _VERSE_MARKS for c in body):
        return True
    cuts = [k for k, c in enumerate(body) if c in _VERSE_MARKS]
    return len(cuts) == 1 and abs(cuts[0] - (len(body) - cuts[0] - 1)) <= 2


def is_verse_pair(p: str, n: str, wp: float, wn: float) -> bool:
    """Two short lines of about one length, each closed by punctuation: verse or a
    list of slogans, not a wrapped paragraph."""
    if wp > 20 or wn > 20:
        return False
    end = "，,。、；;！？!?：:"
    return p.rstrip()[-1:] in end and n.rstrip()[-1:] in end and abs(wp - wn) <= 2


# --------------------------------------------------------------------------- joining


# a line ending in none of these does not end a sentence (ends_sentence is False: there
# is no blank or closer to strip, no stop, no full stop): most lines of a wrapped page
_MAY_END_SENTENCE = frozenset(SENTENCE_END | set(_CLOSERS) | set(_HSPACE) | {"."})


class _Lines:
    """A document's non-blank lines (blanks stripped) and the facts the join rules
    read about each, as parallel lists: built once per document, with comprehensions
    and C iterators rather than one Python step per line and fact."""

    __slots__ = ("texts", "_widths", "_marks", "_width_array", "_mark_array", "open_end", "blank_before", "keys", "_special")

    def __init__(self, texts: list[str], blank_before: list[bool] | None = None):
        self.texts = texts
        self._widths: list[float] | None = None  # (measured when a rule first reads them)
        self._marks: list[int] | None = None
        self._width_array: np.ndarray | None = None  # (the same, as arrays, where measured at once)
        self._mark_array: np.ndarray | None = None
        # does not end a sentence (ends_sentence asked only where the last character may end one)
        # (ends_sentence asked only where the last character may end one and is no stop)
        self.open_end = [
            last not in _MAY_END_SENTENCE or (last not in SENTENCE_END and not ends_sentence(s))
            for s, last in zip(texts, map(itemgetter(-1), texts))
        ]
        self.blank_before = [False] * len(texts) if blank_before is None else blank_before
        self.keys: list[str] | None = None  # the lines as the line tests see them (stripped)
        self._special: list[bool] | None = None

    def special(self, memo: dict) -> list[bool]:
        """:func:`may_be_special` of each line as the line tests see it (stripped), once
        per document; the verdicts go into the document's memo (see :func:`_special`)."""
        if self._special is None:
            self.keys = list(map(str.strip, self.texts))
            self._special = list(map(may_be_special, self.keys))
            memo.update(zip(self.keys, self._special))
        return self._special

    @property
    def widths(self) -> list[float]:
        """display_width of each line."""
        if self._widths is None:
            if len(self.texts) >= _MEASURE_AT_ONCE_FROM:
                self._measure_at_once()
            else:
                # display_width inlined: (len - ascii) + ½·ascii and len - ½·ascii are both
                # exact in float64 (small multiples of ½), so the widths are the same floats
                # (as len(s) - 0.5 * len(s.encode("ascii", "ignore")) for each line s, in C)
                texts = self.texts
                ascii_counts = map(len, map(methodcaller("encode", "ascii", "ignore"), texts))
                self._widths = list(map(sub, map(len, texts), map(mul, repeat(0.5), ascii_counts)))
        return self._widths

    @property
    def marks(self) -> list[int]:
        """The inner punctuation marks (_INNER_PUNCT) in each line."""
        if self._marks is None:
            if len(self.texts) >= _MEASURE_AT_ONCE_FROM:
                self._measure_at_once()
            else:
                self._marks = list(map(len, map(_INNER_PUNCT.findall, self.texts)))
        return self._marks

    def _measure_at_once(self) -> None:
        """widths and marks of every line of a long document from one array of its code
        points (one encode, a few numpy passes), where a call or two per line cost more.

        Each line's segment of the joined text is the line and the line break after it
        (the last line has none): the break is ASCII and no mark.  The counts are
        integers, ``len - 0.5 * ascii`` is exact in float64: the same numbers as the
        line-by-line forms (tests/clean/test_layout_fast_paths.py compares them)."""
        texts = self.texts
        sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        # (utf-32: one unit per code point, as len counts them; a lone surrogate passes)
        points = np.frombuffer("\n".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        starts = np.zeros(len(texts), dtype=np.int64)
        np.cumsum(sizes[:-1] + 1, out=starts[1:])
        ascii_counts = np.add.reduceat(points < 128, starts, dtype=np.int64)
        ascii_counts[:-1] -= 1  # (the line breaks)
        if self._widths is None:
            self._width_array = sizes - 0.5 * ascii_counts
            self._widths = self._width_array.tolist()
        if self._marks is None:
            self._mark_array = np.add.reduceat(_IS_INNER_PUNCT[points], starts, dtype=np.int64)
            self._marks = self._mark_array.tolist()

    def width_array(self) -> np.ndarray:
        """The widths as a float64 array."""
        widths = self.widths
        return np.array(widths, dtype=np.float64) if self._width_array is None else self._width_array

    def mark_array(self) -> np.ndarray:
        """The marks as an array."""
        marks = self.marks
        return np.array(marks, dtype=np.int64) if self._mark_array is None else self._mark_array

    @widths.setter
    def widths(self, widths: list[float]) -> None:
        self._widths = widths

    @classmethod
    def of(cls, text: str) -> _Lines:
        """The lines of ``text``; ``blank_before``: a blank line stands right before the line."""
        stripped = list(map(str.strip, text.split("\n"), repeat(_HSPACE + "\t")))
        texts = list(filter(None, stripped))
        if len(texts) == len(stripped):
            return cls(texts)
        # (a blank line came since the last kept line exactly when the raw line right
        # before is blank; before the first kept line every raw line is blank: so, for
        # each kept line, whether the raw line before it is blank, False for raw line 0)
        return cls(texts, list(compress(chain((False,), map(not_, stripped)), stripped)))


_INNER_PUNCT_MARKS = "，,。、；;：:！？!?"
_INNER_PUNCT = re.compile("[" + re.escape(_INNER_PUNCT_MARKS) + "]")
# the same marks as a table over code points (pages never touched stay unallocated)
_IS_INNER_PUNCT = np.zeros(0x110000, dtype=bool)
_IS_INNER_PUNCT[[ord(c) for c in _INNER_PUNCT_MARKS]] = True
_IS_INNER_PUNCT.flags.writeable = False
_MEASURE_AT_ONCE_FROM = 16  # lines from which a document's widths and marks are measured at once
# an entry of a list, schedule or bibliography: "王洪斌（南开大学）…", "9:50—10:10 …", "地  点：…"
_ENTRY_START = re.compile(rf"^(?:[{_HAN}、，,·\s]{{1,12}}[（(][^）)]{{1,24}}[）)]|\d{{1,2}}[:：]\d{{2}})")


def is_entry(line: str) -> bool:
    """An entry of a list, schedule or bibliography (``王洪斌（南开大学）…``, ``9:50—10:10 …``)."""
    return may_be_special(line) and _entry_shape(line)


def _entry_shape(line: str) -> bool:
    """:func:`is_entry` without its gate, for a line :func:`may_be_special` already let
    through (every line these patterns match passes the gate: it is built from them)."""
    return bool(
        _ENTRY_START.match(line) or LIST_ITEM.match(line) or KEY_VALUE.match(line) or DATE_LINE.match(line) or is_table_row(line)
    )


# Every line that one of the line tests accepts (list item, date, table row, label:
# value, entry, caption label, photo credit, byline) passes this cheap test: it holds
# a string each pattern requires, or starts with a character a pattern can start with.
# Running text mostly fails it, and then skips every one of those tests.
may_be_special = line_gate(
    contains=[KEY_VALUE, _ENTRY_START, CAPTION_START, TABLE_ROW, CREDIT_END],
    starts=[LIST_ITEM, DATE_LINE],
    searched=[BYLINE_HINT],
)


_WINDOW = 4  # lines on each side that make the neighbourhood of a line
_JUDGE_ALL_FROM = 24  # a document of this many lines, mostly open, has its windows judged at once
# widths of the lines beyond the document's ends: -inf is never the second longest, never in a band
_NO_LINES_ARRAY = np.full(_WINDOW, -math.inf)
_NO_LINES_ARRAY.flags.writeable = False


@lru_cache(maxsize=256)
def _window_plan(n_lines: int) -> tuple[np.ndarray, ...]:
    """Where every line's window 0 starts and ends in a document of ``n_lines`` lines,
    the gather index of its widths (padded by _WINDOW on each side), and the tests'
    thresholds: (lo, hi, gather, n < 3, 0.6·n, 0.55·n, 0.3·n) with n = hi - lo.
    A pure function of the line count, shared (read-only) by documents of one length."""
    line = np.arange(n_lines)
    lo = np.maximum(line - _WINDOW, 0)
    hi = np.minimum(line + _WINDOW + 1, n_lines)
    n = hi - lo
    plan = (lo, hi, line[:, None] + np.arange(2 * _WINDOW + 1), n < 3, 0.6 * n, 0.55 * n, 0.3 * n)
    for array in plan:
        array.flags.writeable = False
    return plan


class _ColumnFinder:
    """Column statistics of one document's lines, window by window.

    Each window is judged once (neighbouring lines share windows); the
    entry/punctuation counts use prefix sums, built when a window first needs them."""

    def __init__(self, lines: _Lines, memo: dict | None = None):
        self.lines = lines
        self.n = len(lines.texts)
        self.memo = {} if memo is None else memo  # the document's line-test memo
        self.judged: dict[int, tuple[bool, float]] = {}
        self.entries: list[int] | None = None
        self.marks: list[int] | None = None
        self.entry_lines: list[bool] | None = None  # (each line is an entry: what ``entries`` sums)
        # open line ends, as prefix sums: most windows of an unwrapped text fail
        # the "most lines end mid-sentence" test, in O(1), before any sorting
        self.opens = list(accumulate(lines.open_end, initial=0))
        self.widths = lines.widths
        self.around: list[tuple[bool, float]] | None = None  # window 0 of every line, judged at once

    def lazy(self, i: int) -> _Columns:
        """Column widths of the wrapped neighbourhoods of line ``i`` (around it, after it and
        before it: a line at the edge of a column block belongs to one side), each window
        judged only when a test reads that far."""
        return _Columns(self, i)

    def window(self, i: int, k: int) -> tuple[bool, float]:
        """Verdict on window ``k`` of line ``i``: 0 around it, 1 after it, 2 before it."""
        n = self.n
        if k == 0:
            around = self.around_all()
            if around is not None:
                return around[i]
            a, b = max(0, i - _WINDOW), min(n, i + _WINDOW + 1)
        elif k == 1:
            a, b = i, min(n, i + _WINDOW + 1)
        else:
            a, b = max(0, i - _WINDOW), min(n, i + 1)
        key = a * (n + 1) + b  # (one int per window: cheaper to hash than a pair)
        verdict = self.judged.get(key)
        if verdict is None:
            verdict = self.judged[key] = self._judge(a, b)
        return verdict

    def around_all(self) -> list[tuple[bool, float]] | None:
        """Every line's window 0, judged at once in a long document whose lines mostly
        end mid-sentence (where nearly every line asks), else None (judged one by one)."""
        n = self.n
        if self.around is None and n >= _JUDGE_ALL_FROM and 2 * self.opens[n] >= n:
            self.around = self._judge_around_all()
        return self.around

    def _judge(self, lo: int, hi: int) -> tuple[bool, float]:
        """(lines ``lo:hi`` were wrapped, their column width).

        Mirrored in numpy by :meth:`_judge_around_all` (every line's window 0 at once): a
        change here goes there too (tests/clean/test_fast_paths.py compares them)."""
        n = hi - lo
        if n < 3:
            return False, 0.0
        # typeset columns are a fixed grid: most lines end mid-sentence, and most
        # are within a cell or two of the width
        if self.opens[hi] - self.opens[lo] < 0.6 * n:
            return False, 0.0  # (the column of a window that was not wrapped is never used)
        around = self.widths[lo:hi]
        widths = sorted(around)
        column = widths[-2]  # the second longest: one overlong headline does not count
        if column > 60 or column < 10:  # no newspaper column is narrower; verse lines are
            return False, column
        band = max(2.0, 0.07 * column)
        if len([w for w in around if abs(w - column) <= band]) < 0.55 * n:
            return False, column
        entries, marks = self._entries_and_marks()
        # lists, schedules and bibliographies of one width are entries, not prose;
        # prose has commas and stops inside its lines (about one per ten characters)
        if entries[hi] - entries[lo] >= 0.3 * n:
            return False, column
        return marks[hi] - marks[lo] >= 0.015 * sum(widths), column

    def _entries_and_marks(self) -> tuple[list[int], list[int]]:
        """Entry lines and inner punctuation marks, as prefix sums (built on first use)."""
        if self.entries is None or self.marks is None:
            lines = self.lines
            texts = lines.texts
            special = lines.special(self.memo)
            # is_entry is False for a line the gate rejects, so only the lines it lets
            # through are asked, without the gate again (the gate saw the lines stripped:
            # where strip() changed one, every line is asked whole)
            entry = [False] * self.n
            if lines.keys == texts:
                for k in compress(range(self.n), special):
                    entry[k] = _entry_shape(texts[k])
            else:
                for k in range(self.n):
                    entry[k] = is_entry(texts[k])
            self.entry_lines = entry
            self.entries = list(accumulate(entry, initial=0))
            self.marks = list(accumulate(lines.marks, initial=0))
        return self.entries, self.marks

    def _judge_around_all(self) -> list[tuple[bool, float]]:
        """``_judge`` of every line's window 0 (around it), with numpy: the same tests
        in the same float64 arithmetic, so the same verdicts (widths are multiples of
        ½, so their sums are exact in any order), for a fraction of the cost on a
        long wrapped page, where nearly every line asks."""
        n = self.n
        _, _, gather, small, open_need, band_need, entry_limit = _window_plan(n)
        # row i: the widths of lines i-4 … i+4, padded with -inf (never the second
        # longest, never within the band) where the document ends
        lines = self.lines
        widths = lines.width_array()
        windows = np.concatenate((_NO_LINES_ARRAY, widths, _NO_LINES_ARRAY))[gather]
        column = np.sort(windows, axis=1)[:, -2]
        band = np.maximum(2.0, 0.07 * column)
        in_band = np.count_nonzero(np.abs(windows - column[:, None]) <= band[:, None], axis=1)
        # the four per-line counts in one float64 array, each window's sums in one step (the
        # counts are small integers, exact as floats: int-to-float comparisons give the same).
        # Row k: a zero, _WINDOW zeros before line 0, the lines, _WINDOW zeros after the
        # last: the prefix sums of line i's window are then at i + 2·_WINDOW + 1 and i
        # (the zeros add nothing: the sums of the window cut at the document's ends), so
        # every window is two slices, not a gather.
        # (the lists of bools as bytes: one C copy each instead of a conversion per item)
        self._entries_and_marks()
        first = _WINDOW + 1
        per_line = np.zeros((4, n + 2 * _WINDOW + 1))
        per_line[0, first : first + n] = np.frombuffer(bytes(lines.open_end), dtype=np.uint8)
        per_line[1, first : first + n] = np.frombuffer(bytes(self.entry_lines), dtype=np.uint8)
        per_line[2, first : first + n] = lines.mark_array()
        per_line[3, first : first + n] = widths
        prefix = np.cumsum(per_line, axis=1)
        opens, entry_count, mark_count, total = prefix[:, 2 * _WINDOW + 1 :] - prefix[:, :n]
        wrapped = mark_count >= 0.015 * total
        unwrapped = small | (opens < open_need)
        wrapped &= ~unwrapped
        wrapped &= (column <= 60) & (column >= 10) & (in_band >= band_need) & (entry_count < entry_limit)
        column[unwrapped] = 0.0
        return list(zip(wrapped.tolist(), column.tolist()))


_WINDOWS_PER_LINE = 3  # around a line, after it, before it (:meth:`_ColumnFinder.window`)


class _Columns:
    """The columns of one line's neighbourhoods, as a lazy sequence: should_join
    mostly asks whether there is one and whether the line fills one, and a wrapped
    line answers both with its first window, so the others are never judged."""

    __slots__ = ("finder", "line", "judged", "found")

    def __init__(self, finder: _ColumnFinder, line: int):
        self.finder = finder
        self.line = line
        self.judged = 0  # windows judged so far (of _WINDOWS_PER_LINE)
        self.found: list[float] = []

    def _judge_next(self) -> bool:
        """Judge the next window (its column joins ``found`` if it was wrapped);
        False when every window was judged."""
        k = self.judged
        if k == _WINDOWS_PER_LINE:
            return False
        self.judged = k + 1
        wrapped, column = self.finder.window(self.line, k)
        if wrapped:
            self.found.append(column)
        return True

    def __iter__(self):
        found = self.found
        k = 0
        while k < len(found) or self._judge_next():
            if k < len(found):
                yield found[k]
                k += 1

    def __bool__(self) -> bool:
        while not self.found and self._judge_next():
            pass
        return bool(self.found)


def tolerance(column: float) -> float:
    """How much shorter than the column a wrapped line may be (a first line's indent)."""
    return max(2.5, 0.12 * column)


def should_join(
    prev: str,
    para: str | _Paragraph,
    nxt: str,
    wp: float,
    wn: float,
    columns: list[float] | _Columns,
    first_line: bool = False,
    after: str | None = None,
    memo: dict | None = None,
    gap: bool | None = None,
) -> bool:
    """Does line ``nxt`` continue the paragraph ``para`` whose last line is ``prev``?

    Its sure answers are mirrored, for every line at once, by :func:`_sure_verdicts` and
    :func:`_lines_are_paragraphs`: a change here goes there too
    (tests/clean/test_layout_fast_paths.py compares them with this rule line by line).

    ``columns`` are the widths of the wrapped columns around ``prev`` (empty
    where the text is not wrapped); ``first_line``: ``prev`` opens ``para``
    (its indent made it shorter); ``after``: the line after ``nxt``; ``memo``
    keeps the per-line tests of one document (each line is tested as ``prev``
    and as ``nxt``); ``gap``: whether a blank line stands between ``prev`` and
    ``nxt``, given only for documents whose blank lines separate paragraphs."""
    memo = {} if memo is None else memo
    p = prev.rstrip(_HSPACE)
    n = nxt.strip(_HSPACE)
    if not p or not n or p == n:
        return False  # (a repeated line is a list's title shown twice, never a wrap)
    if n[0] in _NON_INITIAL:
        return True
    if gap is not None:
        # this document's blank lines separate its paragraphs, and only they do
        if gap or _memo(memo, is_standalone, p):
            return False
        if columns:  # a line inside a wrapped block: joined unless a short line ends a sentence
            indent = 2.0 if first_line else 0.0
            if _memo(memo, is_block_start, n):
                if not (any(wp >= c - tolerance(c) - indent for c in columns) and LIST_ITEM.match(n)):
                    return False  # (a full line goes on even where the next one looks like "二是…")
                return True
            # (an open line goes on whether it fills the column or not)
            return not ends_sentence(p) or any(wp >= c - tolerance(c) - indent for c in columns)
        if _memo(memo, is_block_start, n):
            return False
    if ends_sentence(p) or _memo(memo, is_standalone, p):
        return False
    if _memo(memo, is_block_start, n):
        return False
    if KEY_VALUE.match(p) and KEY_VALUE.match(n):
        return False
    if after is not None and looks_like_heading(n, wn) and _memo(memo, is_byline_line, after.strip()):
        return False  # n is a headline: a byline follows it
    if columns:
        if _verse_line(p) and _verse_line(n) and (after is None or _verse_line(after)) and abs(wp - wn) <= 2:
            return False  # verse or parallel prose set in lines of one width
        indent = 2.0 if first_line else 0.0
        full = any(wp >= c - tolerance(c) - indent for c in columns)
        if looks_like_heading(p, wp) and looks_like_heading(n, wn) and all(wn < c - tolerance(c) for c in columns):
            return False  # a headline above a section heading, two headings in a row
        return full
    if looks_like_heading(p, wp) and looks_like_heading(n, wn):
        return False
    # one paragraph per line: join only a paragraph cut mid-sentence
    if is_verse_pair(p, n, wp, wn):
        return False
    whole = para if isinstance(para, _Paragraph) else _Paragraph(para.rstrip(_HSPACE))
    # (a colon at the end announces a list or a quote on its own line: no join)
    if p[-1] in "，,、；;" or whole.unclosed():
        return True
    if p[-1] in _NEVER_ENDS_HEADING:
        return True
    if whole.heading_like():
        return False
    if p[-1] in _FUNCTION_END:
        return True
    return bool(_BARE_END.match(p[-1])) and whole.stop_inside()


_BARE_END = re.compile(rf"[{_HAN}A-Za-z0-9]")
_STOPS = "。！？!?"
# any character _Paragraph counts besides the width (stops, brackets, quotes)
_COUNTED_MARK = re.compile("[" + re.escape(_STOPS + "".join(o + c for o, c in _PAIRS)) + "]")


class _Paragraph:
    """A paragraph being built from lines, with the running counts the join
    tests need (so that joining stays linear in the length of the text).

    The counts are taken lazily, when a test first asks for them: most
    paragraphs are never asked (a line that ends a sentence is never joined)."""

    __slots__ = ("pieces", "counted", "_width", "_stops", "_balance")

    def __init__(self, text: str):
        self.pieces = [text]
        self.counted = 0  # pieces[:counted] are in the counts
        self._width = 0.0
        self._stops = 0
        self._balance = [0] * len(_PAIRS)

    def _sync(self) -> None:
        while self.counted < len(self.pieces):
            self._count(self.pieces[self.counted])
            self.counted += 1

    def _count(self, text: str) -> None:
        self._width += display_width(text)
        if not _COUNTED_MARK.search(text):
            return
        self._stops += sum(text.count(c) for c in _STOPS)
        for k, (o, c) in enumerate(_PAIRS):
            self._balance[k] += text.count(o) - text.count(c)

    @property
    def width(self) -> float:
        self._sync()
        return self._width

    @property
    def stops(self) -> int:
        self._sync()
        return self._stops

    @property
    def balance(self) -> list[int]:
        self._sync()
        return self._balance

    def add(self, text: str) -> None:
        """Append the next line: no space, except between two Latin words."""
        last = self.pieces[-1]
        text = text.lstrip(_HSPACE)
        if last and text and last[-1].isascii() and last[-1].isalnum() and text[0].isascii() and text[0].isalnum():
            text = " " + text
        elif last.endswith("-") and text[:1].isascii() and text[:1].isalpha():
            self._sync()  # the counts hold the line as it was added, hyphen included
            self.pieces[-1] = last[:-1]  # a hyphenated Latin word
        self.pieces.append(text)

    def text(self) -> str:
        return "".join(self.pieces)

    def unclosed(self) -> bool:
        return any(b > 0 for b in self.balance)

    def stop_inside(self) -> bool:
        last = self.pieces[-1].rstrip(_HSPACE)
        return self.stops - (1 if last[-1:] in _STOPS else 0) > 0

    def heading_like(self) -> bool:
        """:func:`looks_like_heading` of the whole paragraph."""
        last = self.pieces[-1].rstrip(_HSPACE)
        if not last or not 2 <= self.width <= 40 or self.stops:
            return False
        return last[-1] not in _CONTINUATION_END and not last.endswith("…") and not self.unclosed()


def _glue(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space, except between two Latin words."""
    left = left.rstrip(_HSPACE)
    right = right.lstrip(_HSPACE)
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return left + " " + right
    if left.endswith("-") and right[:1].isascii() and right[:1].isalpha():
        return left[:-1] + right  # a hyphenated Latin word
    return left + right


def join_wrapped_lines(text: str) -> tuple[list[str], int]:
    """Lines → paragraphs; returns (paragraphs, number of joins).

    ``…组成的⏎⏎具有较强…`` → ``…组成的具有较强…``; ``显示屏⏎⏎上，`` → ``显示屏上，``.
    """
    lines = _Lines.of(text)
    texts = lines.texts
    n = len(texts)
    if not n:
        return [], 0
    blank_paragraphs = _blank_lines_separate_paragraphs(lines)
    # only a line closed by a photo credit gathers a caption: the lines that may be
    # (a line of the text holds what the text holds)
    credit_lines = set(_credit_lines(texts)) if may_hold_credit(text) else ()
    if not blank_paragraphs and _lines_are_paragraphs(lines, credit_lines):
        return texts, 0
    widths = lines.widths
    paragraphs: list[_Paragraph] = [_Paragraph(texts[0])]
    starts: list[int] = [0]  # index of each paragraph's first line
    joins = 0
    memo: dict = {}
    finder = _ColumnFinder(lines, memo)
    verdicts = _sure_verdicts(lines, blank_paragraphs, finder, memo)
    for i in range(1, n):
        cur = texts[i]
        join = verdicts[i]
        if join is None:
            gap = lines.blank_before[i] if blank_paragraphs else None
            first = starts[-1] == i - 1
            after = texts[i + 1] if i + 1 < n else None
            columns = finder.lazy(i - 1)
            join = should_join(texts[i - 1], paragraphs[-1], cur, widths[i - 1], widths[i], columns, first, after, memo, gap)
        if join:
            if cur[0].isascii():
                paragraphs[-1].add(cur)
            else:  # (add's space between Latin words and its hyphen rule need an ASCII first character)
                paragraphs[-1].pieces.append(cur)
            joins += 1
        else:
            paragraphs.append(_Paragraph(cur))
            starts.append(i)
        if i in credit_lines and ends_with_credit(cur) and not _CAPTION_LABEL.match(paragraphs[-1].pieces[0]):
            joins += _gather_caption(lines, paragraphs, starts)
    return [para.text() for para in paragraphs], joins


def _lines_are_paragraphs(lines: _Lines, credit_lines: set[int] | tuple) -> bool:
    """Every line already is a paragraph (in a document whose blank lines are not
    followed): each line but the last ends a sentence, and no line after the first
    starts with non-initial punctuation, so every sure verdict is a break and
    should_join is never asked; and no line closes with a photo credit (only
    ``credit_lines`` may), so no caption is gathered.  join_wrapped_lines then
    returns the lines as they are."""
    texts = lines.texts
    return (
        not any(lines.open_end[:-1])
        and _NON_INITIAL.isdisjoint(map(itemgetter(0), texts[1:]))
        and not any(ends_with_credit(texts[k]) for k in credit_lines if k)
    )


def _sure_verdicts(lines: _Lines, blank_paragraphs: bool, finder: _ColumnFinder, memo: dict) -> list[bool | None]:
    """should_join's answer for each line (joined to the line before it) where a cheap
    test is sure of it, else None ("ask should_join").  Each answer reads only the
    two lines' own facts (not the paragraph built so far), so all are found at once.

    * After a sentence end (blank lines not followed), or after a blank line (blank
      lines followed), a line that does not start with non-initial punctuation
      starts a paragraph: should_join breaks there (rules 1, 2 and the gap rule).
    * The commonest line of a wrapped page whose blank lines separate paragraphs
      joins (see the comment below)."""
    texts, opens = lines.texts, lines.open_end
    n = len(texts)
    verdicts: list[bool | None] = [None] * n
    if not blank_paragraphs:
        for i in range(1, n):
            if not opens[i - 1] and texts[i][0] not in _NON_INITIAL:
                verdicts[i] = False
        return verdicts
    blanks, special = lines.blank_before, lines.special(memo)
    around, window = finder.around_all(), finder.window  # (window 0 of each line, judged at once or alone)
    for i in range(1, n):
        if blanks[i]:
            if texts[i][0] not in _NON_INITIAL:
                verdicts[i] = False
        elif (
            opens[i - 1]
            and texts[i - 1] != texts[i]
            and (around[i - 1][0] if around is not None else window(i - 1, 0)[0])
            and (not special[i - 1] or not _memo(memo, is_standalone, texts[i - 1]))
            and (not special[i] or not _memo(memo, is_block_start, texts[i]))
        ):
            # the commonest line of a wrapped page whose blank lines separate paragraphs:
            # the line before ends mid-sentence, the two differ, the window around the
            # line before was wrapped (so the columns are not empty), the line before is
            # not standalone and this one starts no block (a line the gate rejects is
            # neither): should_join's gap branch then returns ``not ends_sentence`` of the
            # line before, which is True (or True at once, for a line that starts with
            # non-initial punctuation)
            verdicts[i] = True
    return verdicts


def _blank_lines_separate_paragraphs(lines: _Lines) -> bool:
    """Blank lines mark this document's paragraphs: (almost) every blank line
    follows a sentence end, and the blocks between them hold several lines.

    Not so in extractions that scatter blank lines between wrapped lines."""
    blank_before = lines.blank_before
    blanks = sum(blank_before) - blank_before[0]
    if blanks < 2:
        return False
    # (for bools, b > o is "b and not o": a blank line right after a sentence end)
    after_end = sum(map(gt, blank_before[1:], lines.open_end))
    inside = len(blank_before) - 1 - blanks
    return after_end >= 0.75 * blanks and inside >= blanks


_CAPTION_BLOCK_LINES = 12
_MAX_CAPTION = 400
# a numbered caption label opens a caption of its own: nothing before it is gathered
_CAPTION_LABEL = re.compile(r"^[（(]?\s*\S{0,4}图\s*[①-⑳\d一二三四五六七八九十]{0,3}\s*[：:]")


def _gather_caption(lines: _Lines, paragraphs: list[_Paragraph], starts: list[int]) -> int:
    """A wrapped photo caption is the whole block (since the last blank line)
    that ends with the credit, even where a line inside it ends a sentence."""
    blank_before = lines.blank_before
    end = starts[-1]
    first = end
    while first > 0 and not blank_before[first] and end - first < _CAPTION_BLOCK_LINES:
        first -= 1
    # the block must be set apart by a blank line, and be no longer than a caption
    if first == end or not blank_before[first]:
        return 0
    count = 0
    for start in reversed(starts):  # the paragraphs that began inside the block
        if start < first:
            break
        count += 1
    if count < 2 or sum(len(p.text()) for p in paragraphs[-count:]) > _MAX_CAPTION:
        return 0
    tails = paragraphs[-count + 1 :]
    del paragraphs[-count + 1 :]
    del starts[-count + 1 :]
    for tail in tails:
        paragraphs[-1].add(tail.text())
    return count - 1


def continues(para: str, nxt: str) -> bool:
    """Paragraph-level join test (used across a removed caption)."""
    return should_join(para, para, nxt, display_width(para), display_width(nxt), [])


# --------------------------------------------------------------------------- spacing


def _may_hold_spacing(text: str) -> bool:
    """A space that remove_cjk_spacing could remove (it changes nothing without one)."""
    return " " in text or "\u3000" in text or "\u00a0" in text or "\u2009" in text


def _may_be_aligned(text: str) -> bool:
    """A gap _ALIGNED needs (two spaces or a full-width space): _ALIGNED starts with a
    class, so re tries it at every position; a scan for the gap is a C search."""
    return "  " in text or "\u3000" in text


def remove_cjk_spacing(paragraph: str) -> tuple[str, int]:
    """``共青团 12355 青少年`` → ``共青团12355青少年``; ``工 信 部`` → ``工信部``;
    ``1.61 亿 户 ， 占`` → ``1.61亿户，占``; ``Magic Vs`` and ``1 000`` stay.

    Table rows (tabs, aligned columns) keep their spacing."""
    if not _may_hold_spacing(paragraph):
        return paragraph, 0
    if "\t" in paragraph or (_may_be_aligned(paragraph) and _ALIGNED.search(paragraph)):
        return paragraph, 0
    if _CJK_BEFORE_SPACE.search(paragraph) or _SPACE_BEFORE_CJK.search(paragraph):
        new, n = CJK_SPACING.subn("", paragraph)
    else:  # every CJK_SPACING match is a run of spaces with a CJK character on one side
        new, n = paragraph, 0
    new = _MULTI_SPACE.sub(" ", new).strip(_HSPACE)
    return new, n


# --------------------------------------------------------------------------- the steps


def split_indented_paragraphs(text: str) -> tuple[str, int]:
    """``…（①）　　习近平…。　　近年来…`` → one paragraph per line.

    A run of full-width spaces opens a paragraph when running text follows it;
    between short cells (``北京　　1200　　1350``) it is a table's alignment and stays."""
    parts = split_indent_runs(text)
    if len(parts) == 1:
        return text, 0
    out = [parts[0]]
    count = 0
    for k in range(1, len(parts), 2):
        run, after = parts[k], parts[k + 1]
        segment = after.split("\n", 1)[0]
        before = out[-1].rsplit("\n", 1)[-1]
        prose = (
            len(segment) >= 30
            or _PROSE_MARK.search(segment) is not None
            or not segment.strip()
            or ends_sentence(before)
        )
        if prose:
            out.append("\n")
            count += 1
        else:
            out.append(run)
        out.append(after)
    return "".join(out), count


_LINE_BLANKS = _HSPACE + "\t"  # what unify_markers strips from both ends of a line


def unify_markers(record: Record) -> None:
    """Full-width-space indents and Markdown headings → one paragraph per line.

    ``　　习近平总书记…。　　近年来，…`` (one line) → ``习近平总书记…。⏎近年来，…``;
    ``## 激发数字产业创新活力`` → ``激发数字产业创新活力``.  Leading and
    trailing blanks of every line go (a Markdown hard break ``  `` included).
    """
    text = record.text
    indents = headings = stripped = 0
    if "\u3000" in text:
        text, indents = split_indented_paragraphs(text)
    lines = text.split("\n")
    out = [line.strip(_LINE_BLANKS) for line in lines]
    if "#" in text:  # (only a line holding a '#' can be a Markdown heading)
        for k in [k for k, line in enumerate(lines) if "#" in line]:
            m = MARKDOWN_HEADING.match(lines[k])
            if m and m["text"].strip():
                headings += 1
                lines[k] = m["text"]  # (the heading's text is what is stripped)
                out[k] = lines[k].strip(_LINE_BLANKS)
    new = "\n".join(out)
    # (strip only removes: where no heading was replaced, equal lengths mean nothing stripped)
    if headings or len(new) != len(text):
        stripped = sum(map(ne, map(len, out), map(len, lines)))  # (lines whose length changed)
    if indents:
        new = new.strip("\n")  # an indent at the very start made an empty first line
        record.log("layout", "fullwidth_indent_paragraphs", "　　… → one paragraph per line", indents)
    if headings:
        record.log("layout", "markdown_heading", "# … → heading paragraph", headings)
    if stripped:
        record.log("layout", "strip_line_blanks", "indents and trailing blanks of lines", stripped)
    record.text = new


def repair_layout(record: Record) -> list[Record]:
    """Join column-wrapped lines, take captions out, remove CJK spacing; split a
    page holding several articles into one record per article.

    Before → after (seed 000, one column)::

        数字产业集群，即由数字产业相关企业主体和机构组成的
        ⏎
        具有较强核心竞争力的企业集群。近日，…           →  数字产业集群，即由…组成的具有较强核心竞争力的企业集群。近日，…
    """
    paragraphs, joins = join_wrapped_lines(record.text)
    if joins:
        record.log("layout", "join_wrapped_lines", f"{joins} line breaks inside paragraphs", joins)
    paragraphs, captions, rejoined = take_out_captions(paragraphs)
    if captions and not paragraphs:
        # a photo with its caption and nothing else: the caption is the text (photo news)
        from .captions import caption_body

        paragraphs = [caption_body(c.text) for c in captions]
        record.log("layout", "photo_news", f"{len(captions)} photos", len(captions))
    if captions:
        record.log("layout", "move_captions", captions[0].text, len(captions))
    if rejoined:
        record.log("layout", "join_across_caption", f"{rejoined} paragraphs cut by a caption", rejoined)

    kind = record.sources[0].kind if record.sources else "article"
    if kind == "newspaper_page" and (not record.sources or record.sources[0].part is None):
        chunks = _split.find_chunks(paragraphs)  # (both steps read the page's chunks)
        parts = _split.split_page(record, paragraphs, captions, chunks)
        if parts is not None:
            return parts
        paragraphs = _split.single_article_page(record, paragraphs, chunks)
    finish_paragraphs(record, paragraphs, [c.text for c in captions])
    return [record]


def _credit_lines(texts: list[str]) -> list[int]:
    """Indices (ascending) of the lines that may end with a photo credit: those holding
    a credit hint, found by a scan of the lines joined (a hint holds no line break), so
    that ends_with_credit (False for a line without one) is asked of few lines."""
    if CREDIT_HINTS is None:
        return list(range(len(texts)))
    document = "\n".join(texts)
    found: set[int] = set()
    starts: list[int] | None = None  # where each line starts in the document, and where it would go on
    for hint in CREDIT_HINTS:
        at = document.find(hint)
        while at >= 0:
            if starts is None:
                starts = list(accumulate(map(len, texts), lambda start, size: start + size + 1, initial=0))
            k = bisect_right(starts, at) - 1
            found.add(k)
            at = document.find(hint, starts[k + 1])  # (the line's other hits add nothing)
    return sorted(found)


#: strings one of which every caption holds (captions.is_caption: a label that CAPTION_START
#: matches or a credit that CREDIT_END finds)
# (none of the hints holds a line break, so a look at the paragraphs joined tells
# whether any paragraph can be a caption: most articles have none)
_CAPTION_HINTS = required_hints(CAPTION_START, CREDIT_END)


def _may_hold_caption(text: str) -> bool:
    return _CAPTION_HINTS is None or any(hint in text for hint in _CAPTION_HINTS)


def take_out_captions(paragraphs: list[str]) -> tuple[list[str], list[Caption], int]:
    """Captions out; paragraphs a caption cut in two joined again."""
    if not _may_hold_caption("\n".join(paragraphs)):
        return paragraphs, [], 0  # (what extract_captions finds no caption in comes back as it was)
    kept, captions = extract_captions(paragraphs)
    if not captions:
        return paragraphs, [], 0
    gaps = sorted({c.before for c in captions if 0 < c.before < len(kept)}, reverse=True)
    rejoined = 0
    for gap in gaps:
        if continues(kept[gap - 1], kept[gap]):
            kept[gap - 1] = _glue(kept[gap - 1], kept[gap])
            del kept[gap]
            rejoined += 1
            # captions after the gap now stand one paragraph earlier
            captions = [
                Caption(c.text, c.before - 1 if c.before > gap else c.before, c.photographer, c.interrupting or c.before == gap)
                for c in captions
            ]
    return kept, captions, rejoined


def finish_paragraphs(record: Record, paragraphs: list[str], captions: list[str]) -> None:
    """Spacing out, one paragraph per line, captions into the record."""
    text = "\n".join(paragraphs)
    if not _may_hold_spacing(text):
        # remove_cjk_spacing gives every paragraph back as it was: only empty ones go
        if not all(paragraphs):
            text = "\n".join(para for para in paragraphs if para)
    else:
        out = []
        removed = 0
        for para in paragraphs:
            para, n = remove_cjk_spacing(para)
            removed += n
            if para:
                out.append(para)
        if removed:
            record.log("layout", "remove_cjk_spacing", f"{removed} spaces inside CJK text", removed)
        text = "\n".join(out)
    new_captions = []
    for cap in captions:
        cap, _ = remove_cjk_spacing(cap)
        new_captions.append(cap)
    record.captions = list(record.captions) + new_captions
    if text != record.text and "\n\n" in record.text:
        record.log("layout", "paragraph_separators", "blank lines → one paragraph per line")
    record.text = text


# split.py imports helpers from this module, so it comes in last (as a module: its
# names are looked up when a page is split, whichever of the two was imported first)
from . import split as _split  # noqa: E402
