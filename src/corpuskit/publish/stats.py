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

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
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


#: The histogram's labels, bucket by bucket.
BUCKET_LABELS = tuple(length_bucket(low) for low in (0, *LENGTH_BUCKETS))


def _one_chunk(column: pa.ChunkedArray) -> pa.Array:
    return column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)


def _lengths(lists) -> np.ndarray:
    """Items in each row's list (0 for a null list)."""
    return pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)


def _filled(column) -> np.ndarray:
    """Rows whose value is filled, as ``bool(v) or v == 0`` says of the Python value:
    a non-empty string or list, any number."""
    if pa.types.is_list(column.type):
        filled = pc.greater(pc.list_value_length(column), 0)
    elif pa.types.is_string(column.type):
        filled = pc.greater(pc.binary_length(column), 0)
    else:
        filled = pc.is_valid(column)
    return filled.fill_null(False).to_numpy(zero_copy_only=False)


def _value_counts(column) -> list[tuple]:
    """(value, count) pairs of a column, nulls as None."""
    counts = pc.value_counts(column)
    return list(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist()))


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
        """Count one row (a dict of the published schema)."""
        self._add_figures(pa.Table.from_pylist([row], schema=file_schema()))

    def add_table(self, table: pa.Table) -> None:
        """Count a table of published rows (one row group) and its in-memory size."""
        self.num_bytes += table.nbytes
        self._add_figures(table)

    def _add_figures(self, table: pa.Table) -> None:
        # Computed on the Arrow columns (pyarrow.compute, numpy), not row by row: a Python
        # loop over every row, source and action was a large part of the publish stage.
        if table.num_rows == 0:
            return
        chars = table.column("num_chars").to_numpy()
        self.records += table.num_rows
        self.chars += int(chars.sum())
        low, high = int(chars.min()), int(chars.max())
        self.min_chars = low if self.min_chars is None else min(self.min_chars, low)
        self.max_chars = max(self.max_chars, high)
        buckets = np.bincount(np.searchsorted(LENGTH_BUCKETS, chars, side="right"), minlength=len(BUCKET_LABELS))
        self.length_histogram.update({label: int(n) for label, n in zip(BUCKET_LABELS, buckets) if n})
        self._add_sources(_one_chunk(table.column("sources")))
        self.with_overlaps += int(np.count_nonzero(_lengths(table.column("overlaps"))))
        for script, n in _value_counts(table.column("original_script")):
            self.scripts[script or "unknown"] += n
        filled = {name: _filled(table.column(name)) for name in table.column_names}
        for name in COVERAGE_FIELDS:
            self.coverage[name] += int(np.count_nonzero(filled[name]))
        self._add_actions(_one_chunk(table.column("actions")))
        dates = table.column("date").filter(filled["date"])
        if len(dates):
            span = pc.min_max(dates)  # byte order of UTF-8 is code point order, as Python's min/max
            first, last = span["min"].as_py(), span["max"].as_py()
            self.first_date = min(self.first_date or first, first)
            self.last_date = max(self.last_date or last, last)
        score = sum(filled[name].astype(np.int64) for name in EXAMPLE_FIELDS)
        best = int(np.argmax(score))  # the first row with the highest score
        if score[best] > self._example_score:
            self.example, self._example_score = table.slice(best, 1).to_pylist()[0], int(score[best])

    def _add_sources(self, sources: pa.ListArray) -> None:
        lengths = _lengths(sources)
        flat = sources.flatten()
        kinds = flat.field("kind")
        for kind, n in _value_counts(kinds):
            self.sources_by_kind[kind] += n
        firsts = (np.cumsum(lengths) - lengths)[lengths > 0]  # index of each record's first source
        for kind, n in _value_counts(kinds.take(pa.array(firsts, type=pa.int64()))):
            self.records_by_kind[kind] += n
        owner = np.repeat(np.arange(len(lengths)), lengths)  # record of each source
        self.with_url += len(np.unique(owner[_filled(flat.field("url"))]))
        self.merged_records += int(np.count_nonzero(lengths > 1))

    def _add_actions(self, actions: pa.ListArray) -> None:
        lengths = _lengths(actions)
        if not lengths.sum():
            return
        flat = actions.flatten()
        owner = np.repeat(np.arange(len(lengths)), lengths)
        rules = pa.table({"stage": flat.field("stage"), "rule": flat.field("rule"), "count": flat.field("count"),
                          "record": owner})
        grouped = rules.group_by(["stage", "rule"], use_threads=False).aggregate(
            [("count", "sum"), ("record", "count_distinct")])
        for stage, rule, total, records in zip(*(grouped.column(name).to_pylist() for name in
                                                 ("stage", "rule", "count_sum", "record_count_distinct"))):
            self.rule_counts[(stage, rule)] += total
            self.rule_records[(stage, rule)] += records

    def merge(self, later: PublishStats) -> None:
        """Add the figures of records written after this one's (a later shard, written by another
        process): the result is what one writer of both would have gathered."""
        for name in ("records", "chars", "num_bytes", "with_url", "merged_records", "with_overlaps"):
            setattr(self, name, getattr(self, name) + getattr(later, name))
        for name in ("length_histogram", "records_by_kind", "sources_by_kind", "scripts", "coverage",
                     "rule_records", "rule_counts"):
            getattr(self, name).update(getattr(later, name))
        if later.min_chars is not None:
            self.min_chars = later.min_chars if self.min_chars is None else min(self.min_chars, later.min_chars)
        self.max_chars = max(self.max_chars, later.max_chars)
        if later.first_date is not None:
            self.first_date = min(self.first_date or later.first_date, later.first_date)
            self.last_date = max(self.last_date or later.last_date, later.last_date)
        if later._example_score > self._example_score:  # the first record with the highest score
            self.example, self._example_score = later.example, later._example_score

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
