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

    def apply_rare_free(self, text: str, changes: Changes) -> str | None:
        """What :meth:`apply` gives for a text that holds no character of
        :data:`RARE_CLASS` (the caller has scanned it): NFC is a no-op on most
        text, and then only the whitespace rules can act, and no mojibake can
        appear.  None (nothing logged) when NFC would change the text: composing
        may create a character of that class, so the caller takes :meth:`apply`
        (a property test compares the two)."""
        if not unicodedata.is_normalized("NFC", text):
            return None
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
    changes.add("whitespace", n, "indents, trailing spaces, space runs, blank lines")
    return text
