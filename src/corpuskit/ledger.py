"""The ledger: one line per raw input file saying what became of it.

Statuses: ``kept`` (as record X), ``merged`` (into record X), ``split`` (into
records X, Y …: a page holding several articles, or a JSONL file holding
several documents), ``rejected`` (with the reason).  Every input file appears
exactly once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

#: One encoder for every line (``json.dumps`` with options builds a new one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass
class FileEntry:
    path: str
    sha256: str | None = None
    record_ids: list[str] = field(default_factory=list)  # as produced, before dedup
    error: InputError | None = None  # the whole file was rejected
    line_errors: list[InputError] = field(default_factory=list)  # JSONL lines rejected


def resolve(entry: FileEntry, canonical: dict[str, str]) -> dict:
    """The ledger line for one file once dedup has decided."""
    line: dict = {"path": entry.path, "sha256": entry.sha256}
    if entry.error is not None:
        line.update(status="rejected", reason=entry.error.reason, detail=entry.error.detail)
        return line
    finals = [canonical.get(rid, rid) for rid in entry.record_ids]
    if not entry.record_ids:
        line.update(status="rejected", reason="no_documents", detail="no line of the file held a usable document")
    elif len(entry.record_ids) == 1:
        rid, final = entry.record_ids[0], finals[0]
        if final == rid:
            line.update(status="kept", record=rid)
        else:
            line.update(status="merged", record=final, produced=rid)
    else:
        line.update(status="split", records=list(dict.fromkeys(finals)))  # distinct, in first-seen order
        parts = []
        for rid, final in zip(entry.record_ids, finals):
            parts.append({"id": rid, "status": "kept"} if rid == final else {"id": rid, "status": "merged", "into": final})
        line["parts"] = parts
    if entry.line_errors:
        line["rejected_lines"] = [{"line": e.line, "reason": e.reason, "detail": e.detail} for e in entry.line_errors]
    return line


def write_ledger(path: Path, entries: list[FileEntry], canonical: dict[str, str]) -> dict[str, int]:
    """Write the ledger; returns the count of each status."""
    counts: dict[str, int] = {}
    encode = _ENCODER.encode
    with open(path, "w", encoding="utf-8") as out:
        for entry in entries:
            line = resolve(entry, canonical)
            counts[line["status"]] = counts.get(line["status"], 0) + 1
            out.write(encode(line) + "\n")
    return counts
