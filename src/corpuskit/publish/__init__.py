"""Publish stage: write records as a Hugging Face dataset folder.

Data files go to ``data/`` (Parquet by default, JSONL on request), named as the
Hub expects (``train-00000-of-00002.parquet``); ``README.md`` declares them so
``datasets.load_dataset(folder, split="train")`` works offline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from ..record import Record
from .schema import SCHEMA, record_row

ROWS_PER_SHARD = 50_000
ROWS_PER_GROUP = 1_000


class DatasetWriter:
    """Streams records into shards; ``close`` gives the shards their final names."""

    def __init__(self, out_dir: Path, output_format: str = "parquet"):
        if output_format not in ("parquet", "jsonl"):
            raise ValueError(f"unknown output format {output_format!r} (use parquet or jsonl)")
        self.out_dir = out_dir
        self.data_dir = out_dir / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.format = output_format
        self.shards: list[Path] = []
        self.rows_written = 0
        self.chars_written = 0
        self._buffer: list[dict] = []
        self._shard_rows = 0
        self._writer = None

    def _open_shard(self):
        path = self.data_dir / f"shard-{len(self.shards):05d}.tmp"
        self.shards.append(path)
        self._shard_rows = 0
        if self.format == "parquet":
            return pq.ParquetWriter(path, SCHEMA, compression="zstd")
        return open(path, "w", encoding="utf-8")

    def _flush(self) -> None:
        if not self._buffer:
            return
        if self._writer is None:
            self._writer = self._open_shard()
        if self.format == "parquet":
            self._writer.write_table(pa.Table.from_pylist(self._buffer, schema=SCHEMA))
        else:
            for row in self._buffer:
                self._writer.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._shard_rows += len(self._buffer)
        self._buffer = []
        if self._shard_rows >= ROWS_PER_SHARD:
            self._writer.close()
            self._writer = None

    def write(self, record: Record) -> None:
        self._buffer.append(record_row(record))
        self.rows_written += 1
        self.chars_written += len(record.text)
        if len(self._buffer) >= ROWS_PER_GROUP:
            self._flush()

    def write_all(self, records: Iterable[Record]) -> None:
        for record in records:
            self.write(record)

    def close(self) -> list[Path]:
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if not self.shards:  # an empty corpus is still a loadable dataset
            self._writer = self._open_shard()
            if self.format == "parquet":
                self._writer.write_table(pa.Table.from_pylist([], schema=SCHEMA))
            self._writer.close()
            self._writer = None
        total = len(self.shards)
        suffix = "parquet" if self.format == "parquet" else "jsonl"
        final = []
        for index, path in enumerate(self.shards):
            target = self.data_dir / f"train-{index:05d}-of-{total:05d}.{suffix}"
            path.rename(target)
            final.append(target)
        self.shards = final
        return final


def write_readme(out_dir: Path, output_format: str, summary: dict) -> None:
    """The dataset card that makes the folder loadable (configs) — minimal until the card lands."""
    suffix = "parquet" if output_format == "parquet" else "jsonl"
    text = (
        "---\n"
        "configs:\n"
        "- config_name: default\n"
        "  data_files:\n"
        "  - split: train\n"
        f"    path: data/train-*.{suffix}\n"
        "language:\n- zh\n"
        "---\n\n"
        "# corpuskit dataset\n\n"
        f"Records: {summary.get('records_written', 0)}\n"
    )
    (out_dir / "README.md").write_text(text, encoding="utf-8")
