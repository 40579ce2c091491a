"""Parallel and streaming build: the output never depends on workers or chunking."""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from corpuskit.config import BuildConfig
from corpuskit.pipeline import build
from corpuskit.read import chunks
from corpuskit.read.chunks import plan_tasks, read_chunk

REPO = Path(__file__).resolve().parent.parent


def load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """~200 documents: JSONL shards with text and HTML, 20% reprints."""
    out = tmp_path_factory.mktemp("generated")
    load_generator().generate(out, 240, seed=7, dup_share=0.2, html_share=0.2, layout="jsonl", sources=[REPO / "raw"])
    return out / "corpus"


@pytest.fixture(scope="module")
def generated_files(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated_files")
    load_generator().generate(out, 120, seed=11, dup_share=0.25, html_share=0.3, layout="files", sources=[REPO / "raw"])
    return out / "corpus"


def output_bytes(out: Path) -> dict[str, bytes]:
    """Every data file, the ledger and the dedup report, by relative path."""
    files = sorted(out.glob("data/*")) + [out / "ledger.jsonl", out / "reports" / "dedup.jsonl"]
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in files if p.exists()}


def build_bytes(raw: Path, out: Path, **config) -> dict[str, bytes]:
    build(raw, out, BuildConfig(output_format="jsonl", **config))
    return output_bytes(out)


def test_generator_is_seeded(tmp_path):
    gen = load_generator()
    a = gen.generate(tmp_path / "a", 50, 3, 0.2, 0.2, "jsonl", [REPO / "raw"])
    b = gen.generate(tmp_path / "b", 50, 3, 0.2, 0.2, "jsonl", [REPO / "raw"])
    c = gen.generate(tmp_path / "c", 50, 4, 0.2, 0.2, "jsonl", [REPO / "raw"])
    read = lambda d: (d / "corpus" / "part-00000.jsonl").read_bytes()  # noqa: E731
    assert read(tmp_path / "a") == read(tmp_path / "b") != read(tmp_path / "c")
    assert a["docs"] == 50 and a["reprints"] > 0 and a["stories"] + a["reprints"] == 50
    truth = [json.loads(line) for line in open(tmp_path / "a" / "truth.jsonl")]
    assert sum(t["reprint"] for t in truth) == a["reprints"]


def test_workers_do_not_change_the_output(generated, tmp_path):
    one = build_bytes(generated, tmp_path / "one", workers=1)
    two = build_bytes(generated, tmp_path / "two", workers=2)
    assert one.keys() == two.keys()
    for name in one:
        assert one[name] == two[name], name
    rows = [json.loads(line) for name, data in one.items() if name.startswith("data/") for line in data.splitlines()]
    assert 150 < len(rows) < 240  # reprints were merged


@pytest.mark.parametrize("output_format", ["parquet", "jsonl"])
def test_shards_written_in_parallel_equal_one_writer(generated, tmp_path, monkeypatch, output_format):
    """Workers write the shards (each its own records, read from the spill): the same files,
    row groups and card figures as one writer."""
    import corpuskit.publish as publish

    monkeypatch.setattr(publish, "ROWS_PER_SHARD", 40)
    monkeypatch.setattr(publish, "ROWS_PER_GROUP", 7)  # shards of 42 rows: not a multiple of the group
    outs = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        build(generated, out, BuildConfig(workers=workers, output_format=output_format))
        outs[workers] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert outs[1].keys() == outs[2].keys()
    assert len([name for name in outs[1] if name.startswith("data/")]) >= 4
    for name in outs[1]:
        assert outs[1][name] == outs[2][name], name


def test_workers_do_not_change_the_output_of_many_small_files(generated_files, tmp_path):
    one = build_bytes(generated_files, tmp_path / "one", workers=1)
    three = build_bytes(generated_files, tmp_path / "three", workers=3)
    assert one == three
    assert len(one["ledger.jsonl"].splitlines()) == 120


@pytest.mark.parametrize("gz", [False, True])
def test_chunked_jsonl_gives_the_same_output(generated, tmp_path, monkeypatch, gz):
    """A JSONL file cut into many chunks (here: a few KB each) builds exactly as read whole."""
    lines = b"".join(p.read_bytes() for p in sorted(generated.glob("*.jsonl"))).splitlines(keepends=True)[:160]
    lines.insert(5, b"{not json\n")  # bad lines, in different chunks
    lines.insert(150, b'{"text": ""}\n')
    raw = tmp_path / "raw"
    raw.mkdir()
    data = b"".join(lines)
    if gz:
        (raw / "all.jsonl.gz").write_bytes(gzip.compress(data, mtime=0))
    else:
        (raw / "all.jsonl").write_bytes(data)
    whole = build_bytes(raw, tmp_path / "whole", workers=1)
    monkeypatch.setattr(chunks, "CHUNK_BYTES", 16 * 1024)
    planned = list(plan_tasks(sorted(raw.iterdir()), raw))
    assert len(planned) > 8 and planned[-1].chunk.last
    assert build_bytes(raw, tmp_path / "chunked1", workers=1) == whole
    assert build_bytes(raw, tmp_path / "chunked2", workers=2) == whole
    ledger = [json.loads(line) for line in whole["ledger.jsonl"].splitlines()]
    assert len(ledger) == 1 and ledger[0]["status"] == "split"
    assert [r["line"] for r in ledger[0]["rejected_lines"]] == [6, 151]


