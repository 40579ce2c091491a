"""Shared fixtures: paths to the repo's raw/ and the shared real-data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "raw"
SHARED = Path(os.environ.get("CORPUSKIT_SHARED", REPO.parent / "shared"))
REALDATA = SHARED / "realdata"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"shared real data not found at {REALDATA}")
    return REALDATA


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """raw/ built once for the whole session (single process, like CI's cleaned/)."""
    from corpuskit.config import BuildConfig
    from corpuskit.pipeline import build

    out = tmp_path_factory.mktemp("seed_build") / "out"
    build(RAW, out, BuildConfig(workers=1))
    return out
