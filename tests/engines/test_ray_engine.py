"""The Ray engine writes what the local engine writes (seeds and a generated corpus).

Starts a local Ray instance (2 CPUs, no dashboard).  Skipped when Ray is not
installed (``pip install -e '.[ray]'``); marked ``ray`` so it can be selected
(``pytest -m ray``) or left out (``-m 'not ray'``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]' to run the Ray engine tests")
pytest.importorskip("ray.data", reason="Ray Data is not installed: pip install -e '.[ray]'")

from corpuskit.config import BuildConfig  # noqa: E402
from corpuskit.engines import ray_engine  # noqa: E402
from corpuskit.pipeline import build  # noqa: E402

from ..test_parallel import REPO, load_generator, output_bytes  # noqa: E402

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def rows(out: Path) -> list[dict]:
    import pyarrow.parquet as pq

    return [row for path in sorted(out.glob("data/*.parquet")) for row in pq.read_table(path).to_pylist()]


def same_output(raw: Path, tmp_path: Path) -> tuple[dict, dict]:
    local = tmp_path / "local"
    distributed = tmp_path / "ray"
    build(raw, local, BuildConfig(workers=1))
    summary = ray_engine.build(raw, distributed, BuildConfig(workers=2))
    assert rows(distributed) == rows(local)
    for name, data in output_bytes(local).items():
        assert output_bytes(distributed)[name] == data, name
    assert json.loads((distributed / "build_summary.json").read_text()) == json.loads(
        (local / "build_summary.json").read_text())
    return summary.to_dict(), rows(local)


def test_ray_engine_equals_local_on_the_seeds(local_ray, raw_dir, tmp_path):
    summary, published = same_output(raw_dir, tmp_path)
    assert summary["files_read"] == 5 and published


def test_ray_engine_equals_local_on_a_generated_corpus(local_ray, tmp_path):
    gen = tmp_path / "gen"
    load_generator().generate(gen, 300, seed=5, dup_share=0.25, html_share=0.1, layout="jsonl", sources=[REPO / "raw"])
    summary, published = same_output(gen / "corpus", tmp_path)
    assert summary["documents_merged"] > 20  # the reprints were found by the cluster's grouping too
    assert len(published) == summary["records_written"]
