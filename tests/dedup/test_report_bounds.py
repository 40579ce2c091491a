"""At scale the dedup report stays bounded: the largest clusters in full, the rest in capped
tables, and only the texts of the diffs shown are read back; the decisions stay complete."""

from __future__ import annotations

import json
import re

import pytest

from corpuskit.config import BuildConfig
from corpuskit.dedup import Deduplicator, report
from corpuskit.dedup.store import DiskStore
from corpuskit.pipeline import build

from .test_order_independence import corpus, run


def run_keeping_distinct(records):
    """Dedup that keeps the pairs it found distinct in ``pairs`` (normally only counted)."""
    by_id = {r.id: r for r in records}
    dedup = Deduplicator(BuildConfig())
    for rec in records:
        dedup.add(rec)
    return dedup.finish(by_id.__getitem__, keep_distinct=True)


def every_pair_listed(result) -> list[dict]:
    """The decision lines with every verified pair listed, distinct ones too (what a producer
    that does not count distinct pairs itself gives)."""
    assert result.distinct_pairs == 0  # made with keep_distinct
    lines = list(result.decision_lines())
    assert lines[1]["decision"] == report.DISTINCT_PAIRS
    rest = [d for d in lines[2:] if d["decision"] != "pair"]
    return [lines[0]] + [p.to_decision(result.decision_params) for p in result.pairs] + rest


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


def test_distinct_pairs_are_counted_not_listed(realdata, raw_dir):
    decisions = every_pair_listed(run_keeping_distinct(corpus(realdata, raw_dir)))
    distinct = [d for d in decisions if d["decision"] == "pair" and d["outcome"] == "distinct"]
    assert distinct  # the corpus has pairs that share almost nothing
    listed = list(report.listed_decisions(decisions))
    kinds = [d["decision"] for d in listed]
    assert not [d for d in listed if d["decision"] == "pair" and d["outcome"] == "distinct"]
    (line,) = [d for d in listed if d["decision"] == report.DISTINCT_PAIRS]
    assert line["count"] == len(distinct) and line["overlap_min"] == 0.1
    assert all(max(d["containment_a"], d["containment_b"]) < 0.1 and d["score"] < line["score_below"] <= 0.1
               for d in distinct)
    # right after the pairs, and every other line is kept in order
    assert kinds.index(report.DISTINCT_PAIRS) == len(kinds) - kinds[::-1].index("pair")
    assert [d for d in listed if d["decision"] != report.DISTINCT_PAIRS] == [d for d in decisions if d not in distinct]
    # listing the listed lines again changes nothing (counts carry over)
    assert list(report.listed_decisions(listed)) == listed


def test_report_accounts_for_every_verified_pair(built):
    decisions = lines(built / "reports" / "dedup.jsonl")
    (line,) = [d for d in decisions if d["decision"] == report.DISTINCT_PAIRS]
    pairs = [d for d in decisions if d["decision"] == "pair"]
    assert line["count"] > 0 and all(p["outcome"] != "distinct" for p in pairs)
    html = (built / "reports" / "dedup.html").read_text(encoding="utf-8")
    assert f'<p id="summary">{len(pairs) + line["count"]} candidate pairs verified;' in html
    assert f"{line['count']} distinct pairs" in html


def test_threshold_below_overlap_min_is_refused(built, tmp_path):
    import shutil

    from corpuskit.errors import BuildError

    out = tmp_path / "copy"
    shutil.copytree(built, out)
    with pytest.raises(BuildError, match=r"--threshold 0\.05 is below overlap_min \(0\.10\)"):
        report.regenerate(out, 0.05)
    assert not list((out / "reports").glob("dedup-threshold-*"))
    report.regenerate(out, 0.5)
    before = next(d for d in lines(out / "reports" / "dedup.jsonl") if d["decision"] == report.DISTINCT_PAIRS)
    after = lines(out / "reports" / "dedup-threshold-0.50.jsonl")
    (line,) = [d for d in after if d["decision"] == report.DISTINCT_PAIRS]
    assert line["count"] >= before["count"]  # the unlisted pairs stay counted
    assert not [d for d in after if d["decision"] == "pair" and d["outcome"] == "distinct"]


def test_distinct_pairs_counted_upstream_are_added(realdata, raw_dir):
    records = corpus(realdata, raw_dir)
    result = run(records)
    decisions = every_pair_listed(run_keeping_distinct(records))
    distinct = [d for d in decisions if d["decision"] == "pair" and d["outcome"] == "distinct"]
    # as a producer may give them: the distinct pairs left out, one count line instead
    upstream = [d for d in decisions if d not in distinct]
    upstream.insert(1, {"decision": report.DISTINCT_PAIRS, "count": len(distinct)})
    assert list(report.listed_decisions(upstream)) == list(report.listed_decisions(decisions))
    # DedupResult gives them that way itself
    assert list(report.listed_decisions(result.decisions)) == list(report.listed_decisions(decisions))


