"""Portal and forum noise removal (issue 3)."""

from __future__ import annotations

from ..record import Record


def strip_noise(record: Record) -> None:
    """Remove page furniture lines; log each removed span with its rule."""
