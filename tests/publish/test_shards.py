"""Many shards: named as the Hub expects, loaded in order, counted once."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from corpuskit.config import BuildConfig
from corpuskit.publish import DatasetWriter, write_readme
from corpuskit.publish.hub import files_to_publish
from corpuskit.publish.schema import file_schema, records_table
from corpuskit.publish.stats import PublishStats
from corpuskit.record import Record, Source

from .helpers import card_parts, load
from .test_schema import full_record


def records(n: int) -> list[Record]:
    out = []
    for i in range(n):
        rec = Record(id=f"{i:016x}", text=f"第{i}篇。" + "数字产业集群加速成长。" * (i % 7 + 1),
                     sources=[Source(f"f{i}.txt", f"{i:064x}", ("portal", "forum", "article")[i % 3])],
                     date=f"2022年{i % 12 + 1}月{i % 28 + 1}日" if i % 2 else None)
        if i % 4 == 0:
            rec.log("clean", "portal_breadcrumb", "首页 > 新闻")
        out.append(rec)
    return out


@pytest.mark.parametrize("output_format", ["parquet", "jsonl"])
def test_many_shards_load_in_order(output_format, tmp_path):
    out = tmp_path / "out"
    recs = records(23)
    writer = DatasetWriter(out, output_format, rows_per_shard=6, rows_per_group=3)
    writer.write_all(recs)
    shards = writer.close()
    suffix = "parquet" if output_format == "parquet" else "jsonl"
    assert [p.name for p in shards] == [f"train-{i:05d}-of-00004.{suffix}" for i in range(4)]
    write_readme(out, BuildConfig(output_format=output_format), {"files_read": 23}, writer.stats)
    header, body = card_parts(out)
    assert header["dataset_info"]["splits"][0]["num_examples"] == 23
    ds = load(out, tmp_path / "cache")
    assert ds["id"] == [r.id for r in recs]
    assert sum(1 for d in ds["date"] if d) == 11 and all(d is None or d.startswith("2022-") for d in ds["date"])
    assert writer.stats.records_by_kind == {"portal": 8, "forum": 8, "article": 7}
    assert table_cell(body, "portal") == "8"
    recount = PublishStats.from_folder(out, group_rows=3)
    assert (recount.records, recount.chars, recount.num_bytes, recount.rule_records) == (
        writer.stats.records, writer.stats.chars, writer.stats.num_bytes, writer.stats.rule_records)
    (out / "build_summary.json").write_text("{}", encoding="utf-8")
    (out / "ledger.jsonl").write_text("", encoding="utf-8")
    assert [f for f in files_to_publish(out) if f.startswith("data/")] == [f"data/{p.name}" for p in shards]


def test_parquet_row_groups_are_bounded(tmp_path):
    writer = DatasetWriter(tmp_path / "out", rows_per_shard=100, rows_per_group=4)
    writer.write_all(records(10))
    (shard,) = writer.close()
    meta = pq.ParquetFile(shard).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [4, 4, 2]


def table_cell(body: str, label: str) -> str:
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == label:
            return cells[2]
    raise AssertionError(label)


def test_figures_are_counted_per_record_source_and_action():
    recs = records(5)  # i % 4 == 0 logged once: records 0 and 4
    recs[1].log("clean", "portal_breadcrumb", "首页", 3)
    recs[1].log("clean", "portal_breadcrumb", "首页", 2)  # the same rule twice: one record, five changes
    full = full_record()  # two sources (portal, forum), an URL, an overlap, every field filled
    recs.append(full)
    stats = PublishStats()
    for group in (recs[:4], recs[4:]):  # two row groups
        stats.add_table(records_table(group, file_schema()))
    assert stats.records == 6 and stats.chars == sum(len(r.text) for r in recs)
    assert (stats.min_chars, stats.max_chars) == (min(len(r.text) for r in recs), max(len(r.text) for r in recs))
    assert sum(stats.length_histogram.values()) == 6 and set(stats.length_histogram) == {"0–199"}
    assert stats.records_by_kind == {"portal": 3, "forum": 2, "article": 1}
    assert stats.sources_by_kind == {"portal": 3, "forum": 3, "article": 1}
    assert (stats.with_url, stats.merged_records, stats.with_overlaps) == (1, 1, 1)
    assert stats.rule_records[("clean", "portal_breadcrumb")] == 4  # records 0, 1, 4 and the full one
    assert stats.rule_counts[("clean", "portal_breadcrumb")] == 1 + 5 + 1 + 2
    assert stats.coverage["title"] == 1 and stats.coverage["date"] == 3 and stats.coverage["num_chars"] == 6
    assert stats.coverage["captions"] == 1 and stats.coverage["sources"] == 6
    assert stats.scripts == {"unknown": 5, "traditional": 1}
    # as given (publish_date did not run), compared as Python compares strings
    assert (stats.first_date, stats.last_date) == ("2022-11-30", "2022年4月4日")
    assert stats.example["id"] == full.id  # the record with the most metadata