def test_published_texts_from_the_build_make_the_same_report(built, tmp_path):
    import pyarrow.parquet as pq

    from corpuskit.record import Record, Source

    rows = [row for path in sorted((built / "data").glob("*.parquet")) for row in pq.read_table(path).to_pylist()]
    records = {r["id"]: Record(r["id"], r["text"], [Source(**s) for s in r["sources"]], title=r["title"]) for r in rows}
    asked = []

    def published(rid):
        asked.append(rid)
        return records.get(rid)

    decisions = lines(built / "reports" / "dedup.jsonl")
    expected = report.render_html(decisions, report.Texts(decisions, built / "data"))
    empty = tmp_path / "no-data"  # the data files are not read
    empty.mkdir()
    assert report.render_html(decisions, report.Texts(decisions, empty, published=published)) == expected
    assert 0 < len(set(asked)) < len(records)  # only the shown texts


@pytest.mark.parametrize("sections, rows", [(2, 1), (300, 2000)])
def test_report_streamed_from_the_log_equals_the_report_of_lines_in_memory(built, tmp_path, monkeypatch,
                                                                            sections, rows):
    monkeypatch.setattr(report, "MAX_SECTIONS", sections)
    monkeypatch.setattr(report, "MAX_TABLE_ROWS", rows)
    decisions = lines(built / "reports" / "dedup.jsonl")
    report.write_reports(tmp_path / "reports", iter(decisions), built / "data")  # lines read back by offset
    streamed = (tmp_path / "reports" / "dedup.html").read_text(encoding="utf-8")
    assert streamed == report.render_html(decisions, report.Texts(decisions, built / "data"))
    assert (tmp_path / "reports" / "dedup.jsonl").read_bytes() == (built / "reports" / "dedup.jsonl").read_bytes()
    assert streamed.count('<section class="cluster"') == min(sections, sum(d["decision"] == "cluster" for d in decisions))


def _pair_line(a: str, b: str, score: float) -> dict:
    return {"decision": "pair", "a": a, "b": b, "score": score, "outcome": "overlap"}


@pytest.mark.parametrize("logged", [False, True])
def test_the_view_finds_cited_pairs_by_key_hash_and_reads_back_only_true_matches(tmp_path, logged):
    """The view keeps each listed pair as (hash of its ids, where its line is); a pair whose
    hash equals a cited pair's but whose ids differ (a collision, forced here) is not taken."""
    pairs = [_pair_line(f"r{k:03d}", f"r{k + 1:03d}", k / 100) for k in range(50)]
    view = report._Decisions(tmp_path / "log.jsonl" if logged else None)
    if logged:
        report.write_jsonl(view.log, pairs, view.add)
    else:
        for d in pairs:
            view.add(d)
    view._pair_keys[7] = view._pair_keys[3]  # line 7 now collides with line 3
    cited = {("r003", "r004"), ("r010", "r011"), ("r900", "r901")}  # the last is not listed
    found = view._cited_pairs(cited)
    assert list(found) == [("r003", "r004"), ("r010", "r011")]
    assert found[("r003", "r004")]["score"] == 0.03 and found[("r010", "r011")]["score"] == 0.10
    assert view._cited_pairs(set()) == {}


def test_the_view_reads_back_members_and_merges_by_key_hash_and_keeps_only_true_matches(tmp_path, monkeypatch):
    """Members' paths and canonicals, and merge lines, are found by the hash of the record id
    and read back from the log, for the records the page names only; a line whose hash matches
    but whose ids do not (a collision, forced here) gives nothing."""
    monkeypatch.setattr(report, "MAX_SECTIONS", 1)  # one cluster shown in full: c0
    settings = {"decision": "settings", "threshold": 0.8, "near_miss_margin": 0.2}

    def member(rid):
        return {"id": rid, "sources": [{"path": f"{rid}.txt"}], "title": None}

    clusters = [{"decision": "cluster", "cluster": f"c{k}", "canonical": f"a{k}", "merge_rule": "jaccard",
                 "canonical_rule": "longest", "members": [member(f"a{k}"), member(f"b{k}")]} for k in range(5)]
    merges = [{"decision": "merge", "record": f"b{k}", "into": f"a{k}", "text": f"正文{k}"} for k in range(5)]
    overlap = {"decision": "pair", "a": "b1", "b": "x9", "score": 0.2, "outcome": "overlap", "jaccard": 0.1,
               "containment_a": 0.2, "containment_b": 0.1}
    view = report._Decisions(tmp_path / "log.jsonl")
    report.write_jsonl(view.log, [settings, overlap, *clusters, *merges], view.add)
    view._member_keys[6] = view._member_keys[3]  # a3 (cluster 3) now collides with b1 (cluster 1)
    view._merge_keys[3] = view._merge_keys[1]  # b3's merge line collides with b1's
    view.finish()
    assert [c["cluster"] for c in view.shown_clusters] == ["c0"]
    assert view.published == {"b1": "a1"}  # (x9 is in no cluster)
    # named: c0's members and the overlap table's records, not a3, whose line was read too
    assert view.member_paths == {"a0": "a0.txt", "b0": "b0.txt", "b1": "b1.txt"}
    found = view.merge_lines({"b1", "a1", "zz"})
    assert list(found) == ["b1"] and found["b1"]["text"] == "正文1"
