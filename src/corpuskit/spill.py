"""An append-only on-disk store of records, so that the per-document stages
stream: memory holds only offsets, not texts, whatever the corpus size.

Records are stored pickled (a private, short-lived file): pickle writes and
reads a record three to four times faster than JSON, and the spill is on the
build's serial path (every record is written once and read back at least once).
"""

from __future__ import annotations

import array
import pickle
from pathlib import Path
from typing import Iterator

from .record import Record

_PROTOCOL = pickle.HIGHEST_PROTOCOL


def spill_bytes(record: Record) -> bytes:
    """A record as the spill stores it."""
    return pickle.dumps(record, protocol=_PROTOCOL)


class AppendFile:
    """Bytes appended at the end of a file and read back by (offset, length).  It seeks only when
    a read has moved the position: a seek flushes the write buffer, so one per append is slow."""

    def __init__(self, file):
        self.file = file
        self.end = 0
        self._at_end = True

    def append(self, data: bytes) -> tuple[int, int]:
        """Write ``data``; returns its (offset, length)."""
        if not self._at_end:
            self.file.seek(self.end)
            self._at_end = True
        self.file.write(data)
        where = (self.end, len(data))
        self.end += len(data)
        return where

    def read(self, offset: int, length: int) -> bytes:
        self._at_end = False
        self.file.seek(offset)
        return self.file.read(length)


class RecordSpill:
    def __init__(self, path: Path):
        self.path = path
        self._data = AppendFile(open(path, "w+b"))
        self._file = self._data.file
        self._offsets: dict[str, tuple[int, int]] = {}
        self._lengths = array.array("Q")  # in append order

    def __len__(self) -> int:
        return len(self._lengths)

    def append(self, record: Record) -> None:
        self.append_bytes(record.id, spill_bytes(record))

    def append_bytes(self, record_id: str, data: bytes) -> None:
        """Append a record already serialised by :func:`spill_bytes` (in a worker process)."""
        self._offsets[record_id] = self._data.append(data)
        self._lengths.append(len(data))

    def get(self, record_id: str) -> Record:
        return pickle.loads(self._data.read(*self._offsets[record_id]))

    def ids(self) -> list[str]:
        """The record ids in the order they were appended."""
        return list(self._offsets)

    def reader(self, ids) -> SpillReader:
        """A picklable reader of these records, for worker processes (they open the file themselves)."""
        self._file.flush()
        return SpillReader(self.path, {rid: self._offsets[rid] for rid in ids})

    def __iter__(self) -> Iterator[Record]:
        """Records in the order they were appended."""
        self._file.flush()
        with open(self.path, "rb", buffering=1024 * 1024) as reader:
            for length in self._lengths:
                yield pickle.loads(reader.read(length))

    def close(self) -> None:
        self._file.close()


class SpillReader:
    """Reads some records of a spill by id; pickled without its file handle, so a worker process
    opens the spill itself (records are read where they are needed, not shipped)."""

    def __init__(self, path: Path, offsets: dict[str, tuple[int, int]]):
        self.path = path
        self.offsets = offsets
        self._file = None

    def __getstate__(self):
        return {"path": self.path, "offsets": self.offsets, "_file": None}

    def __call__(self, record_id: str) -> Record:
        if self._file is None:
            self._file = open(self.path, "rb")
        offset, length = self.offsets[record_id]
        self._file.seek(offset)
        return pickle.loads(self._file.read(length))


class ObjectSpill:
    """An append-only on-disk list of picklable objects (the ledger's file entries):
    a folder of a million files costs disk, not memory, until the ledger is written."""

    def __init__(self, path: Path):
        self.path = path
        self._file = open(path, "wb")
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def append(self, item) -> None:
        pickle.dump(item, self._file, protocol=_PROTOCOL)
        self._count += 1

    def __iter__(self) -> Iterator:
        self._file.flush()
        with open(self.path, "rb", buffering=1024 * 1024) as reader:
            for _ in range(self._count):
                yield pickle.load(reader)
