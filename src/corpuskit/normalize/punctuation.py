"""Punctuation and character width in the mainland Chinese convention.

Rules (README "Normalisation" has the full convention):

* full-width digits, Latin letters and ASCII symbols become half-width
  (２０２２ → 2022, ＡＩ → AI, ％ → %); the full-width marks that *are* the
  Chinese forms (！（），：；？～) stay; with a simplified target, corner
  quotes 「」『』 become “”‘’;
* in a paragraph with CJK letters, half-width , . ; : ! ? ( ) [ ] " ' become
  ，。；：！？（）【】“”‘’ where their context is Chinese, ``...``/``。。。``/``…``
  become ……, a lone dash between Chinese becomes ——, and spaces next to
  full-width punctuation go;
* half-width stays inside numbers (1378.6, 52.3%, 2022-11-30, 16:00, 1,000),
  URLs, e-mail addresses, and Latin text (``Magic Vs, AI``; ``Hello, world.``);
* quotes alternate open/close within each paragraph.

Context is decided by *letters* (CJK or not) and clause boundaries, never by
the width of neighbouring punctuation, so converting one mark never changes
the decision for the next: the normaliser is idempotent.

Example::

    >>> PunctuationNormalizer()('在中国声谷(合肥)展厅内,一款"能听会动"的鼠标...售价1378.6元')
    '在中国声谷（合肥）展厅内，一款“能听会动”的鼠标……售价1378.6元'
"""

from __future__ import annotations

import operator
import re
import unicodedata

from .changes import Changes
from .chars import CJK_LETTER, CJK_LETTER_RE

# --- width -----------------------------------------------------------------

#: Full-width forms that are the Chinese punctuation itself, kept as they are.
KEEP_FULLWIDTH = "！（），：；？～"
_WIDTH_MAP = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if chr(c) not in KEEP_FULLWIDTH}
# Half-width CJK punctuation (a legacy of Japanese code pages) → normal width.
_WIDTH_MAP.update({"｡": "。", "｢": "「", "｣": "」", "､": "、"})
_WIDTH_TABLE = str.maketrans(_WIDTH_MAP)
WIDTH_RE = re.compile("[" + re.escape("".join(_WIDTH_MAP)) + "]+")
FULLWIDTH_ALNUM_RE = re.compile("[０-９Ａ-Ｚａ-ｚ]")

CORNER_QUOTES = {"「": "“", "」": "”", "『": "‘", "』": "’", "﹁": "“", "﹂": "”", "﹃": "‘", "﹄": "’"}

# One class scan (no "+": a pattern that starts with a class lets the regex
# engine skip ahead with the class alone) clears most texts of both the width
# and the corner-quote step.
#: The body of that class (the stage's one-scan pre-test includes it).
WIDTH_OR_CORNER_CLASS = re.escape("".join(_WIDTH_MAP) + "".join(CORNER_QUOTES))
_WIDTH_OR_CORNER_RE = re.compile(f"[{WIDTH_OR_CORNER_CLASS}]")

# --- tokens of a paragraph ---------------------------------------------------

# Letters of non-CJK scripts (Latin, Greek, Cyrillic, Hangul): "Latin text".
LATIN = "0-9A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u1e00-\u1eff\uac00-\ud7af"
# ASCII only (an IRI's CJK path is Chinese text to us); never ends in a mark.
URL = r"(?:[A-Za-z][A-Za-z0-9+.\-]{0,31}://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]*[A-Za-z0-9\-_~/#@$&*+=%]"
# Bounded parts (RFC 5321 sizes) keep the scan linear on long runs of Latin text.
EMAIL = r"[A-Za-z0-9_%+\-][A-Za-z0-9._%+\-]{0,63}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})+"
# A Latin word or number, with the marks that may sit *inside* one:
# 1378.6, 2022-11-30, 16:00, 1,000, Xi'an, don’t, Node.js, AT&T, U.S
# (any single quote between two letters is an apostrophe, whatever its direction,
# so that balancing quotes cannot turn a quote into an apostrophe)
WORD = rf"[{LATIN}]+(?:[.,:'‘’/\-_&][{LATIN}]+)*"
# One ellipsis: any sequence of …, ⋯ and runs of three or more . or 。 (mixed:
# converting . to 。 must not create a new run); one or two are full stops.
ELLIPSIS = r"(?:[…⋯]|[.。]{3,})+"
DASH = r"[\-–—―─]+"
TOKEN_RE = re.compile(
    rf"(?P<latin>{URL}|{EMAIL}|{WORD})|(?P<cjk>[{CJK_LETTER}]+)|(?P<space> +)"
    rf"|(?P<ellipsis>{ELLIPSIS})|(?P<dash>{DASH})|(?P<mark>.)",
    re.S,
)

