"""The record spill: records appended here and records worker processes wrote to their own files
read back alike, by id, through a picklable reader, and in the order they were added."""

from __future__ import annotations

import pickle
from itertools import accumulate

from corpuskit.record import Record
from corpuskit.spill import OwnFile, RecordSpill, spill_bytes


def test_records_from_several_files(tmp_path):
    records = [Record(id=f"r{k}", text=f"第{k}条正文。" * (k + 1)) for k in range(9)]
    spill = RecordSpill(tmp_path / "records.bin")
    workers = [OwnFile(tmp_path, "records-a-"), OwnFile(tmp_path, "records-b-")]
    for at in range(0, 9, 3):
        batch = records[at : at + 3]
        if at == 3:  # appended by the main process, between two workers' batches
            for rec in batch:
                spill.append(rec)
            continue
        sink = workers[at // 6]
        sink.append(b"junk")  # a file holds other batches too
        blobs = [spill_bytes(rec) for rec in batch]
        start = sink.append(b"".join(blobs))
        spans = [(off, len(b)) for off, b in zip(accumulate(map(len, blobs), initial=start), blobs)]
        spill.add_written(sink.path, [rec.id for rec in batch], spans)
    assert len(spill) == 9 and spill.ids() == [r.id for r in records]
    assert [r.to_dict() for r in spill] == [r.to_dict() for r in records]
    assert spill.get("r7").text == records[7].text
    reader = pickle.loads(pickle.dumps(spill.reader(["r1", "r4", "r8"])))  # as a worker gets it
    assert [reader(rid).text for rid in ("r8", "r1", "r4")] == [records[k].text for k in (8, 1, 4)]
    spill.close()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("records-")]  # the workers' files are removed
