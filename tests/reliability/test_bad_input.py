"""Issue 9.1: whatever arrives, the build finishes and says what it could not use and why."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from .corpus import GOOD_TEXT, make_bad_corpus
from .helpers import can_make_unreadable, read_ledger, run_cli

#: Peak memory allowed for the whole build (main process or any worker): the
#: corpus holds a 200 MB line and a gzip bomb inflating to 40 MB, so reading
#: either whole would blow well past it.
MAX_PEAK_RSS_MIB = 450


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_input")
    expect = make_bad_corpus(root / "raw")
    proc = run_cli("build", str(root / "raw"), "--out", str(root / "out"), "--workers", "2", "--timeout", "30", measure=True)
    return root, expect, proc


def ledger_by_path(out: Path) -> dict[str, dict]:
    lines = read_ledger(out)
    paths = [line["path"] for line in lines]
    assert len(paths) == len(set(paths)), "a file appears twice in the ledger"
    return {line["path"]: line for line in lines}


def texts(out: Path) -> dict[str, str]:
    return {row["id"]: row["text"] for row in pq.read_table(out / "data", columns=["id", "text"]).to_pylist()}


def test_build_completes(bad_build):
    root, _, proc = bad_build
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (root / "out" / "ledger.jsonl").is_file()


def test_every_file_is_in_the_ledger_with_its_status_and_reason(bad_build):
    root, expect, proc = bad_build
    ledger = ledger_by_path(root / "out")
    assert sorted(ledger) == sorted(expect)
    for path, (status, reason) in expect.items():
        line = ledger[path]
        if path == "unreadable.txt" and not can_make_unreadable():
            continue
        assert line.get("reason") != "internal_error", f"{path}: a stage crashed: {line.get('detail')}"
        if status == "any":
            assert line["status"] in {"kept", "split", "rejected"}
            continue
        if status == "kept or merged":
            assert line["status"] in {"kept", "merged"}
            continue
        assert line["status"] == status, (path, line)
        if reason:
            assert line["reason"] == reason, (path, line)
            assert line["detail"], f"{path}: a rejection must say why"


def test_no_stage_crashed_on_any_document(bad_build):
    root, _, _ = bad_build
    for line in read_ledger(root / "out"):
        crashes = [line] if line.get("reason") == "internal_error" else []
        crashes += [bad for bad in line.get("rejected_lines", []) if bad["reason"] == "internal_error"]
        assert not crashes, f"{line['path']}: {crashes[0].get('detail')}"


def test_malformed_jsonl_lines_lose_only_themselves(bad_build):
    root, _, _ = bad_build
    line = ledger_by_path(root / "out")["articles.jsonl"]
    assert line["status"] == "split"
    rejected = {bad["line"]: bad["reason"] for bad in line["rejected_lines"]}
    assert rejected == {2: "malformed_json", 4: "malformed_json", 5: "empty", 8: "malformed_json", 9: "malformed_json"}
    published = texts(root / "out")
    kept = [published[rid] for rid in line["records"]]
    assert len(kept) == 3
    assert any("第一篇文章" in t for t in kept) and any("第三篇文章" in t for t in kept) and any("第七篇文章" in t for t in kept)


def test_encodings_in_one_folder_are_all_read(bad_build):
    root, expect, _ = bad_build
    ledger = ledger_by_path(root / "out")
    published = texts(root / "out")
    for path in (p for p in expect if p.startswith("encodings/")):
        assert ledger[path]["status"] in {"kept", "merged"}, ledger[path]
        text = published[ledger[path]["record"]]
        han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
        assert han > 50 and "\ufffd" not in text, (path, text[:80])


def test_invalid_utf8_in_the_middle_keeps_both_sides(bad_build):
    root, _, _ = bad_build
    line = ledger_by_path(root / "out")["invalid_utf8.txt"]
    assert line["status"] == "kept"
    text = texts(root / "out")[line["record"]]
    raw = (root / "raw" / "invalid_utf8.txt").read_bytes()
    cut = raw.index(b"\xe6\x95\xff")
    before = raw[:cut].decode("utf-8", "ignore").splitlines()[0][:20]
    after = raw[cut + 3 :].decode("utf-8", "ignore").splitlines()[-1][-20:]
    assert before in text and after in text
    row = next(r for r in pq.read_table(root / "out" / "data", columns=["id", "actions"]).to_pylist() if r["id"] == line["record"])
    assert any(a["stage"] == "read" and a["rule"] == "replace_invalid_bytes" for a in row["actions"]), "the repair is not logged"


def test_identical_files_under_two_names_are_merged(bad_build):
    root, _, _ = bad_build
    ledger = ledger_by_path(root / "out")
    original, copy = ledger["copies/original.txt"], ledger["copies/copy of original.txt"]
    assert {original["status"], copy["status"]} == {"kept", "merged"}
    assert copy["record"] == original["record"]
    assert original["sha256"] == copy["sha256"]


def test_non_ascii_names_with_spaces_are_kept_verbatim(bad_build):
    root, _, _ = bad_build
    line = ledger_by_path(root / "out")["名字 有 空格/新闻 稿 （一）.txt"]
    assert line["status"] == "kept"
    assert "皖北" in texts(root / "out")[line["record"]]


def test_cli_prints_one_clear_line_per_problem(bad_build):
    root, _, proc = bad_build
    lines = [line for line in proc.stderr.splitlines() if not line.startswith("peak_rss_kib=")]
    assert all(line.startswith("corpuskit: rejected ") for line in lines), [l for l in lines if not l.startswith("corpuskit: rejected ")][:3]
    ledger = read_ledger(root / "out")
    problems = Counter()
    for line in ledger:
        path = line["path"].replace("\n", "\\n")  # printed escaped, to stay on one line
        if line["status"] == "rejected":
            problems[path] += 1
        for bad in line.get("rejected_lines", []):
            problems[f"{path}:{bad['line']}"] += 1
    printed = Counter()
    for line in lines:
        match = re.match(r"corpuskit: rejected (.+?): ([a-z_]+) \((.+)\)$", line)
        assert match, f"not one clear line: {line!r}"
        printed[match.group(1)] += 1
    assert printed == problems


def test_memory_stays_bounded_on_huge_line_and_bomb(bad_build):
    _, _, proc = bad_build
    peak_kib = int(re.search(r"peak_rss_kib=(\d+)", proc.stderr).group(1))
    assert peak_kib / 1024 < MAX_PEAK_RSS_MIB, f"peak memory {peak_kib / 1024:.0f} MiB"


def test_huge_single_line_is_rejected_without_reading_it(bad_build):
    root, _, _ = bad_build
    line = ledger_by_path(root / "out")["huge_single_line.txt"]
    assert line["reason"] == "too_large" and "209715200 bytes" in line["detail"]


@pytest.mark.parametrize("name", ["huge_line.jsonl", "bomb.jsonl.gz"])
def test_an_oversized_jsonl_line_loses_only_itself(bad_build, name):
    root, _, _ = bad_build
    line = ledger_by_path(root / "out")[name]
    assert line["status"] == "split" and len(line["records"]) == 2
    assert [(bad["line"], bad["reason"]) for bad in line["rejected_lines"]] == [(2, "too_large")]
