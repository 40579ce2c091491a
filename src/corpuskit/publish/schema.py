"""The published schema: one place that says which fields a record has and their types."""

from __future__ import annotations

import pyarrow as pa

SOURCE_TYPE = pa.struct(
    [
        ("path", pa.string()),
        ("sha256", pa.string()),
        ("kind", pa.string()),
        ("url", pa.string()),
        ("line", pa.int64()),
        ("part", pa.int64()),
    ]
)
OVERLAP_TYPE = pa.struct([("record_id", pa.string()), ("containment", pa.float64()), ("jaccard", pa.float64())])
ACTION_TYPE = pa.struct([("stage", pa.string()), ("rule", pa.string()), ("detail", pa.string()), ("count", pa.int64())])

SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("text", pa.string()),
        ("title", pa.string()),
        ("subtitle", pa.string()),
        ("author", pa.string()),
        ("publication", pa.string()),
        ("date", pa.string()),
        ("section", pa.string()),
        ("captions", pa.list_(pa.string())),
        ("sources", pa.list_(SOURCE_TYPE)),
        ("original_script", pa.string()),
        ("num_chars", pa.int64()),
        ("dedup_cluster", pa.string()),
        ("overlaps", pa.list_(OVERLAP_TYPE)),
        ("actions", pa.list_(ACTION_TYPE)),
    ]
)


def record_row(record) -> dict:
    """A record as one row of the published table."""
    row = record.to_dict()
    row["num_chars"] = len(record.text)
    return {name: row.get(name) for name in SCHEMA.names}
