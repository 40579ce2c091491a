"""An append-only on-disk store of records, so that the per-document stages
stream: memory holds only offsets, not texts, whatever the corpus size.

Records are stored pickled (a private, short-lived file): pickle writes and
reads a record three to four times faster than JSON, and the spill is on the
build's serial path (every record is written once and read back at least once).

In a parallel build each worker process appends the records it makes to a file of
its own (:class:`OwnFile`) and sends the main process only where they are: the
bytes never travel through a pipe, and the main process never writes them.  A
record is found by (file number, offset, length); :class:`FileSet` numbers the
files and reads spans of them in any process.
"""

from __future__ import annotations

import array
import os
import pickle
import tempfile
from pathlib import Path
from typing import Iterator

import numpy as np

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


class OwnFile:
    """A file that only this process appends to, made in ``directory`` on the first append
    (a worker process's share of a spill); offsets are kept here, so no seek or stat is needed."""

    def __init__(self, directory: Path | str, prefix: str):
        self.directory, self.prefix = directory, prefix
        self.path: str | None = None
        self._fd: int | None = None
        self._pid = os.getpid()
        self._end = 0

    def append(self, data: bytes) -> int:
        """Write ``data`` at the end; returns where it starts."""
        if self._fd is None or self._pid != os.getpid():  # (a forked child makes its own)
            self._fd, self.path = tempfile.mkstemp(dir=self.directory, prefix=self.prefix)
            self._pid, self._end = os.getpid(), 0
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view):]
        start, self._end = self._end, self._end + len(data)
        return start


class FileSet:
    """Files numbered in the order they are named; reads spans of them by number (pickled
    without its open files: a worker process opens them itself)."""

    def __init__(self, paths: list[str] | None = None):
        self.paths: list[str] = list(paths or [])
        self._numbers = {path: k for k, path in enumerate(self.paths)}
        self._fds: dict[int, int] = {}

    def __getstate__(self):
        return {"paths": self.paths, "_numbers": self._numbers, "_fds": {}}

    def number(self, path: str) -> int:
        """The number of ``path`` (added if new)."""
        number = self._numbers.get(path)
        if number is None:
            number = self._numbers[path] = len(self.paths)
            self.paths.append(path)
        return number

    def read(self, number: int, offset: int, length: int) -> bytes:
        fd = self._fds.get(number)
        if fd is None:
            fd = self._fds[number] = os.open(self.paths[number], os.O_RDONLY)
        return os.pread(fd, length, offset)

    def close(self, remove_from: int | None = None) -> None:
        """Close the open files; remove those numbered ``remove_from`` and up."""
        for fd in self._fds.values():
            os.close(fd)
        self._fds = {}
        if remove_from is not None:
            for path in self.paths[remove_from:]:
                Path(path).unlink(missing_ok=True)

    def __del__(self):
        for fd in getattr(self, "_fds", {}).values():
            try:
                os.close(fd)
            except OSError:
                pass


