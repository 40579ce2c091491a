"""The dataset card: Hub metadata, the template's sections, this build's figures, determinism."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from huggingface_hub import DatasetCard

from corpuskit.config import BuildConfig
from corpuskit.pipeline import build
from corpuskit.publish import write_readme
from corpuskit.publish.card import CardInfo, rewrite_readme, size_category
from corpuskit.publish.schema import SCHEMA
from corpuskit.publish.stats import PublishStats

from ..conftest import RAW
from .helpers import card_parts, summary

TEMPLATE_SECTIONS = [
    "# Dataset Card for ",
    "## Dataset Details",
    "### Dataset Description",
    "## Uses",
    "### Direct Use",
    "### Out-of-Scope Use",
    "## Dataset Structure",
    "## Dataset Creation",
    "### Curation Rationale",
    "### Source Data",
    "#### Data Collection and Processing",
    "#### Who are the source data producers?",
    "### Annotations",
    "### Personal and Sensitive Information",
    "## Bias, Risks, and Limitations",
    "### Recommendations",
    "## License",
    "## Citation",
    "## More Information",
    "## Dataset Card Authors",
]


def table_row(body: str, label: str) -> list[str]:
    """The cells of the Markdown table row whose first cell is ``label``."""
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == label:
            return cells
    raise AssertionError(f"no table row {label!r} in the card")


def test_hub_metadata_parses(seed_build):
    card = DatasetCard.load(seed_build / "README.md")
    data = card.data.to_dict()
    assert data["language"] == ["zh"]
    assert data["license"] and data["pretty_name"]
    assert data["task_categories"] == ["text-generation"]
    assert data["size_categories"] == [size_category(summary(seed_build)["records_written"])]
    assert data["configs"][0]["data_files"][0]["split"] == "train"
    assert [f["name"] for f in data["dataset_info"]["features"]] == SCHEMA.names


def test_body_follows_the_template_in_order(seed_build):
    _, body = card_parts(seed_build)
    positions = [body.find(heading) for heading in TEMPLATE_SECTIONS]
    assert -1 not in positions, [h for h, p in zip(TEMPLATE_SECTIONS, positions) if p == -1]
    assert positions == sorted(positions)
    assert "Chinese (`zh`)" in body
    assert "@misc{" in body  # citation


def test_figures_are_this_builds(rich_build):
    fig = summary(rich_build)
    header, body = card_parts(rich_build)
    assert table_row(body, "raw input files")[1] == f"{fig['files_read']:,}"
    assert table_row(body, "records published")[1] == f"{fig['records_written']:,}"
    assert table_row(body, "documents merged into another record")[1] == f"{fig['documents_merged']:,}" != "0"
    assert table_row(body, "characters before cleaning")[1] == f"{fig['chars_before']:,}"
    assert table_row(body, "characters after")[1] == f"{fig['chars_after']:,}"
    for reason, n in fig["rejected"].items():
        assert table_row(body, f"rejected: `{reason}`")[1] == f"{n:,}"
    assert set(fig["rejected"]) == {"empty", "malformed_json"}
    for kind, n in fig["source_kinds"].items():
        assert table_row(body, kind)[1] == f"{n:,}"
    assert header["dataset_info"]["splits"][0]["num_examples"] == fig["records_written"]


def test_fields_are_documented_with_a_real_example(rich_build):
    import pyarrow.parquet as pq

    _, body = card_parts(rich_build)
    for name in SCHEMA.names:
        assert table_row(body, f"`{name}`")[2], f"field {name} has no description"
    assert table_row(body, "`sources`")[1].startswith("`list<struct{path: string, sha256: string, kind: string")
    example = json.loads(re.search(r"```json\n(.*?)\n```", body, re.S)[1])
    assert list(example) == SCHEMA.names
    rows = {r["id"]: r for r in pq.read_table(rich_build / "data").to_pylist()}
    real = rows[example["id"]]
    # the example is the record with the most metadata, with its real values
    assert example["title"] == real["title"] == "南山人工智能产业观察"
    assert example["date"] == real["date"] == "2022-11-30T10:21"
    assert example["sources"][0]["sha256"] == real["sources"][0]["sha256"]
    # coverage figures are counted, not assumed
    titled = sum(1 for r in rows.values() if r["title"])
    assert table_row(body, "`title`")[3] == f"{titled} of {len(rows)} ({100 * titled / len(rows):.0f}%)"


def test_provenance_and_limitations_come_from_the_records(rich_build):
    import pyarrow.parquet as pq

    _, body = card_parts(rich_build)
    rows = pq.read_table(rich_build / "data").to_pylist()
    fired = {(a["stage"], a["rule"]) for r in rows for a in r["actions"]}
    assert ("publish", "iso_date") in fired and ("publish", "unreadable_date") in fired
    for stage, rule in fired:
        records = sum(1 for r in rows if any((a["stage"], a["rule"]) == (stage, rule) for a in r["actions"]))
        assert table_row(body, stage) and f"| {stage} | `{rule}` | {records} |" in body
    dated = [r["date"] for r in rows if r["date"]]
    assert f"{min(dated)} to {max(dated)}" in body
    assert "`date` known for" in body  # not every record has a date: said in the limitations


def test_card_is_deterministic_and_has_no_paths(seed_build, tmp_path):
    out = tmp_path / "a-different-name"
    build(RAW, out, BuildConfig(workers=2))  # other folder, other process layout: same card
    card = (out / "README.md").read_bytes()
    assert card == (seed_build / "README.md").read_bytes()
    text = card.decode("utf-8")
    assert str(tmp_path) not in text and str(RAW) not in text and "/tmp" not in text


@pytest.mark.parametrize("output_format", ["parquet", "jsonl"])
def test_card_rendered_again_from_the_folder_is_the_same(output_format, request, tmp_path):
    """What `corpuskit publish` relies on: the finished folder holds everything the card needs."""
    built = request.getfixturevalue("rich_build" if output_format == "parquet" else "rich_build_jsonl")
    target = tmp_path / "target"
    target.mkdir()
    rewrite_readme(built, CardInfo(), target_dir=target)
    assert (target / "README.md").read_bytes() == (built / "README.md").read_bytes()
    rewrite_readme(built, CardInfo(license="cc-by-4.0", repo_id="a/b"), target_dir=target)
    header, body = card_parts(target)
    assert header["license"] == "cc-by-4.0" and 'load_dataset("a/b"' in body


@pytest.mark.parametrize("output_format", ["parquet", "jsonl"])
def test_stats_recomputed_from_the_files_give_the_same_card(output_format, request, tmp_path):
    """The writer's running figures equal a recount of what it wrote (sizes included)."""
    built = request.getfixturevalue("rich_build" if output_format == "parquet" else "rich_build_jsonl")
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    stats = PublishStats.from_folder(copy)
    assert stats.records == summary(copy)["records_written"]
    write_readme(copy, BuildConfig(workers=1, output_format=output_format), summary(copy))
    assert (copy / "README.md").read_text(encoding="utf-8") == (built / "README.md").read_text(encoding="utf-8")


def test_card_states_the_configuration(rich_raw, tmp_path):
    out = tmp_path / "out"
    build(rich_raw, out, BuildConfig(workers=1, opencc_config="none", dedup_threshold=0.7))
    _, body = card_parts(out)
    assert "threshold 0.7" in body
    assert "OpenCC" not in body.split("## Dataset Creation")[0]


@pytest.mark.parametrize(
    ("n", "label"),
    [(0, "n<1K"), (999, "n<1K"), (1_000, "1K<n<10K"), (54_321, "10K<n<100K"), (2_000_000, "1M<n<10M"),
     (5_000_000_000, "n>1B")],
)
def test_size_category(n, label):
    assert size_category(n) == label
