"""An append-only on-disk store of records, so that the per-document stages
stream: memory holds only offsets, not texts, whatever the corpus size."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from .record import Record


class RecordSpill:
    def __init__(self, path: Path):
        self.path = path
        self._file = open(path, "w+b")
        self._offsets: dict[str, tuple[int, int]] = {}
        self._order: list[str] = []

    def __len__(self) -> int:
        return len(self._order)

    def append(self, record: Record) -> None:
        line = json.dumps(record.to_dict(), ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        self._file.seek(0, 2)
        offset = self._file.tell()
        self._file.write(line)
        self._offsets[record.id] = (offset, len(line))
        self._order.append(record.id)

    def get(self, record_id: str) -> Record:
        offset, length = self._offsets[record_id]
        self._file.seek(offset)
        return Record.from_dict(json.loads(self._file.read(length)))

    def __iter__(self) -> Iterator[Record]:
        """Records in the order they were appended."""
        self._file.flush()
        with open(self.path, "rb") as reader:
            for line in reader:
                yield Record.from_dict(json.loads(line))

    def close(self) -> None:
        self._file.close()