# Marks converted by context, and their Chinese forms.
SENTENCE_MARKS = {".": "。", "!": "！", "?": "？"}  # end the clause before them
CLAUSE_MARKS = {",": "，", ";": "；", ":": "："}  # also join to the clause after
OPEN_BRACKETS = {"(": "（", "[": "【", "（": "（", "【": "【"}
CLOSE_BRACKETS = {")": "）", "]": "】", "）": "）", "】": "】"}
_BRACKET_FAMILY = {"(": "round", "（": "round", ")": "round", "）": "round", "[": "square", "【": "square", "]": "square", "】": "square"}
DOUBLE_QUOTES = frozenset('"“”')
SINGLE_QUOTES = frozenset("'‘’")
# Punctuation ending a clause (both widths: conversion must not move a boundary).
BOUNDARY = frozenset(",.;:!?()[]\"'，。；：！？、（）【】“”‘’「」『』《》〈〉…⋯-–—―─")
# Full-width punctuation takes its own spacing: spaces next to it go.
FULLWIDTH_PUNCT = frozenset("，。、；：！？（）【】《》〈〉「」『』") | {"……", "——"}
# Abbreviations whose final '.' is not a full stop (Mr.王, Apple Inc.).
ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Dr Prof Sr Jr St Mt No Nos Co Corp Inc Ltd Bros vs etc al Fig Figs Vol Vols pp "
    "Ph Gov Dept Univ approx ca cf Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)

# U.S, e.g, a.m, Ph.D — short letter groups joined by dots (not a domain name).
DOTTED_ABBREVIATION_RE = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")

# Marks whose context is settled by one neighbouring CJK letter — a , ; : right
# after or before one, a ! ? . right after one (or after one and a closing
# quote or bracket) — are converted by plain regex substitutions before the
# token pass, which would decide the same (a property test checks it).  A
# literal first character lets the regex engine skip ahead: ~300 MB/s against
# ~40 for one combined pattern with lookbehinds (bench/bench_normalize.py).
_CLOSERS = "”’）》」』】"


def _after_cjk(mark: str) -> str:
    """Lookbehind: ``mark`` right after a CJK letter, or after one and a closing mark (“声谷”.)."""
    m = re.escape(mark)
    return rf"(?<=[{CJK_LETTER}]{m})|(?<=[{CJK_LETTER}][{_CLOSERS}]{m})"


OBVIOUS_MARKS = tuple(
    (mark, re.compile(pattern), full)
    for mark, pattern, full in (
        (",", rf",(?:(?=[{CJK_LETTER}])|{_after_cjk(',')})", "，"),
        (";", rf";(?:(?=[{CJK_LETTER}])|{_after_cjk(';')})", "；"),
        (":", rf":(?:(?=[{CJK_LETTER}])|{_after_cjk(':')})", "："),
        ("!", rf"!(?:{_after_cjk('!')})", "！"),
        ("?", rf"\?(?:{_after_cjk('?')})", "？"),
        (".", rf"\.(?:{_after_cjk('.')})(?![.。…⋯])", "。"),  # not the start of .. or ...
        # a round pair right after a CJK letter, holding no bracket of either
        # family (pairing is then certain) and no Latin letter (so no URL,
        # whose own ')' would be part of it)
        ("(", rf"\((?<=[{CJK_LETTER}]\()([^()（）\[\]【】\nA-Za-z]*)\)", r"（\1）"),
    )
)