class RecordSpill:
    """Records by id: appended here (file 0) or written by worker processes to their own
    files (:meth:`add_written`); iterated in the order they were added."""

    def __init__(self, path: Path):
        self.path = path
        self._data = AppendFile(open(path, "w+b"))
        self._file = self._data.file
        self._files = FileSet([str(path)])
        # Where each record is, as columns in append order (a tuple of three ints per record
        # cost about 120 bytes, 25 MB at 200k documents); ids map to their row.
        self._rows: dict[str, int] = {}
        self._numbers = array.array("Q")  # file number
        self._starts = array.array("Q")  # offset in that file
        self._lengths = array.array("Q")

    def __len__(self) -> int:
        return len(self._lengths)

    def append(self, record: Record) -> None:
        self.append_bytes(record.id, spill_bytes(record))

    def append_bytes(self, record_id: str, data: bytes) -> None:
        """Append a record already serialised by :func:`spill_bytes` (in a worker process)."""
        offset, length = self._data.append(data)
        self._add(record_id, 0, offset, length)

    def _add(self, record_id: str, number: int, offset: int, length: int) -> None:
        self._rows[record_id] = len(self._lengths)  # a later record of the same id wins
        self._numbers.append(number)
        self._starts.append(offset)
        self._lengths.append(length)

    def add_written(self, path: str, ids: list[str], spans: list[tuple[int, int]]) -> None:
        """Records a worker wrote to its own file ``path`` (:func:`spill_bytes` each, at ``spans``:
        (offset, length)), in order."""
        number = self._files.number(path)
        for rid, (offset, length) in zip(ids, spans):
            self._add(rid, number, offset, length)

    def _where(self, record_id: str) -> tuple[int, int, int]:
        """(file number, offset, length) of a record."""
        row = self._rows[record_id]
        return self._numbers[row], self._starts[row], self._lengths[row]

    def get(self, record_id: str) -> Record:
        number, offset, length = self._where(record_id)
        if number == 0:
            return pickle.loads(self._data.read(offset, length))
        return pickle.loads(self._files.read(number, offset, length))

    def ids(self) -> list[str]:
        """The record ids in the order they were appended."""
        return list(self._rows)

    def reader(self, ids) -> SpillReader:
        """A picklable reader of these records, for worker processes (they open the files themselves)."""
        self._file.flush()
        rows = np.fromiter((self._rows[rid] for rid in ids), dtype=np.int64)
        columns = [np.frombuffer(c, dtype=np.uint64) for c in (self._numbers, self._starts, self._lengths)]
        return SpillReader(FileSet(self._files.paths), list(ids), np.stack([c[rows] for c in columns], axis=1))

    def __iter__(self) -> Iterator[Record]:
        """Records in the order they were appended."""
        self._file.flush()
        if len(self._files.paths) > 1:  # spread over files: read each where it is
            for rid in self._rows:
                yield self.get(rid)
            return
        with open(self.path, "rb", buffering=1024 * 1024) as reader:
            for length in self._lengths:
                yield pickle.loads(reader.read(length))

    def close(self) -> None:
        self._file.close()
        self._files.close(remove_from=1)


class SpillReader:
    """Reads some pickled values (records of a spill, entries of dedup's stores) by id:
    ``reader(id)`` or ``reader[id]``, and ``id in reader``.  Pickled without open files, so a
    worker process opens the files itself (values are read where they are needed, not shipped).

    Where the values are is held as columns (ids, and a row of file number, offset, length
    each): the readers of a whole build's shards are made at once and wait their turn, and a
    dict of tuples per reader cost about 160 bytes per record.  The process that reads makes
    the id → row dict when it first reads."""

    def __init__(self, files: FileSet, ids: list[str], where: np.ndarray):
        self.files = files
        self.ids = ids
        self.where = np.asarray(where, dtype=np.uint64).reshape(-1, 3)  # (file number, offset, length) of each id
        self._rows: dict[str, int] | None = None

    @classmethod
    def of_dict(cls, files: FileSet, offsets: dict[str, tuple[int, int, int]]) -> SpillReader:
        """A reader of id → (file number, offset, length)."""
        return cls(files, list(offsets), np.array(list(offsets.values()), dtype=np.uint64))

    def __getstate__(self):
        return {"files": self.files, "ids": self.ids, "where": self.where, "_rows": None}

    def _row(self, record_id: object) -> int | None:
        if self._rows is None:
            self._rows = {rid: k for k, rid in enumerate(self.ids)}  # a later duplicate wins, as in a dict
        return self._rows.get(record_id)

    def __call__(self, record_id: str):
        row = self._row(record_id)
        if row is None:
            raise KeyError(record_id)
        return pickle.loads(self.files.read(*self.where[row].tolist()))

    __getitem__ = __call__

    def __contains__(self, record_id: object) -> bool:
        return self._row(record_id) is not None


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
