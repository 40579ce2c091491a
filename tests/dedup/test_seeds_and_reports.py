"""Issue 6.2–6.5: the seeds through the whole pipeline, the reports, `corpuskit report`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpuskit.config import BuildConfig
from corpuskit.pipeline import build

from ..conftest import RAW


def ledger(out: Path) -> dict[str, dict]:
    lines = [json.loads(x) for x in (out / "ledger.jsonl").read_text(encoding="utf-8").splitlines()]
    return {line["path"][:3]: line for line in lines}


def records(out: Path) -> dict[str, dict]:
    return {r["id"]: r for r in pq.read_table(out / "data").to_pylist()}


def decisions(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_forum_repost_without_intro_joins_the_original(seed_build):
    led = ledger(seed_build)
    assert led["003"]["status"] == "kept"
    assert led["004"]["status"] == "merged" and led["004"]["record"] == led["003"]["record"]
    merged = records(seed_build)[led["003"]["record"]]
    assert sorted(s["path"][:3] for s in merged["sources"]) == ["003", "004"]
    assert merged["sources"][0]["path"].startswith("003")  # the publisher's text is canonical
    assert merged["dedup_cluster"] == merged["id"]
    lines = decisions(seed_build / "reports" / "dedup.jsonl")
    merge = [d for d in lines if d["decision"] == "merge"]
    assert [(d["record"], d["into"], d["detail"]) for d in merge] == [
        (led["004"]["produced"], merged["id"], f"merged into {merged['id']}")
    ]
    cluster = next(d for d in lines if d["decision"] == "cluster")
    titles = [m["title"] for m in cluster["members"] if m["title"]]
    if titles:  # metadata only a non-canonical member had is kept
        assert merged["title"] in titles


def test_article_sharing_three_paragraphs_stays_apart_with_overlap_on_both(seed_build):
    led = ledger(seed_build)
    recs = records(seed_build)
    a001, a003 = recs[led["001"]["record"]], recs[led["003"]["record"]]
    assert led["001"]["status"] == "kept" and a001["dedup_cluster"] is None
    over_001 = {o["record_id"]: o for o in a001["overlaps"]}
    over_003 = {o["record_id"]: o for o in a003["overlaps"]}
    assert a003["id"] in over_001 and a001["id"] in over_003
    for o in (over_001[a003["id"]], over_003[a001["id"]]):
        assert 0.1 <= o["containment"] < 0.5 and o["jaccard"] < 0.2
    # Other seeds are different articles: no merge with them.
    assert len({led[k].get("record") for k in ("000", "001", "002", "003")}) == 4


def test_reports_are_self_contained_and_list_clusters(seed_build):
    page = (seed_build / "reports" / "dedup.html").read_text(encoding="utf-8")
    led = ledger(seed_build)
    assert f'id="cluster-{led["003"]["record"]}"' in page
    assert "<del>" in page and 'id="histogram"' in page  # the forum repost lacks the intro
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "@font-face" not in page
    assert "source authority" in page  # the rule that decided


def test_report_command_regenerates_identical_reports(seed_build, tmp_path):
    out = tmp_path / "published"
    shutil.copytree(seed_build, out)
    before = {p.name: p.read_bytes() for p in (out / "reports").iterdir()}
    (out / "reports" / "dedup.html").unlink()
    proc = subprocess.run([sys.executable, "-m", "corpuskit", "report", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert {p.name: p.read_bytes() for p in (out / "reports").iterdir()} == before


def test_report_threshold_shows_what_another_threshold_would_do(seed_build, tmp_path):
    out = tmp_path / "published"
    shutil.copytree(seed_build, out)
    led = ledger(out)
    proc = subprocess.run([sys.executable, "-m", "corpuskit", "report", str(out), "--threshold", "0.15"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "threshold 0.15" in proc.stdout
    lines = decisions(out / "reports" / "dedup-threshold-0.15.jsonl")
    clusters = [{m["id"] for m in d["members"]} for d in lines if d["decision"] == "cluster"]
    # At 0.15 the article that reuses three paragraphs would be swallowed: the report shows it.
    assert any({led["001"]["record"], led["003"]["record"]} <= c for c in clusters)
    assert (out / "reports" / "dedup-threshold-0.15.html").is_file()
    bad = subprocess.run([sys.executable, "-m", "corpuskit", "report", str(tmp_path / "nope")], capture_output=True, text=True)
    assert bad.returncode == 1 and "dedup.jsonl" in bad.stderr and bad.stderr.count("\n") == 1
    bad = subprocess.run([sys.executable, "-m", "corpuskit", "report", str(out), "--threshold", "1.5"],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "--threshold" in bad.stderr


def test_exact_duplicates_and_near_misses(tmp_path, realdata):
    gold = sorted((realdata / "cwce" / "cleaned").glob("*.txt"), key=lambda p: p.name)
    texts = [p.read_text(encoding="utf-8") for p in gold]
    long_texts = [t for t in texts if 1500 < len(t) < 5000][:3]
    base, other, third = long_texts
    # A rewrite, not a reprint: the first part of the article, then other text; the cut is
    # chosen so that the pair scores just under the threshold (a near miss).
    from corpuskit.dedup import verify_pair

    for cut in range(30, 95, 5):
        rewritten = base[: len(base) * cut // 100] + "\n" + other[: len(base) * (100 - cut) // 100]
        if 0.65 <= verify_pair(base, rewritten).score() < 0.75:
            break
    else:
        pytest.fail("no cut gives a near miss")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(base, encoding="utf-8")
    (raw / "a_copy.txt").write_text(base, encoding="utf-8")
    (raw / "rewrite.txt").write_text(rewritten, encoding="utf-8")
    (raw / "third.txt").write_text(third, encoding="utf-8")
    out = tmp_path / "out"
    build(raw, out, BuildConfig(workers=1))
    lines = decisions(out / "reports" / "dedup.jsonl")
    pairs = {(d["a"], d["b"]): d for d in lines if d["decision"] == "pair"}
    led = {x["path"]: x for x in map(json.loads, (out / "ledger.jsonl").read_text(encoding="utf-8").splitlines())}
    assert {led["a.txt"]["status"], led["a_copy.txt"]["status"]} == {"kept", "merged"}
    assert any(p["exact"] and p["outcome"] == "merge" for p in pairs.values())
    assert led["rewrite.txt"]["status"] == "kept"
    rid = led["rewrite.txt"]["record"]
    verdicts = [p for (a, b), p in pairs.items() if rid in (a, b)]
    assert verdicts and all(p["outcome"] != "merge" for p in verdicts)
    page = (out / "reports" / "dedup.html").read_text(encoding="utf-8")
    near = [p for p in verdicts if p["outcome"] == "near_miss"]
    assert near, verdicts
    for p in near:
        assert f'id="near-{p["a"]}-{p["b"]}"' in page
