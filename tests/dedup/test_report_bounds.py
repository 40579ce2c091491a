"""At scale the dedup report stays bounded: the largest clusters in full, the rest in capped
tables, and only the texts of the diffs shown are read back; the decisions stay complete."""

from __future__ import annotations

import json
import re

import pytest

from corpuskit.config import BuildConfig
from corpuskit.dedup import report
from corpuskit.dedup.store import DiskStore
from corpuskit.pipeline import build

from .test_order_independence import corpus, run


@pytest.fixture(scope="module")
def built(realdata, raw_dir, tmp_path_factory):
    records = corpus(realdata, raw_dir)
    raw = tmp_path_factory.mktemp("bounds") / "raw"
    for rec in records:
        path = raw / rec.sources[0].path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rec.text, encoding="utf-8")
    out = raw.parent / "out"
    build(raw, out, BuildConfig(workers=1))
    return out


def lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_merged_texts_are_kept_on_disk_and_written_to_the_log(realdata, raw_dir):
    records = corpus(realdata, raw_dir)
    result = run(records)
    assert isinstance(result.merged_texts, DiskStore) and isinstance(result.merged, DiskStore)
    assert all("text" not in m for m in result.merges)  # memory holds no merged text
    by_id = {r.id: r for r in records}
    merges = [d for d in result.decision_lines() if d["decision"] == "merge"]
    assert merges and all(d["text"] == by_id[d["record"]].text for d in merges)


def test_html_shows_the_largest_clusters_and_summarises_the_rest(built, monkeypatch):
    decisions = lines(built / "reports" / "dedup.jsonl")
    clusters = [d for d in decisions if d["decision"] == "cluster"]
    assert len(clusters) >= 4
    monkeypatch.setattr(report, "MAX_SECTIONS", 2)
    monkeypatch.setattr(report, "MAX_TABLE_ROWS", 1)
    page, _ = report.regenerate(built)
    html = page.read_text(encoding="utf-8")
    shown = re.findall(r'<section class="cluster" id="cluster-([0-9a-f]+)"', html)
    largest = sorted(clusters, key=lambda c: -len(c["members"]))[:2]
    assert len(shown) == 2
    assert sorted(len(c["members"]) for c in clusters if c["cluster"] in shown) == sorted(len(c["members"]) for c in largest)
    table = html.split('<table class="more-clusters">')[1].split("</table>")[0]
    assert table.count("<tr>") == 2  # header + one row (MAX_TABLE_ROWS)
    assert f"{len(clusters) - 3} more clusters are listed in dedup.jsonl only" in html


def test_report_reads_only_the_texts_it_shows(built, monkeypatch):
    decisions = lines(built / "reports" / "dedup.jsonl")
    texts = report.Texts(decisions, built / "data")
    monkeypatch.setattr(report, "MAX_DIFFS", 1)
    monkeypatch.setattr(report, "MAX_SECTIONS", 1)
    html = report.render_html(decisions, texts)
    mentioned = {d[k] for d in decisions if d["decision"] == "pair" for k in ("a", "b")}
    assert 0 < len(texts.rows) < len(mentioned)
    assert html.count('<table class="diff">') == 1
