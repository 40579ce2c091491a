"""HTML → main text and page metadata (issue 3)."""

from __future__ import annotations

from ..record import Record


def extract_html(record: Record) -> None:
    """Replace the record's HTML text with its main text; fill title/author/date/publication."""
    from bs4 import BeautifulSoup

    record.text = BeautifulSoup(record.text, "lxml").get_text("\n")
