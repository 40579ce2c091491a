"""Layout repair: paragraph markers, spacing, captions, wrapped lines, page split (issue 4)."""

from __future__ import annotations

from ..record import Record


def unify_markers(record: Record) -> None:
    """Full-width-space indents and Markdown headings → one paragraph per line."""


def repair_layout(record: Record) -> list[Record]:
    """Join column-wrapped lines, remove CJK spacing, take out captions; split multi-article pages."""
    return [record]
