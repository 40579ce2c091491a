r"""Unicode hygiene: mojibake repair, NFC, invisible characters, whitespace.

The convention (one paragraph per line, see README "Normalisation"):

* text is NFC — never NFKC, which would turn ，：！ into ASCII and ① into 1;
* no control characters, no zero-width or bidi formatting characters (a ZWJ /
  ZWNJ between two non-CJK, non-ASCII characters — an emoji sequence, Indic or
  Arabic script — is kept, it changes how those render);
* line separators (CR, VT, FF, NEL, U+2028/2029) are line breaks;
* inside a paragraph, tabs and every Unicode space (no-break, ideographic,
  en/em/thin …) fold to one ASCII space and runs of spaces to one;
* a paragraph's leading whitespace is its indent: paragraphs are lines, so the
  indent carries nothing and is removed, as is trailing whitespace; blank lines
  are removed;
* mojibake (UTF-8 read as Latin-1, cp1252, cp1251, MacRoman …) is repaired with
  ftfy, its width and quote fixes off, on the lines that show its signature.

Example::

    >>> UnicodeNormalizer()("\u3000\u3000æ•°å­—äº§ä¸šé›†ç¾¤\u00a0加速\u200b成长\r\n")
    '数字产业集群 加速成长'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import ftfy

from .changes import Changes

# Line separators other than LF (CRLF first so it becomes one break).
LINE_BREAK_RE = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# C0/C1 controls other than TAB/LF and the separators above, DEL, lone
# surrogates, interlinear annotation marks, the object replacement character.
CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufff9-\ufffc]")
# Characters a ZWJ/ZWNJ may legitimately join: not ASCII, not CJK, not space.
_JOINABLE = "[^\x00-\x7f\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff\\s\u200b-\u200f]"
ZERO_WIDTH_RE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
    f"|(?<!{_JOINABLE})[\u200c\u200d]|[\u200c\u200d](?!{_JOINABLE})"
)
SPACE_RE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Anything the character rules above would touch (one cheap scan decides):
# the body of a character class, shared with RARE_CLASS below.
SUSPECT_CLASS = (
    "\x00-\x09\x0b-\x1f\x7f-\x9f\u00a0\u00ad\u061c\u1680\u180e\u2000-\u200f"
    "\u2028-\u202f\u205f-\u206f\u3000\ud800-\udfff\ufeff\ufff9-\ufffc"
)
SUSPECT_RE = re.compile(f"[{SUSPECT_CLASS}]")
# The signature of mojibake: a character that a legacy code page decodes a
# UTF-8 lead byte to, followed by one it decodes a continuation byte to.
# Clean Chinese text (·, ×, “”, ——) does not match, so ftfy runs rarely.  The
# marks the punctuation normaliser writes (— ‘ ’ “ ” …) are left out of the
# continuations: José“ must not look like mojibake on the next run (a line of
# real mojibake shows the signature in many other places).
MOJIBAKE_LEAD_CLASS = "\u00c0-\u07ff\u2030\u2500-\u257f"
MOJIBAKE_RE = re.compile(
    f"[{MOJIBAKE_LEAD_CLASS}]"
    "[\u0080-\u07ff\u2010-\u2013\u2015-\u2017\u201e-\u2025\u2027-\u2122\u2202-\u221e\u2500-\u25ff]"
)
#: Either of the two above starts with a character of this class (body): one
#: scan clears the common clean text of both.
RARE_CLASS = MOJIBAKE_LEAD_CLASS + SUSPECT_CLASS
_RARE_RE = re.compile(f"[{RARE_CLASS}]")


@lru_cache(maxsize=1)
def nfc_unstable_class() -> str:
    """Body of a character class outside which a text is NFC whatever the
    order of its characters (the NFC quick check says "yes"): every character
    beyond the BMP, and in the BMP every combining mark, every character with a
    canonical decomposition, the second character of each canonical pair (it
    may compose with the one before: quick check "maybe") and the Hangul vowel
    and final jamo.  Derived from ``unicodedata`` once per process (~20 ms):
    the canonical decompositions all lie in planes 0-2 (planes 3 and up hold
    ideographs without one, tags, variation selectors and private use)."""
    decompositions = map(unicodedata.decomposition, map(chr, range(0x30000)))
    canonical = [(code, d.split()) for code, d in enumerate(decompositions) if d and d[0] != "<"]
    unstable = {code for code, _ in canonical} | {int(parts[1], 16) for _, parts in canonical if len(parts) == 2}
    unstable.update(code for code, ccc in enumerate(map(unicodedata.combining, map(chr, range(0x10000)))) if ccc)
    unstable.update(range(0x1161, 0x1176))  # composed algorithmically, without a mapping
    unstable.update(range(0x11A8, 0x11C3))
    return "".join(re.escape(chr(code)) for code in sorted(unstable) if code < 0x10000) + "\U00010000-\U0010ffff"


SPACE_RUN_RE = re.compile("  +")
EDGE_SPACE_RE = re.compile("^ +| +$", re.M)
BLANK_LINES_RE = re.compile("\n\n+")

_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,  # entities are the HTML cleaner's business
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,  # would turn ，：！ into ASCII
    uncurl_quotes=False,  # would turn “” into ""
    fix_line_breaks=False,
    remove_control_chars=False,  # done here, after the repair needs them
    normalization=None,  # NFC is applied here
    explain=False,
)
_MAX_ROUNDS = 4


class UnicodeNormalizer:
    """Text → NFC text without invisible characters, one paragraph per line."""

    def __init__(self, repair_mojibake: bool = True):
        self.repair_mojibake = repair_mojibake

    def __call__(self, text: str) -> str:
        return self.apply(text, Changes())

    def apply(self, text: str, changes: Changes) -> str:
        out = self._pass(text, changes)
        # Removing a character or composing NFC can reveal mojibake that the
        # pass skipped; repeat until nothing changes so the result is stable.
        rounds = 1
        while self.repair_mojibake and out != text and rounds < _MAX_ROUNDS and MOJIBAKE_RE.search(out):
            text, out = out, self._pass(out, changes)
            rounds += 1
        return out

    def apply_plain(self, text: str, changes: Changes) -> str:
        """What :meth:`apply` gives for a text that holds no character of
        :data:`RARE_CLASS` nor of :func:`nfc_unstable_class` (the caller has
        scanned it): such a text is NFC, so only the whitespace rules act, and
        no mojibake can appear (a property test compares the two)."""
        return _whitespace(text, changes)

    def _pass(self, text: str, changes: Changes) -> str:
        if _RARE_RE.search(text):
            if self.repair_mojibake and MOJIBAKE_RE.search(text):
                text = self._repair(text, changes)
            if SUSPECT_RE.search(text):
                text = self._characters(text, changes)
        nfc = unicodedata.normalize("NFC", text)  # returns ``text`` itself when already NFC
        if nfc != text:
            changes.add("nfc", abs(len(text) - len(nfc)) or 1)
            text = nfc
        return _whitespace(text, changes)

    @staticmethod
    def _repair(text: str, changes: Changes) -> str:
        lines = text.split("\n")
        repaired = 0
        for i, line in enumerate(lines):
            if MOJIBAKE_RE.search(line):
                fixed = ftfy.fix_text(line, _FTFY)
                if fixed != line:
                    changes.add("mojibake", 1, f"{line[:40]} → {fixed[:40]}")
                    lines[i] = fixed
                    repaired += 1
        return "\n".join(lines) if repaired else text

    @staticmethod
    def _characters(text: str, changes: Changes) -> str:
        for rule, pattern, repl in _CHARACTER_RULES:
            new, n = pattern.subn(repl, text)
            if n:
                changes.add(rule, n, _code_points(pattern.findall(text)))
                text = new
        return text


def _code_points(found: list[str]) -> str:
    return " ".join(sorted({f"U+{ord(c):04X}" for s in found for c in s}))


_CHARACTER_RULES = (
    ("line_breaks", LINE_BREAK_RE, "\n"),
    ("control_chars", CONTROL_RE, ""),
    ("zero_width", ZERO_WIDTH_RE, ""),
    ("space_fold", SPACE_RE, " "),
)


def _whitespace(text: str, changes: Changes) -> str:
    """Indents, trailing spaces, space runs and blank lines; cheap `in` checks first."""
    n = 0
    # One search for a single space (a fast memchr-like scan) spares the four
    # two-character searches in the many texts without one.
    if " " in text:
        if "  " in text:
            text, k = SPACE_RUN_RE.subn(" ", text)
            n += k
        if text.startswith(" ") or text.endswith(" ") or "\n " in text or " \n" in text:
            text, k = EDGE_SPACE_RE.subn("", text)
            n += k
    if "\n\n" in text:
        text, k = BLANK_LINES_RE.subn("\n", text)
        n += k
    if text.startswith("\n") or text.endswith("\n"):
        text = text.strip("\n")
        n += 1
    if n:
        changes.add("whitespace", n, "indents, trailing spaces, space runs, blank lines")
    return text
