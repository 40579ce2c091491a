"""An append-only on-disk mapping (id → picklable value) for what dedup decides.

The texts of merged-away records (the "merge" lines of reports/dedup.jsonl)
and the merged records themselves are written here as clusters are decided, so
memory holds only one offset per entry, not the texts of every merged record.
"""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path
from typing import Iterator

from ..spill import AppendFile

_PROTOCOL = 5


class DiskStore:
    """``store[id] = value`` appends a pickle to an anonymous temporary file; a later write of the
    same id wins.  Iteration is in first-insertion order, like a dict."""

    def __init__(self, work_dir: Path | None = None):
        self._data = AppendFile(tempfile.TemporaryFile(dir=work_dir, prefix="dedup-"))
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

    def close(self) -> None:
        self._data.file.close()