def test_plain_chunks_cover_the_file_at_line_ends(tmp_path):
    path = tmp_path / "x.jsonl"
    lines = [json.dumps({"text": "文" * (i % 50 + 1)}, ensure_ascii=False).encode() + b"\n" for i in range(3000)]
    path.write_bytes(b"".join(lines))
    tasks = list(plan_tasks([path], tmp_path, chunk_bytes=4096))
    assert len(tasks) > 20
    assert tasks[0].chunk.start == 0 and tasks[-1].chunk.end == path.stat().st_size
    assert [t.chunk.index for t in tasks] == list(range(len(tasks)))
    assert [t.chunk.last for t in tasks] == [False] * (len(tasks) - 1) + [True]
    line_numbers = []
    for a, b in zip(tasks, tasks[1:]):
        assert a.chunk.end == b.chunk.start
    for task in tasks:
        _, _, docs = read_chunk(path, tmp_path, task.chunk)
        line_numbers += [d.line for d in docs]
    assert line_numbers == list(range(1, 3001))


def test_truncated_gzip_keeps_the_lines_before_the_break(tmp_path, monkeypatch):
    data = b"".join(json.dumps({"text": f"第{i}条新闻的正文内容。" * 20}, ensure_ascii=False).encode() + b"\n" for i in range(400))
    raw = tmp_path / "raw"
    raw.mkdir()
    packed = gzip.compress(data, mtime=0)
    (raw / "cut.jsonl.gz").write_bytes(packed[: len(packed) * 2 // 3])
    monkeypatch.setattr(chunks, "CHUNK_BYTES", 8 * 1024)
    build(raw, tmp_path / "out", BuildConfig(workers=1, output_format="jsonl"))
    ledger = [json.loads(line) for line in open(tmp_path / "out" / "ledger.jsonl")]
    assert len(ledger) == 1 and ledger[0]["status"] == "split"
    assert 50 < len(ledger[0]["records"]) < 400
    assert any(r["reason"] == "bad_gzip" for r in ledger[0]["rejected_lines"])


def test_profile_says_where_the_time_went(raw_dir, tmp_path):
    from corpuskit.cli import main

    profile = tmp_path / "profile.json"
    assert main(["build", str(raw_dir), "--out", str(tmp_path / "out"), "-q", "--workers", "2",
                 "--profile", str(profile)]) == 0
    data = json.loads(profile.read_text())
    assert [p["phase"] for p in data["phases"]] == ["read+clean+normalize", "dedup", "publish", "ledger+reports", "commit"]
    assert all(p["start"] <= p["end"] for p in data["phases"])
    # worker seconds came back to the main process
    assert {"read", "clean", "normalize", "spill", "dedup.add"} <= set(data["stage_seconds"])
    assert data["stage_seconds"]["clean"] > 0


def test_address_is_for_the_ray_engine(raw_dir, tmp_path, capsys):
    from corpuskit.cli import main

    assert main(["build", str(raw_dir), "--out", str(tmp_path / "out"), "--address", "ray://head:10001"]) == 1
    assert "--engine ray" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_batch_of_files_is_packed_once_as_file_by_file(generated_files):
    """pack_records puts a batch's records on its first result, in order, with the sketches
    each file alone would get: the main process adds the same things in the same order."""
    from corpuskit.pipeline import DocumentStages, pack_records, process_task
    from corpuskit.read import discover

    root = generated_files
    stages = DocumentStages(BuildConfig(workers=1))
    tasks = list(plan_tasks(discover(root), root))[:12]
    one_by_one = [pack_records([process_task(t, root, stages)], stages.dedup_params)[0].packed for t in tasks]
    batch = pack_records([process_task(t, root, stages) for t in tasks], stages.dedup_params)
    assert all(r.packed is None and not r.records for r in batch[1:])
    packed = batch[0].packed
    alone = [p for p in one_by_one if p is not None]
    assert len(alone) > 5
    assert packed.ids == [i for p in alone for i in p.ids]
    assert packed.kinds == [k for p in alone for k in p.kinds]
    assert packed.blobs == [b for p in alone for b in p.blobs]
    sk = packed.sketches
    assert sk.text_hashes == [h for p in alone for h in p.sketches.text_hashes]
    assert sk.digests == [h for p in alone for h in p.sketches.digests]
    assert np.array_equal(sk.sketches.bands, np.concatenate([p.sketches.sketches.bands for p in alone]))
    assert np.array_equal(sk.sketches.anchors, np.concatenate([p.sketches.sketches.anchors for p in alone]))
    assert np.array_equal(sk.sketches.shingles, np.concatenate([p.sketches.sketches.shingles for p in alone]))
