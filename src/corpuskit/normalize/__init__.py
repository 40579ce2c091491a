"""Normalise stage: Unicode hygiene, OpenCC script conversion, punctuation.

:class:`Normalizer` is the stage: one record in, the same record out.  Each
text (the body and every metadata string) goes through, in this order:

1. :class:`UnicodeNormalizer` (unicode.py): mojibake repair, control and
   zero-width characters, NFC, spaces, one paragraph per line;
2. :class:`ScriptConverter` (script.py): OpenCC, ``t2s`` by default — the
   original script is detected first and kept in ``record.original_script``;
3. :class:`PunctuationNormalizer` (punctuation.py): width and Chinese
   punctuation in CJK context.

Each step is idempotent and leaves the number of Han characters as it was
(OpenCC and mojibake repair aside).  Example (body text of a record)::

    '　　臺灣新一代ＡＩ晶片,售價1378.6元...'  →  '台湾新一代AI晶片，售价1378.6元……'
"""

from __future__ import annotations

import re

from ..config import BuildConfig
from ..record import Record
from .changes import Changes
from .punctuation import WIDTH_OR_CORNER_CLASS, PunctuationNormalizer
from .script import VALID_CONFIGS, ScriptConverter, ScriptDetector, validate_opencc_config
from .unicode import MOJIBAKE_RE, RARE_CLASS, UnicodeNormalizer, nfc_unstable_class

__all__ = [
    "Normalizer",
    "UnicodeNormalizer",
    "ScriptConverter",
    "ScriptDetector",
    "PunctuationNormalizer",
    "VALID_CONFIGS",
    "validate_opencc_config",
]

#: Passes over a text that still shows the mojibake signature after one pass.
_MAX_EXTRA_PASSES = 3

#: Single-line metadata fields normalised like the text (line breaks fold to spaces).
METADATA_FIELDS = ("title", "subtitle", "author", "publication", "section")


class Normalizer:
    """The normalise stage; build once per process (it holds the OpenCC converter).

    Raises :class:`corpuskit.errors.BuildError` for an unknown OpenCC configuration.
    """

    def __init__(self, config: BuildConfig | None = None):
        self.config = config or BuildConfig()
        self.unicode = UnicodeNormalizer()
        self.script = ScriptConverter(self.config.opencc_config)
        self.detector = ScriptDetector()
        self.punctuation = PunctuationNormalizer(corner_quotes=self.script.targets_simplified)
        self._special_re = _special_characters(self.script, self.detector)

    def normalize_text(self, text: str, changes: Changes | None = None) -> str:
        """One text through the three normalisers."""
        changes = changes if changes is not None else Changes()
        text, plain = self._unicode(text, changes)
        return self._script_and_punctuation(text, changes, plain)

    def __call__(self, record: Record) -> Record:
        changes = Changes()
        text, plain = self._unicode(record.text, changes)
        if record.original_script is None:  # detected before conversion, once
            detected = self.detector.detect_no_traditional(text) if plain else self.detector.detect(text)
            record.original_script = detected or (self.detector.detect(record.title) if record.title else None)
        record.text = self._script_and_punctuation(text, changes, plain)
        for name in METADATA_FIELDS:
            value = getattr(record, name)
            if value:
                setattr(record, name, self._metadata(value, changes))
        if record.captions:
            captions = [self._metadata(c, changes) for c in record.captions]
            record.captions = [c for c in captions if c]
        for rule, count, sample in changes.items():
            record.log("normalize", rule, sample, count)
        return record

    def _unicode(self, text: str, changes: Changes) -> tuple[str, bool]:
        """``unicode.apply(text)``, and whether the result is *plain*: free of
        every character that mojibake repair, the character rules, NFC,
        OpenCC, script detection or the width and corner-quote rules act on.

        One scan of the text for the union of those classes (plus substring
        tests for OpenCC's phrase anchors) replaces six scans that each find
        nothing in most texts (clean simplified Chinese): the rare-character
        and NFC checks, OpenCC's test, the traditional-character scan, the
        width and corner scan and the final mojibake check.  A plain text
        stays plain: the whitespace rules only remove characters, and the
        punctuation rules write only marks outside the union.  (Property
        tests compare the plain path with the full one.)
        """
        if self._special_re is None or self._special_re.search(text):
            return self.unicode.apply(text, changes), False
        out = self.unicode.apply_plain(text, changes)
        # A phrase OpenCC changes holds an anchor (a few substring tests).
        if self.script.holds_phrase_anchor(out) and self.script.may_change(out):
            return out, False
        return out, True

    def _script_and_punctuation(self, text: str, changes: Changes, plain: bool = False) -> str:
        if plain:  # OpenCC leaves it as it is; no width or corner marks; no mojibake can appear
            return self.punctuation.apply_marks(text, changes)
        out = self.punctuation.apply(self.script.apply(text, changes), changes)
        # A curly quote or dash written next to a Latin-1 letter (Ã‘) can look
        # like mojibake to the next run; settle on a fixed point so the stage
        # stays idempotent.  Clean Chinese text never shows the signature.
        for _ in range(_MAX_EXTRA_PASSES):
            if not MOJIBAKE_RE.search(out):
                break
            again = self.unicode.apply(out, changes)
            again = self.punctuation.apply(self.script.apply(again, changes), changes)
            if again == out:
                break
            out = again
        return out

    def _metadata(self, value: str, changes: Changes) -> str | None:
        value, plain = self._unicode(value, changes)
        if "\n" in value:  # a metadata string is one line
            changes.add("whitespace", value.count("\n"))
            value = value.replace("\n", " ")
        return self._script_and_punctuation(value, changes, plain) or None


def _special_characters(script: ScriptConverter, detector: ScriptDetector) -> re.Pattern | None:
    """One class of every character some normaliser acts on beyond whitespace
    and marks in context (see :meth:`Normalizer._unicode`); None when OpenCC's
    changes are unknown (every text goes the full way)."""
    change_class = script.change_class
    if change_class is None:
        return None
    return re.compile(f"[{RARE_CLASS}{nfc_unstable_class()}{WIDTH_OR_CORNER_CLASS}{change_class}{detector.traditional_class}]")
