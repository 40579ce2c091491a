"""Clean stage: strip page noise, repair layout, move headlines/bylines/captions to metadata.

:class:`Cleaner` is the stage: one record in, one or more records out (a
newspaper page holding several articles is split).
"""

from __future__ import annotations

from ..config import BuildConfig
from ..record import Record


class Cleaner:
    def __init__(self, config: BuildConfig | None = None):
        self.config = config or BuildConfig()

    def __call__(self, record: Record) -> list[Record]:
        return [record]
