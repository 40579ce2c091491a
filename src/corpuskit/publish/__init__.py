"""Publish stage: write records as a Hugging Face dataset folder.

Data files go to ``data/`` (Parquet by default, JSONL on request), named as the
Hub expects (``train-00000-of-00002.parquet``); ``README.md`` — the dataset card, see :mod:`.card` — declares them and their
typed features so ``datasets.load_dataset(folder, split="train")`` works offline.
:mod:`.hub` pushes a finished folder to the Hugging Face Hub.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterable

import pyarrow.parquet as pq

from ..record import Record
from .card import CardInfo, render_card, write_readme
from .dates import iso_date
from .schema import SCHEMA, file_schema, records_table
from .stats import PublishStats

__all__ = ["DatasetWriter", "shard_rows", "shard_name", "CardInfo", "PublishStats", "SCHEMA", "publish_date", "render_card", "write_readme"]

ROWS_PER_SHARD = 50_000
ROWS_PER_GROUP = 1_000


def shard_rows() -> int:
    """Rows in each full shard :class:`DatasetWriter` writes (a shard ends after a whole row group)."""
    return -(-ROWS_PER_SHARD // ROWS_PER_GROUP) * ROWS_PER_GROUP


class DatasetWriter:
    """Streams records into shards; ``close`` gives the shards their final names."""

    def __init__(self, out_dir: Path, output_format: str = "parquet", rows_per_shard: int | None = None,
                 rows_per_group: int | None = None, shard_path: Path | None = None, schema=None):
        """``shard_path``: write every record into this one data file, named by the caller (a
        process that writes one shard of a dataset that others write the rest of).  ``schema``:
        :func:`.schema.file_schema`, if the caller has it (making it imports ``datasets``)."""
        if output_format not in ("parquet", "jsonl"):
            raise ValueError(f"unknown output format {output_format!r} (use parquet or jsonl)")
        self.out_dir = out_dir
        self.data_dir = out_dir / "data"
        self.shard_path = shard_path
        self.schema = schema if schema is not None else file_schema()
        rows_per_shard = rows_per_shard or ROWS_PER_SHARD
        rows_per_group = rows_per_group or ROWS_PER_GROUP
        if shard_path is not None:
            rows_per_shard = sys.maxsize
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.format = output_format
        self.rows_per_shard = rows_per_shard
        self.rows_per_group = rows_per_group
        self.shards: list[Path] = []
        self.rows_written = 0
        self.chars_written = 0
        self.stats = PublishStats()
        self._buffer: list[Record] = []  # the row group being gathered
        self._shard_rows = 0
        self._writer = None

    def _open_shard(self):
        path = self.shard_path or self.data_dir / f"shard-{len(self.shards):05d}.tmp"
        self.shards.append(path)
        self._shard_rows = 0
        if self.format == "parquet":
            return pq.ParquetWriter(path, self.schema, compression="zstd")
        return open(path, "w", encoding="utf-8")

    def _flush(self) -> None:
        if not self._buffer:
            return
        if self._writer is None:
            self._writer = self._open_shard()
        # Built for JSONL too: it checks every value against the schema, sizes the split and
        # gives the figures of the card.
        table = records_table(self._buffer, self.schema)
        self.stats.add_table(table)
        if self.format == "parquet":
            self._writer.write_table(table)
        else:
            dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
            self._writer.write("".join(dumps(row) + "\n" for row in table.to_pylist()))
        self._shard_rows += len(self._buffer)
        self._buffer = []
        if self._shard_rows >= self.rows_per_shard:
            self._writer.close()
            self._writer = None

    def write(self, record: Record) -> None:
        publish_date(record)
        self._buffer.append(record)
        self.rows_written += 1
        self.chars_written += len(record.text)
        if len(self._buffer) >= self.rows_per_group:
            self._flush()

    def write_all(self, records: Iterable[Record]) -> None:
        for record in records:
            self.write(record)

    def close(self) -> list[Path]:
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if not self.shards:  # an empty corpus still gets a typed (schema-only) data file
            self._writer = self._open_shard()
            self._writer.close()
            self._writer = None
        if self.shard_path is not None:
            return self.shards
        total = len(self.shards)
        final = []
        for index, path in enumerate(self.shards):
            target = self.data_dir / shard_name(index, total, self.format)
            path.rename(target)
            final.append(target)
        self.shards = final
        return final


def shard_name(index: int, total: int, output_format: str = "parquet") -> str:
    """The file name of shard ``index`` of ``total`` (as the Hub expects)."""
    return f"train-{index:05d}-of-{total:05d}.{'parquet' if output_format == 'parquet' else 'jsonl'}"


def publish_date(record: Record) -> None:
    """Make ``record.date`` ISO 8601: ``2022年11月30日 10:21`` → ``2022-11-30T10:21``.

    A value that is not a date is dropped (the action keeps it), so the published
    field only ever holds ISO dates.
    """
    if not record.date:
        return
    iso = iso_date(record.date)
    if iso != record.date:
        record.log("publish", "iso_date" if iso else "unreadable_date", f"{record.date} → {iso or 'null'}")
        record.date = iso