# Full-width punctuation that takes its own spacing.
FW_SPACE = "，。、；：！？（）【】《》〈〉「」『』"
# What sends a paragraph to the token pass.  Each pattern starts with one
# character class or literal, so the engine skips ahead to it; the marks that
# fill Chinese text (，。“”……——) are looked at only by the narrow patterns that
# need them — one pattern that started with all of them cost 2.5× the time.
_CANDIDATE_MARKS = r";!?()\[\]\"'⋯–―─.,:\-"
CANDIDATE_RE = re.compile(
    f"[{_CANDIDATE_MARKS}]"
    rf"(?:(?<=[;!?()\[\]\"'⋯–―─])|(?<![{LATIN}].)|(?![{LATIN}]))"  # . , : - not inside 1378.6, 16:00
)
LONE_ELLIPSIS_RE = re.compile("…(?:(?<!……)(?!…)|(?=……))")  # a lone …, or ………
LONE_DASH_RE = re.compile("—(?<!——)(?!—)")
TRIPLE_STOP = "。。。"
SPACE_BY_FULLWIDTH_RE = re.compile(rf" (?:(?=[{FW_SPACE}…—])|(?<=[{FW_SPACE}…—] ))")
# Every character the rules of :meth:`PunctuationNormalizer.apply_marks` look
# for first (the obvious marks, straight quotes, the candidates, a lone … or —,
# 。。。, a space by full-width punctuation, curly quotes): a text without one
# comes back as it is.  Short metadata strings are mostly such texts.
_MARK_RULES_RE = re.compile(
    f"[{_CANDIDATE_MARKS}{re.escape(''.join(mark for mark, _, _ in OBVIOUS_MARKS))}\"…— 。“”‘’]"
)
_DOUBLE_CURLY_NL_RE = re.compile("[“”\n]")
_LATIN_CHAR_RE = re.compile(f"[{LATIN}]")
# a ‘ or ’ not between two letters (there it is an apostrophe), or a line break
_SINGLE_CURLY_NL_RE = re.compile(rf"[‘’\n](?:(?<=\n)|(?<![{LATIN}].)|(?![{LATIN}]))")


class PunctuationNormalizer:
    """Width and punctuation of one text (paragraphs separated by ``\\n``)."""

    def __init__(self, corner_quotes: bool = True):
        #: 「」『』 → “”‘’ (the simplified-Chinese convention).
        self.corner_quotes = corner_quotes

    def __call__(self, text: str) -> str:
        return self.apply(text, Changes())

    def apply(self, text: str, changes: Changes) -> str:
        if _WIDTH_OR_CORNER_RE.search(text):
            if WIDTH_RE.search(text):
                text = _fix_width(text, changes)
            if self.corner_quotes:
                text = _fix_corner_quotes(text, changes)
        return self.apply_marks(text, changes)

    def apply_marks(self, text: str, changes: Changes) -> str:
        """:meth:`apply` for a text that holds no character of
        :data:`WIDTH_OR_CORNER_CLASS` (the caller has scanned it): the rules
        of marks in context.  They write only ，。；：！？（）【】“”‘’…—."""
        if not CJK_LETTER_RE.search(text) or not _MARK_RULES_RE.search(text):
            return text
        for mark, pattern, full in OBVIOUS_MARKS:
            if mark in text:
                text, n = pattern.subn(full, text)
                changes.add("punctuation_width", n, f"{mark} → {full}")
        lines: list[str] = []  # split only when some paragraph needs a look
        changed = False
        if '"' in text:
            lines = text.split("\n")
            for i, line in enumerate(lines):
                if '"' in line and "“" not in line and "”" not in line and CJK_LETTER_RE.search(line):
                    # Straight double quotes only: the quote rule is plain alternation.
                    parts = line.split('"')
                    changes.add("quotes", len(parts) - 1, line[:60])
                    lines[i] = parts[0] + "".join(("“" if k % 2 == 0 else "”") + p for k, p in enumerate(parts[1:]))
                    changed = True
            if changed:
                text = "\n".join(lines)
        token_pass, quotes_only = _paragraphs_to_check(text)
        if not token_pass and not quotes_only:
            return text
        lines = lines or text.split("\n")
        # One sorted walk over both kinds keeps the order of ``changes`` (the
        # first sample of each rule) what the token pass alone gives.
        for i in sorted(token_pass | quotes_only):
            line = lines[i]
            if CJK_LETTER_RE.search(line):
                if i in token_pass:
                    new = _normalize_paragraph(line, changes)
                else:
                    new = _balance_curly_quotes(line, changes)
                if new != line:
                    lines[i] = new
                    changed = True
        return "\n".join(lines) if changed else text


