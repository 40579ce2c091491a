"""Append-only on-disk containers for what dedup decides: a mapping (id → picklable
value) and a list.

The texts of merged-away records (the "merge" lines of reports/dedup.jsonl),
the merged records themselves and the cluster and merge lines of the decision log
are written here as clusters are decided, so memory holds only one offset per
entry, whatever the number of clusters.
"""

from __future__ import annotations

import array
import os
import pickle
import tempfile
import weakref
from pathlib import Path
from typing import Iterable, Iterator

from ..spill import AppendFile, FileSet, SpillReader

_PROTOCOL = 5


class DiskStore:
    """``store[id] = value`` appends a pickle to an anonymous temporary file; a later write of the
    same id wins.  Iteration is in first-insertion order, like a dict."""

    def __init__(self, work_dir: Path | None = None):
        # a named file (worker processes read it by name: :meth:`reader`), removed by close() or
        # when the store is collected or the interpreter exits
        fd, self.path = tempfile.mkstemp(dir=work_dir, prefix="dedup-")
        self._data = AppendFile(os.fdopen(fd, "w+b"))
        self._remove = weakref.finalize(self, _remove_file, self.path)
        self._where: dict[str, tuple[int, int]] = {}

    def __setitem__(self, key: str, value) -> None:
        self.set_pickled(key, pickle.dumps(value, protocol=_PROTOCOL))

    def set_pickled(self, key: str, data: bytes) -> None:
        """Store a value pickled elsewhere (a worker process): the bytes are written as they are."""
        self._where[key] = self._data.append(data)

    def __getitem__(self, key: str):
        return pickle.loads(self._data.read(*self._where[key]))

    def get_pickled(self, key: str) -> bytes:
        """The stored bytes of ``key`` (for a process that unpickles them itself)."""
        return self._data.read(*self._where[key])

    def get(self, key: str, default=None):
        return self[key] if key in self._where else default

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def __len__(self) -> int:
        return len(self._where)

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def keys(self):
        return self._where.keys()

    def items(self) -> Iterator[tuple[str, object]]:
        for key in list(self._where):
            yield key, self[key]

    def values(self) -> Iterator[object]:
        for key in list(self._where):
            yield self[key]

    def reader(self, keys: Iterable[str]) -> SpillReader:
        """A picklable read-only view of these keys (those stored), for a worker process."""
        self._data.file.flush()
        return SpillReader.of_dict(FileSet([self.path]), {k: (0, *self._where[k]) for k in keys if k in self._where})

    def close(self) -> None:
        self._data.file.close()
        self._remove()


def _remove_file(path: str) -> None:
    Path(path).unlink(missing_ok=True)


class DiskList:
    """An append-only list of picklable values in an anonymous temporary file; memory holds
    one offset and length per item."""

    def __init__(self, work_dir: Path | None = None):
        self._data = AppendFile(tempfile.TemporaryFile(dir=work_dir, prefix="dedup-list-"))
        self._spans = array.array("Q")  # offset, length of each item

    def append(self, value) -> None:
        self.append_pickled(pickle.dumps(value, protocol=_PROTOCOL))

    def append_pickled(self, data: bytes) -> None:
        """Append a value pickled elsewhere (a worker process): the bytes are written as they are."""
        self._spans.extend(self._data.append(data))

    def __len__(self) -> int:
        return len(self._spans) // 2

    def __getitem__(self, k: int):
        if not -len(self) <= k < len(self):
            raise IndexError(k)
        k %= len(self)
        return pickle.loads(self._data.read(self._spans[2 * k], self._spans[2 * k + 1]))

    def __iter__(self) -> Iterator:
        for k in range(len(self)):
            yield self[k]

    def close(self) -> None:
        self._data.file.close()
