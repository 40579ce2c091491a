"""Golden files: the full per-document pipeline (read → clean → normalise) on each raw seed.

``tests/golden/<seed file name>.txt`` holds every record the seed becomes: its
metadata, captions and text, as a reader reviews them.  After a reviewed change
of any stage, regenerate them with::

    CORPUSKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

and READ the diff (``git diff tests/golden``) before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpuskit.config import BuildConfig
from corpuskit.pipeline import DocumentStages
from corpuskit.read import read_file

from .conftest import RAW

GOLDEN = Path(__file__).resolve().parent / "golden"
SEEDS = sorted(p.name for p in RAW.iterdir() if p.is_file() and not p.name.startswith("."))
FIELDS = ("title", "subtitle", "author", "publication", "date", "section")


def render(path: Path) -> str:
    """Every record of one raw file as reviewable text."""
    stages = DocumentStages(BuildConfig(workers=1))
    _, _, docs = read_file(path, path.parent)
    records = [rec for doc in docs for rec in stages(doc)]
    out: list[str] = []
    for k, rec in enumerate(records, 1):
        src = rec.sources[0]
        out.append(f"=== record {k}/{len(records)}  id={rec.id}  kind={src.kind}  part={src.part}")
        for name in FIELDS:
            value = getattr(rec, name)
            if value:
                out.append(f"{name}: {value}")
        for cap in rec.captions:
            out.append(f"caption: {cap}")
        out.append("--- text")
        out.append(rec.text)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("seed", SEEDS)
def test_golden(seed):
    got = render(RAW / seed)
    golden = GOLDEN / f"{seed}"
    if os.environ.get("CORPUSKIT_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}: run with CORPUSKIT_UPDATE_GOLDEN=1 and review it"
    assert got == golden.read_text(encoding="utf-8"), f"{seed}: output differs from {golden} (review, then regenerate)"
