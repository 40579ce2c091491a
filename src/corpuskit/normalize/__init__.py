"""Normalise stage: OpenCC script conversion, punctuation and Unicode hygiene.

:class:`Normalizer` is the stage: one record in, the same record out.
"""

from __future__ import annotations

from ..config import BuildConfig
from ..record import Record


class Normalizer:
    def __init__(self, config: BuildConfig | None = None):
        self.config = config or BuildConfig()

    def __call__(self, record: Record) -> Record:
        return record
