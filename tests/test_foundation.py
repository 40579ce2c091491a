"""Issue 2: record type, ids, ledger, atomic output, determinism, committed cleaned/."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpuskit.config import BuildConfig
from corpuskit.errors import BuildError
from corpuskit.pipeline import build
from corpuskit.record import Record, Source, make_record_id

from .conftest import REPO, RAW


def read_ledger(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "ledger.jsonl").read_text(encoding="utf-8").splitlines()]


def data_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "data").iterdir())}


def test_record_id_is_stable_and_distinguishes_inputs():
    a = make_record_id("a.txt", "00" * 32)
    assert a == make_record_id("a.txt", "00" * 32)
    assert a != make_record_id("b.txt", "00" * 32)
    assert a != make_record_id("a.txt", "00" * 32, line=3)
    assert len(a) == 16


def test_record_roundtrips_through_dict():
    rec = Record(id="x", text="正文", sources=[Source("a.txt", "ab", "portal")], captions=["图"])
    rec.log("clean", "breadcrumb", "网易首页 > 正文")
    assert Record.from_dict(rec.to_dict()) == rec


def test_ledger_accounts_for_every_seed(seed_build):
    ledger = read_ledger(seed_build)
    raw_files = sorted(p.name for p in RAW.iterdir())
    assert sorted(line["path"] for line in ledger) == raw_files
    for line in ledger:
        assert line["status"] in {"kept", "merged", "split", "rejected"}
        assert len(line["sha256"]) == 64


def test_ledger_accounts_for_bad_files(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "good.txt").write_text("江淮腹地，“中国声谷”。依托科大讯飞打造的合肥智能语音产业集群。\n", encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (raw / "sub" / "trunc.txt.gz").write_bytes(gzip.compress("数字产业集群".encode() * 100)[:40])
    (raw / "mixed.jsonl").write_text(
        '{"text": "第一篇文章的正文。"}\n{not json\n{"text": "第二篇文章的正文。"}\n', encoding="utf-8"
    )
    (raw / "big5.txt").write_bytes("數位產業集群加速成長，為經濟穩增長促轉型提供有力支撐。".encode("big5"))
    (raw / "gbk.txt").write_bytes("数字产业集群加速成长，为经济稳增长促转型提供有力支撑。".encode("gbk"))
    out = tmp_path / "out"
    problems = []
    build(raw, out, BuildConfig(workers=1), on_problem=problems.append)
    ledger = {line["path"]: line for line in read_ledger(out)}
    assert sorted(ledger) == sorted(p.relative_to(raw).as_posix() for p in raw.rglob("*") if p.is_file())
    assert ledger["empty.txt"]["reason"] == "empty"
    assert ledger["image.png"]["reason"] == "binary"
    assert ledger["sub/trunc.txt.gz"]["reason"] == "bad_gzip"
    assert ledger["good.txt"]["status"] == "kept"
    assert ledger["mixed.jsonl"]["status"] == "split"
    assert ledger["mixed.jsonl"]["rejected_lines"][0]["line"] == 2
    assert len(ledger["mixed.jsonl"]["records"]) == 2
    texts = {r["id"]: r["text"] for r in pq.read_table(out / "data").to_pylist()}
    assert "集群加速" in texts[ledger["gbk.txt"]["record"]]
    assert "集群加速" in texts[ledger["big5.txt"]["record"]] or "集群加速" in texts[ledger["big5.txt"]["record"]]
    assert {p.path for p in problems} >= {"empty.txt", "image.png", "sub/trunc.txt.gz", "mixed.jsonl"}


def test_strict_makes_rejections_an_error(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text("正文。", encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    with pytest.raises(BuildError, match="strict"):
        build(raw, tmp_path / "out", BuildConfig(workers=1, strict=True))
    assert not (tmp_path / "out").exists()


def test_two_runs_give_identical_data_files(tmp_path, seed_build):
    out = tmp_path / "again"
    build(RAW, out, BuildConfig(workers=1))
    assert data_files(out) == data_files(seed_build)
    assert (out / "ledger.jsonl").read_bytes() == (seed_build / "ledger.jsonl").read_bytes()


def test_failed_build_leaves_previous_output(tmp_path, seed_build, monkeypatch):
    out = tmp_path / "out"
    build(RAW, out, BuildConfig(workers=1))
    before = data_files(out)

    import corpuskit.pipeline as pipeline

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "write_ledger", explode)
    with pytest.raises(RuntimeError):
        build(RAW, out, BuildConfig(workers=1))
    assert data_files(out) == before
    assert not list(tmp_path.glob(".out.*"))


def test_cli_missing_input_is_one_clear_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "corpuskit", "build", str(tmp_path / "nope"), "--out", str(tmp_path / "o")],
        capture_output=True, text=True,
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not exist" in lines[0]


def test_cli_unwritable_output_is_one_clear_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "corpuskit", "build", str(RAW), "--out", str(tmp_path / "no" / "such" / "o")],
        capture_output=True, text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "cannot write" in proc.stderr


def test_committed_cleaned_is_up_to_date(seed_build):
    """cleaned/ must be what `corpuskit build raw --out cleaned` makes now."""
    committed = REPO / "cleaned"
    assert data_files(committed) == data_files(seed_build), "cleaned/ is stale: run `make run` and commit"
    assert (committed / "ledger.jsonl").read_bytes() == (seed_build / "ledger.jsonl").read_bytes()
    assert (committed / "README.md").read_bytes() == (seed_build / "README.md").read_bytes()
    assert (REPO / "dataset_card.md").read_bytes() == (committed / "README.md").read_bytes()


def test_parallel_output_equals_serial(tmp_path, seed_build):
    out = tmp_path / "par"
    build(RAW, out, BuildConfig(workers=2))
    assert data_files(out) == data_files(seed_build)
