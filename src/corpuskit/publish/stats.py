"""Figures of the published records, gathered while they are written (one pass, bounded memory).

The dataset card is generated from these and from the build summary, so every
number in it is this build's.  :meth:`PublishStats.from_folder` recomputes them
from the data files of a finished dataset folder.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import SCHEMA, file_schema

#: Fields whose coverage (records with a non-empty value) the card reports: all of them.
COVERAGE_FIELDS = tuple(SCHEMA.names)
#: Fields that make a record a good example for the card when they are filled.
EXAMPLE_FIELDS = ("title", "subtitle", "author", "publication", "date", "section", "captions", "actions")

#: Upper bounds (exclusive) of the text-length histogram, in characters.
LENGTH_BUCKETS = (200, 1_000, 5_000, 20_000)


def length_bucket(n: int) -> str:
    low = 0
    for high in LENGTH_BUCKETS:
        if n < high:
            return f"{low:,}–{high - 1:,}"
        low = high
    return f"≥{low:,}"


@dataclass
class PublishStats:
    records: int = 0
    chars: int = 0
    min_chars: int | None = None
    max_chars: int = 0
    num_bytes: int = 0  # in-memory Arrow size, as `datasets` reports a split's num_bytes
    length_histogram: Counter = field(default_factory=Counter)
    records_by_kind: Counter = field(default_factory=Counter)  # kind of a record's first source
    sources_by_kind: Counter = field(default_factory=Counter)
    scripts: Counter = field(default_factory=Counter)
    coverage: Counter = field(default_factory=Counter)  # field → records where it is non-empty
    with_url: int = 0
    merged_records: int = 0  # records made of more than one source
    with_overlaps: int = 0
    rule_records: Counter = field(default_factory=Counter)  # (stage, rule) → records it changed
    rule_counts: Counter = field(default_factory=Counter)  # (stage, rule) → total changes
    first_date: str | None = None
    last_date: str | None = None
    example: dict | None = None  # the first record with the most metadata, as a row
    _example_score: int = -1

    def add(self, row: dict) -> None:
        n = row["num_chars"]
        self.records += 1
        self.chars += n
        self.min_chars = n if self.min_chars is None else min(self.min_chars, n)
        self.max_chars = max(self.max_chars, n)
        self.length_histogram[length_bucket(n)] += 1
        sources = row["sources"] or []
        if sources:
            self.records_by_kind[sources[0]["kind"]] += 1
        for src in sources:
            self.sources_by_kind[src["kind"]] += 1
        if any(src.get("url") for src in sources):
            self.with_url += 1
        if len(sources) > 1:
            self.merged_records += 1
        if row["overlaps"]:
            self.with_overlaps += 1
        self.scripts[row["original_script"] or "unknown"] += 1
        for name in COVERAGE_FIELDS:
            if row[name] or row[name] == 0:
                self.coverage[name] += 1
        seen = set()
        for action in row["actions"] or []:
            key = (action["stage"], action["rule"])
            self.rule_counts[key] += action["count"]
            if key not in seen:
                seen.add(key)
                self.rule_records[key] += 1
        if row["date"]:
            self.first_date = min(self.first_date or row["date"], row["date"])
            self.last_date = max(self.last_date or row["date"], row["date"])
        score = sum(1 for name in EXAMPLE_FIELDS if row[name])
        if score > self._example_score:
            self.example, self._example_score = row, score

    def add_table(self, table: pa.Table) -> None:
        self.num_bytes += table.nbytes
        for row in table.to_pylist():
            self.add(row)

    @classmethod
    def from_folder(cls, out_dir: Path, group_rows: int = 1_000) -> PublishStats:
        """Recompute the figures from a dataset folder's data files (in the order they load)."""
        stats = cls()
        for path in sorted((Path(out_dir) / "data").glob("train-*")):
            if path.suffix == ".parquet":
                for batch in pq.ParquetFile(path).iter_batches(batch_size=group_rows):
                    # rebuilt from rows as the writer built it, so sizes are counted the same way
                    stats.add_table(pa.Table.from_pylist(batch.to_pylist(), schema=file_schema()))
            else:
                with open(path, encoding="utf-8") as lines:
                    buffer = []
                    for line in lines:
                        buffer.append(json.loads(line))
                        if len(buffer) == group_rows:
                            stats.add_table(pa.Table.from_pylist(buffer, schema=file_schema()))
                            buffer = []
                    if buffer:
                        stats.add_table(pa.Table.from_pylist(buffer, schema=file_schema()))
        return stats
