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

from ..config import BuildConfig
from ..record import Record
from .changes import Changes
from .punctuation import PunctuationNormalizer
from .script import VALID_CONFIGS, ScriptConverter, ScriptDetector, validate_opencc_config
from .unicode import MOJIBAKE_RE, UnicodeNormalizer

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

    def normalize_text(self, text: str, changes: Changes | None = None) -> str:
        """One text through the three normalisers."""
        changes = changes if changes is not None else Changes()
        return self._script_and_punctuation(self.unicode.apply(text, changes), changes)

    def __call__(self, record: Record) -> Record:
        changes = Changes()
        text = self.unicode.apply(record.text, changes)
        if record.original_script is None:  # detected before conversion, once
            record.original_script = self.detector.detect(text) or (
                self.detector.detect(record.title) if record.title else None
            )
        record.text = self._script_and_punctuation(text, changes)
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

    def _script_and_punctuation(self, text: str, changes: Changes) -> str:
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
        value = self.unicode.apply(value, changes)
        if "\n" in value:  # a metadata string is one line
            changes.add("whitespace", value.count("\n"))
            value = value.replace("\n", " ")
        return self._script_and_punctuation(value, changes) or None