def _paragraphs_to_check(text: str) -> tuple[set[int], set[int]]:
    """Indices of the paragraphs the token pass must see, and of those whose
    curly quotes only break the quote rule, found with a few scans of the
    whole text (not a dozen calls per paragraph).

    A paragraph that none of the token patterns flags holds no half-width
    mark, lone … or — next to a CJK letter, 。。。 or space by full-width
    punctuation: the token pass could only re-balance its curly quotes
    (straight quotes are token patterns), which :func:`_balance_curly_quotes`
    does without tokenising.
    """
    patterns = [CANDIDATE_RE]
    if _has_lone_or_long_run(text, "…"):
        patterns.append(LONE_ELLIPSIS_RE)
    if " " in text:
        patterns.append(SPACE_BY_FULLWIDTH_RE)
    flagged: set[int] = set()
    for pattern in patterns:
        pos = line_no = counted = 0
        while m := pattern.search(text, pos):
            start = m.start()
            line_no += text.count("\n", counted, start)
            counted = start
            flagged.add(line_no)
            pos = text.find("\n", start) + 1  # the rest of that paragraph needs no look
            if not pos:
                break
    if _has_lone_or_long_run(text, "—"):
        for m in LONE_DASH_RE.finditer(text):
            if _next_to_cjk_letter(text, m.start()):
                flagged.add(text.count("\n", 0, m.start()))
    pos = text.find(TRIPLE_STOP)
    while pos >= 0:
        flagged.add(text.count("\n", 0, pos))
        pos = text.find(TRIPLE_STOP, text.find("\n", pos) + 1 or len(text))
    quotes: set[int] = set()
    if "“" in text or "”" in text:
        _flag_unbalanced(text, _DOUBLE_CURLY_NL_RE, _DOUBLE_BALANCED_RE, "“", "”", quotes)
    if "‘" in text or "’" in text:
        _flag_unbalanced(text, _SINGLE_CURLY_NL_RE, _SINGLE_BALANCED_RE, "‘", "’", quotes)
    return flagged, quotes - flagged


def _next_to_cjk_letter(text: str, i: int) -> bool:
    """Whether the nearest non-space character on either side of ``text[i]``
    is a CJK letter.  A lone — becomes —— only next to one (see
    :func:`_dash_is_chinese`): between numbers (2021—2025年) it stays, and its
    paragraph need not be tokenised."""
    j = i - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    if j >= 0 and CJK_LETTER_RE.match(text, j):
        return True
    j = i + 1
    while j < len(text) and text[j] == " ":
        j += 1
    return j < len(text) and CJK_LETTER_RE.match(text, j) is not None


def _has_lone_or_long_run(text: str, mark: str) -> bool:
    """Whether some run of ``mark`` is not exactly two long (…… and —— are the
    Chinese forms); two ``str.count`` calls instead of a regex scan."""
    if mark not in text:  # a fast scan; most texts hold neither … nor —
        return False
    count = text.count(mark)
    return count != 2 * text.count(mark * 2) or mark * 3 in text


def _flag_unbalanced(text, marks_re, balanced_re, open_q: str, close_q: str, flagged: set[int]) -> None:
    """Paragraphs whose quotes break the quote rule, from one string of all
    the marks and line breaks (one scan; no pre-test, which cost two)."""
    marks = "".join(marks_re.findall(text))
    if balanced_re.fullmatch(marks):  # every paragraph follows the quote rule: one C call
        return
    for i, line_marks in enumerate(marks.split("\n")):
        if line_marks and not _alternates(line_marks, open_q, close_q):
            flagged.add(i)


def _balanced_re(open_q: str, close_q: str) -> re.Pattern:
    """Quote marks of paragraphs (joined by newlines) that all follow the quote rule."""
    line = f"(?:(?:{open_q}{close_q})*{open_q}?|{close_q}(?:{open_q}{close_q})*)"
    return re.compile(f"(?:{line}\n)*{line}")


_DOUBLE_BALANCED_RE = _balanced_re("“", "”")
_SINGLE_BALANCED_RE = _balanced_re("‘", "’")


def _fix_width(text: str, changes: Changes) -> str:
    converted = [0]

    def half(m: re.Match) -> str:
        converted[0] += len(m.group())
        return m.group().translate(_WIDTH_TABLE)

    fixed = WIDTH_RE.sub(half, text)
    if not unicodedata.is_normalized("NFC", fixed):  # Ａ + U+0301 → A + U+0301 composes to Á
        fixed = unicodedata.normalize("NFC", fixed)
    alnum = len(FULLWIDTH_ALNUM_RE.findall(text))
    changes.add("fullwidth_alnum", alnum)
    changes.add("punctuation_width", converted[0] - alnum)
    return fixed


