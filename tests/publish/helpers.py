"""Shared helpers for the publish tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml


def card_parts(out: Path) -> tuple[dict, str]:
    """The card's YAML header (as a dict) and its Markdown body."""
    text = (out / "README.md").read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    assert m, "README.md must start with a YAML header between --- lines"
    return yaml.safe_load(m[1]), m[2]


def summary(out: Path) -> dict:
    return json.loads((out / "build_summary.json").read_text(encoding="utf-8"))


def load(out: Path, cache: Path):
    import datasets

    return datasets.load_dataset(str(out), split="train", cache_dir=str(cache))
