"""The ledger: one line per input file, what became of it once dedup decided."""

from __future__ import annotations

import json

from corpuskit.errors import InputError
from corpuskit.ledger import FileEntry, resolve, write_ledger


def test_split_file_lists_each_final_record_once_in_first_seen_order():
    entry = FileEntry("feed.jsonl", "ab" * 32, record_ids=["r3", "r1", "r2", "r4"])
    line = resolve(entry, {"r1": "r3", "r2": "r9", "r9": "r9"})  # r1 merged into r3 (earlier), r2 into r9
    assert line["status"] == "split"
    assert line["records"] == ["r3", "r9", "r4"]
    assert line["parts"] == [
        {"id": "r3", "status": "kept"},
        {"id": "r1", "status": "merged", "into": "r3"},
        {"id": "r2", "status": "merged", "into": "r9"},
        {"id": "r4", "status": "kept"},
    ]


def test_write_ledger_counts_statuses_and_writes_one_line_per_file(tmp_path):
    entries = [
        FileEntry("a.txt", "a" * 64, record_ids=["x"]),
        FileEntry("b.txt", "b" * 64, record_ids=["y"]),
        FileEntry("c.html", None, error=InputError("c.html", "empty", "the file is empty")),
        FileEntry("d.jsonl", "d" * 64, record_ids=["p", "q"],
                  line_errors=[InputError("d.jsonl", "bad_json", "line 3 is not JSON", line=3)]),
    ]
    path = tmp_path / "ledger.jsonl"
    counts = write_ledger(path, entries, {"y": "x", "x": "x"})
    assert counts == {"kept": 1, "merged": 1, "rejected": 1, "split": 1}
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert [x["path"] for x in lines] == ["a.txt", "b.txt", "c.html", "d.jsonl"]
    assert lines[1] == {"path": "b.txt", "sha256": "b" * 64, "status": "merged", "record": "x", "produced": "y"}
    assert lines[3]["rejected_lines"] == [{"line": 3, "reason": "bad_json", "detail": "line 3 is not JSON"}]
