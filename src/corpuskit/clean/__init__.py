"""Clean stage: strip page noise, repair layout, move headlines/bylines/captions to metadata.

:class:`Cleaner` is the stage: one record in, one or more records out (a
newspaper page holding several articles is split).  The steps run in this order
because each needs the previous one's output:

1. ``extract_html``   (html.py)     HTML → main text + page metadata
2. ``unify_markers``  (layout.py)   full-width indents, Markdown headings → one paragraph per line
3. ``strip_noise``    (noise.py)    portal/forum furniture, line by line, before lines are joined
4. ``extract_metadata`` (metadata.py) headline, subtitle, series tag, bylines → metadata
5. ``repair_layout``  (layout.py)   spacing, captions, column-wrapped lines; may split a page

Each step changes the record in place and logs what it did in ``record.actions``.
"""

from __future__ import annotations

from ..config import BuildConfig
from ..record import Record
from .html import extract_html
from .layout import repair_layout, unify_markers
from .metadata import extract_metadata
from .noise import strip_noise


class Cleaner:
    def __init__(self, config: BuildConfig | None = None):
        self.config = config or BuildConfig()

    def __call__(self, record: Record) -> list[Record]:
        if record.sources and record.sources[0].kind == "html":
            extract_html(record)
        unify_markers(record)
        strip_noise(record)
        extract_metadata(record)
        return repair_layout(record)
