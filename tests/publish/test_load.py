"""The dataset folder loads with `datasets.load_dataset`, offline, with typed features."""

from __future__ import annotations

import json
import os
import shutil

import datasets
import pyarrow.parquet as pq
import pytest
from datasets import Features

from corpuskit.publish.schema import SCHEMA, features

from ..conftest import REPO
from .helpers import card_parts, load, summary


def parquet_rows(out):
    return pq.read_table(out / "data").to_pylist()


def assert_typed(ds):
    assert ds.features == features()
    sources = ds.features["sources"]
    assert isinstance(sources, datasets.List) and isinstance(sources.feature, dict), "sources must be a list of structs"
    assert sources.feature["line"] == datasets.Value("int64")
    assert isinstance(ds.features["actions"], datasets.List) and isinstance(ds.features["actions"].feature, dict)
    assert ds.features["captions"] == datasets.List(datasets.Value("string"))


def test_offline_mode_is_on():
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_seed_build_loads_typed_and_round_trips(seed_build, tmp_path):
    ds = load(seed_build, tmp_path / "cache")
    assert_typed(ds)
    assert ds.num_rows == summary(seed_build)["records_written"] > 0
    assert ds.to_list() == parquet_rows(seed_build)
    first = ds[0]
    assert isinstance(first["sources"], list) and isinstance(first["sources"][0], dict)
    assert len(first["sources"][0]["sha256"]) == 64
    assert first["num_chars"] == len(first["text"])


def test_parquet_files_carry_the_features(seed_build):
    """Readers that never see the card (pandas, polars, datasets on the files alone) still get the types."""
    for path in (seed_build / "data").glob("*.parquet"):
        schema = pq.read_schema(path)
        assert schema.remove_metadata() == SCHEMA
        embedded = json.loads(schema.metadata[b"huggingface"])["info"]["features"]
        assert Features.from_dict(embedded) == features()


def test_card_dataset_info_matches_data_files(rich_build, tmp_path):
    header, _ = card_parts(rich_build)
    info = header["dataset_info"]
    declared = Features._from_yaml_list(info["features"])
    for path in (rich_build / "data").glob("*.parquet"):
        assert declared == Features.from_arrow_schema(pq.read_schema(path))
    (split,) = info["splits"]
    rows = parquet_rows(rich_build)
    assert split["name"] == "train" and split["num_examples"] == len(rows)
    assert split["num_bytes"] == info["dataset_size"] > 0
    assert info["download_size"] == sum(p.stat().st_size for p in (rich_build / "data").iterdir())
    assert header["configs"] == [
        {"config_name": "default", "data_files": [{"split": "train", "path": "data/train-*.parquet"}]}
    ]
    builder = datasets.load_dataset_builder(str(rich_build), cache_dir=str(tmp_path / "cache"))
    assert builder.info.features == features()
    assert builder.info.splits["train"].num_examples == len(rows)


def test_values_round_trip_with_metadata(rich_build, tmp_path):
    ds = load(rich_build, tmp_path / "cache")
    assert_typed(ds)
    rows = ds.to_list()
    assert rows == parquet_rows(rich_build)
    by_title = {r["title"]: r for r in rows if r["title"]}
    titled = by_title["南山人工智能产业观察"]
    assert titled["date"] == "2022-11-30T10:21"
    assert titled["author"] == "张明"
    assert titled["sources"][0]["url"] == "https://news.example.cn/a/1.html"
    assert titled["sources"][0]["line"] == 1
    merged = [r for r in rows if len(r["sources"]) == 2]
    assert len(merged) == 1
    assert sorted(s["path"] for s in merged[0]["sources"]) == ["reprint_a.txt", "reprint_b.txt"]


def test_jsonl_export_loads_with_the_same_features_and_rows(rich_build, rich_build_jsonl, tmp_path):
    files = sorted(p.name for p in (rich_build_jsonl / "data").iterdir())
    assert files == ["train-00000-of-00001.jsonl"]
    header, _ = card_parts(rich_build_jsonl)
    assert header["configs"][0]["data_files"][0]["path"] == "data/train-*.jsonl"
    declared = Features._from_yaml_list(header["dataset_info"]["features"])
    assert declared == features("jsonl")
    ds = load(rich_build_jsonl, tmp_path / "cache")
    # every field but the date keeps the Parquet type, all-null columns (urls, overlaps) included
    assert ds.features == declared
    assert {n: f for n, f in ds.features.items() if n != "date"} == {
        n: f for n, f in features().items() if n != "date"
    }
    assert isinstance(ds.features["sources"], datasets.List) and isinstance(ds.features["sources"].feature, dict)
    # ISO dates come back exactly as written (pyarrow alone would turn them into timestamps)
    assert ds.to_list() == parquet_rows(rich_build)
    assert "2022-11-30T10:21" in [r["date"] for r in ds]
    first = json.loads((rich_build_jsonl / "data" / files[0]).read_text(encoding="utf-8").splitlines()[0])
    assert isinstance(first["sources"], list) and isinstance(first["sources"][0], dict)


def test_empty_corpus_gives_a_typed_empty_file_and_says_so(tmp_path):
    from corpuskit.config import BuildConfig
    from corpuskit.pipeline import build

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    build(raw, out, BuildConfig(workers=1))
    header, body = card_parts(out)
    assert header["dataset_info"]["splits"][0]["num_examples"] == 0
    (path,) = (out / "data").iterdir()
    table = pq.read_table(path)
    assert table.num_rows == 0 and table.schema.remove_metadata() == SCHEMA
    assert "no records" in body


def test_committed_cleaned_loads_from_a_fresh_copy(tmp_path):
    """What a user gets from a fresh clone: cleaned/ loads offline, typed, as its card says."""
    committed = REPO / "cleaned"
    if not committed.is_dir():
        pytest.fail("cleaned/ is missing: run `make run` and commit it")
    copy = tmp_path / "cleaned"
    shutil.copytree(committed, copy)
    ds = load(copy, tmp_path / "cache")
    assert_typed(ds)
    header, _ = card_parts(copy)
    assert "dataset_info" in header, "cleaned/README.md is stale: run `make run` and commit it"
    assert ds.num_rows == header["dataset_info"]["splits"][0]["num_examples"] == summary(copy)["records_written"]
