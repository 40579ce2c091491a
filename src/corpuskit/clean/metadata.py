"""Headlines, subtitles, series tags and bylines → record metadata (issue 3)."""

from __future__ import annotations

from ..record import Record


def extract_metadata(record: Record) -> None:
    """Move headline/subtitle/series tag/byline lines out of the body into metadata."""