def _fix_corner_quotes(text: str, changes: Changes) -> str:
    for corner, curly in CORNER_QUOTES.items():
        if corner in text:
            changes.add("quotes", text.count(corner), f"{corner} → {curly}")
            text = text.replace(corner, curly)
    return text


def quotes_follow_rule(line: str) -> bool:
    """Whether the curly quotes of one paragraph already follow the quote rule."""
    double = "".join(_DOUBLE_CURLY_NL_RE.findall(line))
    single = "".join(_SINGLE_CURLY_NL_RE.findall(line))
    return _alternates(double, "“", "”") and _alternates(single, "‘", "’")


def _alternates(marks: str, open_q: str, close_q: str) -> bool:
    if not marks:
        return True
    if len(marks) % 2 and marks[0] == close_q:  # a quote continued from the paragraph before
        marks = marks[1:]
    return marks == (open_q + close_q) * (len(marks) // 2) + (open_q if len(marks) % 2 else "")


# The curly quotes of one paragraph that the quote rule counts: every “ and ”,
# and every ‘ or ’ that is not an apostrophe between two letters (as the token
# pass decides: a single quote between two Latin letters is part of a word).
_DOUBLE_CURLY_RE = re.compile("[“”]")
_SINGLE_CURLY_RE = re.compile(rf"[‘’](?:(?<![{LATIN}].)|(?![{LATIN}]))")


def _balance_curly_quotes(line: str, changes: Changes) -> str:
    """What :func:`_normalize_paragraph` gives for a paragraph whose curly
    quotes are its only finding: the quotes re-balanced by
    :func:`_balance_quotes`' rule, logged the same way (a fast path for the
    commonest finding; a property test checks that both agree).

    Re-balancing “” changes no letter, so the ‘’ found next are those the
    token pass finds in the original paragraph.
    """
    out, count = line, 0
    if "“" in line or "”" in line:
        out, n = _rebalanced(out, _DOUBLE_CURLY_RE, "“", "”")
        count += n
    if "‘" in line or "’" in line:
        out, n = _rebalanced(out, _SINGLE_CURLY_RE, "‘", "’")
        count += n
    if count:
        changes.add("quotes", count, line[:60])
    return out


def _rebalanced(line: str, quote_re: re.Pattern, open_q: str, close_q: str) -> tuple[str, int]:
    """``line`` with the quotes ``quote_re`` finds alternating; and how many changed."""
    marks = quote_re.findall(line)
    kept = 1 if len(marks) % 2 and marks[0] == close_q else 0  # continued from the paragraph before
    pairs, odd = divmod(len(marks) - kept, 2)
    want = marks[:kept] + [open_q, close_q] * pairs + [open_q] * odd
    if want == marks:
        return line, 0
    pieces = [""] * (2 * len(marks) + 1)
    pieces[0::2] = quote_re.split(line)  # the text around the marks
    pieces[1::2] = want
    return "".join(pieces), sum(map(operator.ne, marks, want))


def _normalize_paragraph(line: str, changes: Changes) -> str:
    kinds: list[str] = []
    texts: list[str] = []
    for m in TOKEN_RE.finditer(line):
        kinds.append(m.lastgroup)  # type: ignore[arg-type]
        texts.append(m.group())
    n = len(texts)

    # Context, computed once in linear passes: the nearest word on each side
    # (CJK or Latin, skipping spaces and punctuation) and whether the clause
    # so far (since the last boundary mark) holds a CJK letter.  The tokens
    # that may change are collected on the way.
    prev_word: list[str | None] = [None] * n
    clause_cjk = [False] * n
    marks: list[int] = []
    brackets: list[int] = []
    spaces: list[int] = []
    last: str | None = None
    in_clause = False
    for i in range(n):
        kind = kinds[i]
        if kind == "cjk" or kind == "latin":
            last = kind
            in_clause = in_clause or kind == "cjk"
            continue
        prev_word[i] = last
        clause_cjk[i] = in_clause
        if kind == "space":
            spaces.append(i)
            continue
        first = texts[i][0]
        if first in BOUNDARY:
            in_clause = False
        if kind == "mark" and first in _BRACKET_FAMILY:
            brackets.append(i)
        else:
            marks.append(i)
    next_word: list[str | None] = [None] * n
    last = None
    for i in range(n - 1, -1, -1):
        kind = kinds[i]
        if kind == "cjk" or kind == "latin":
            last = kind
        else:
            next_word[i] = last

    out = list(texts)
    for i in marks:
        kind, tok = kinds[i], texts[i]
        if kind == "mark":
            if tok in CLAUSE_MARKS:
                if _clause_mark_is_chinese(prev_word[i], next_word[i], clause_cjk[i]):
                    out[i] = CLAUSE_MARKS[tok]
            elif tok in SENTENCE_MARKS:
                if tok == "." and i and kinds[i - 1] == "latin" and _is_abbreviation(texts[i - 1]):
                    continue
                if _sentence_mark_is_chinese(prev_word[i], next_word[i], clause_cjk[i]):
                    out[i] = SENTENCE_MARKS[tok]
        elif kind == "ellipsis":
            if tok != "……" and _sentence_mark_is_chinese(prev_word[i], next_word[i], clause_cjk[i]):
                out[i] = "……"
        elif kind == "dash":
            if tok != "——" and len(tok) <= 2 and _dash_is_chinese(tok, kinds, texts, i):
                out[i] = "——"
    if brackets:
        _convert_brackets(brackets, kinds, texts, out, prev_word, next_word)
    quotes = [i for i in marks if texts[i] in DOUBLE_QUOTES]
    nested = _nested_straight_quotes(quotes, texts)
    if nested:
        quotes = [i for i in quotes if i not in nested]
    if quotes:
        _balance_quotes(quotes, texts, out, "“", "”")
    # a single quote between two letters is an apostrophe (www.b.cn’AI), as in _SINGLE_CURLY_NL_RE
    quotes = [
        i
        for i in marks
        if (texts[i] in SINGLE_QUOTES or i in nested)
        and not (0 < i < n - 1 and _LATIN_CHAR_RE.match(texts[i - 1][-1]) and _LATIN_CHAR_RE.match(texts[i + 1][0]))
    ]
    if quotes:
        _balance_quotes(quotes, texts, out, "‘", "’")

    counts = {"punctuation_width": 0, "ellipsis": 0, "dash": 0, "quotes": 0}
    for i in marks + brackets:
        if out[i] != texts[i]:
            kind = kinds[i]
            rule = kind if kind in ("ellipsis", "dash") else "quotes" if texts[i] in '"\'“”‘’' else "punctuation_width"
            counts[rule] += 1
    for rule, count in counts.items():
        if count:
            changes.add(rule, count, line[:60])

    if spaces:
        changes.add("punctuation_space", _drop_spaces_by_fullwidth(spaces, kinds, out))
    return "".join(out)


def _clause_mark_is_chinese(prev: str | None, nxt: str | None, clause_cjk: bool) -> bool:
    """, ; : — Chinese after a CJK word, or before one unless between Latin words."""
    if prev == "cjk":
        return True
    if prev == "latin" and nxt == "latin":  # Magic Vs, AI / Hello, world
        return False
    return nxt == "cjk" or clause_cjk


def _sentence_mark_is_chinese(prev: str | None, nxt: str | None, clause_cjk: bool) -> bool:
    """. ! ? … — they end the clause before them, so that clause decides."""
    if prev == "cjk" or (prev == "latin" and clause_cjk):  # 我们使用AI.
        return True
    return prev is None and nxt == "cjk"


def _is_abbreviation(word: str) -> bool:
    return len(word) == 1 or word in ABBREVIATIONS or DOTTED_ABBREVIATION_RE.fullmatch(word) is not None


def _is_chinese_neighbour(kinds: list[str], texts: list[str], i: int) -> bool:
    # Punctuation of either width counts, so converting it cannot flip the decision.
    return kinds[i] == "cjk" or (kinds[i] in ("mark", "ellipsis", "dash") and texts[i][0] in BOUNDARY)


def _dash_is_chinese(tok: str, kinds: list[str], texts: list[str], i: int) -> bool:
    """A lone hyphen between two CJK letters, or an em/en dash in Chinese context."""
    left = i - 2 if i > 0 and kinds[i - 1] == "space" else i - 1
    right = i + 2 if i + 1 < len(kinds) and kinds[i + 1] == "space" else i + 1
    if "-" in tok:
        return 0 <= left and right < len(kinds) and kinds[left] == "cjk" and kinds[right] == "cjk"
    left_ok = left < 0 or _is_chinese_neighbour(kinds, texts, left)
    right_ok = right >= len(kinds) or _is_chinese_neighbour(kinds, texts, right)
    has_letter = (left >= 0 and kinds[left] == "cjk") or (right < len(kinds) and kinds[right] == "cjk")
    return left_ok and right_ok and has_letter


def _convert_brackets(brackets, kinds, texts, out, prev_word, next_word) -> None:
    """Pair brackets (either width); convert a pair whose content or context is Chinese."""
    stack: list[int] = []
    unmatched: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i in brackets:
        tok = texts[i]
        if tok in OPEN_BRACKETS:
            stack.append(i)
        elif stack and _BRACKET_FAMILY[texts[stack[-1]]] == _BRACKET_FAMILY[tok]:
            pairs.append((stack.pop(), i))
        else:
            unmatched.append(i)
    unmatched.extend(stack)
    if pairs:  # CJK words among tokens [0, i), for the content test in O(1)
        cjk_before = [0] * (len(kinds) + 1)
        for i, kind in enumerate(kinds):
            cjk_before[i + 1] = cjk_before[i] + (kind == "cjk")
    for o, c in pairs:
        if texts[o] in "（【" and texts[c] in "）】":
            continue
        chinese = texts[o] in "（【" or texts[c] in "）】" or cjk_before[c] > cjk_before[o + 1]
        if not chinese and texts[o] == "(":  # (round only: [1] is a citation)
            chinese = prev_word[o] == "cjk" or (prev_word[o] is None and next_word[c] == "cjk")
        if chinese:
            out[o] = OPEN_BRACKETS[texts[o]]
            out[c] = CLOSE_BRACKETS[texts[c]]
    for i in unmatched:
        if texts[i] in "()" and (prev_word[i] == "cjk" or next_word[i] == "cjk"):
            out[i] = OPEN_BRACKETS.get(texts[i]) or CLOSE_BRACKETS[texts[i]]


def _nested_straight_quotes(marks: list[int], texts: list[str]) -> set[int]:
    """Straight double quotes that come in pairs inside a curly quotation
    (他说：“要打造"数字中国"。”) are quotes within a quote: single ‘’ in Chinese."""
    nested: set[int] = set()
    k = 0
    while k < len(marks):
        if texts[marks[k]] != "“":
            k += 1
            continue
        j = k + 1
        while j < len(marks) and texts[marks[j]] == '"':
            j += 1
        inner = j - k - 1
        if j < len(marks) and texts[marks[j]] == "”" and inner and inner % 2 == 0:
            nested.update(marks[k + 1 : j])
        k = j
    return nested


def _balance_quotes(marks: list[int], texts, out, open_q: str, close_q: str) -> None:
    """(Mirrored for paragraphs with curly quotes only by :func:`_balance_curly_quotes`: a change
    here goes there too.)  Quotes of one family alternate open/close within a paragraph; an odd
    count that starts with a closing quote keeps it (the quote began in the
    paragraph before), and an odd count's last quote stays open (it goes on in
    the next paragraph, the Chinese convention for quoted paragraphs)."""
    if len(marks) % 2 and texts[marks[0]] == close_q:
        marks = marks[1:]
    for k, i in enumerate(marks):
        out[i] = open_q if k % 2 == 0 else close_q


def _drop_spaces_by_fullwidth(spaces: list[int], kinds: list[str], out: list[str]) -> int:
    """Remove spaces between full-width punctuation and anything; not at
    paragraph edges.  Curly quotes keep theirs: in a headline
    (数字产业集聚成“群” 增添发展新动能) the space is the separator."""
    removed = 0
    last = len(out) - 1
    for i in spaces:
        if i == 0 or i == last:
            continue
        left, right = out[i - 1], out[i + 1]
        if _family(left) is not None and _family(left) == _family(right):
            continue  # "…… ..." or "— ——" would merge into one run: keep them apart
        if left in FULLWIDTH_PUNCT or right in FULLWIDTH_PUNCT:
            out[i] = ""
            removed += 1
    return removed


def _family(tok: str) -> str | None:
    """Marks that form one token when adjacent (dots and ellipses; dashes)."""
    if tok and tok[0] in ".。…⋯":
        return "dots"
    if tok and tok[0] in "-–—―─":
        return "dashes"
    return None
