"""The published schema: one place that says which fields a record has, their types and meaning.

The Arrow schema is the source of truth; the Hugging Face ``Features`` (embedded
in every Parquet file and declared in the card's ``dataset_info``) are derived
from it, so the three can never disagree.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import accumulate
from operator import attrgetter

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

#: What each published field means (the dataset card's field table is made from this).
FIELD_DESCRIPTIONS: dict[str, str] = {
    "id": "Stable record id: a hash of the input's relative path, its raw bytes' sha256 and the JSONL line or article index.",
    "text": "The cleaned, normalised article body: one paragraph per line, separated by a single newline; headings are paragraphs of their own.",
    "title": "Headline, where the document has one.",
    "subtitle": "Sub-headline or lead-in title, where present.",
    "author": "Byline (reporter, editor or forum poster), where present.",
    "publication": "Newspaper, portal or forum the text comes from, where stated.",
    "date": "Publication date in ISO 8601 (`2022-11-30` or `2022-11-30T10:21:05`), where known.",
    "section": "Section, column or board, where stated.",
    "captions": "Image captions moved out of the body.",
    "sources": "Every raw input merged into this record: `path` (relative), `sha256` of the raw file, `kind` (portal, forum, newspaper_page, article, html), `url`, JSONL `line`, article `part` of a split page.",
    "original_script": "Script of the raw text before conversion: simplified, traditional or mixed.",
    "num_chars": "Length of `text` in characters (Unicode code points).",
    "dedup_cluster": "Id of the near-duplicate cluster this record represents (null when it had no duplicates).",
    "overlaps": "Records sharing text with this one that were not merged: `record_id`, `containment` (share of this record found in the other), `jaccard`.",
    "actions": "Cleaning provenance: every change a stage made, as `stage`, `rule`, `detail` (a sample of what changed) and `count`.",
}

assert set(FIELD_DESCRIPTIONS) == set(SCHEMA.names), "every published field needs a description"


#: Fields declared with the ``json`` feature type in the JSON Lines export's card.  pyarrow's
#: JSON reader (which ``datasets`` uses, with no way to pass a schema) turns strings that look
#: like ISO timestamps into timestamps — ``2022-11-30T10:21`` would come back as
#: ``2022-11-30 10:21:00``, and ``+08:00`` would be lost (apache/arrow#46698).  A ``json``
#: field is read as text and decoded per value, so the ISO strings round-trip unchanged.
JSONL_AS_JSON = ("date",)


@lru_cache(maxsize=2)
def features(output_format: str = "parquet"):
    """The schema as ``datasets.Features`` (imported lazily: workers never need it)."""
    import datasets
    from datasets import Features

    feats = Features.from_arrow_schema(SCHEMA)
    if output_format == "jsonl" and hasattr(datasets, "Json"):
        feats = Features({name: datasets.Json() if name in JSONL_AS_JSON else f for name, f in feats.items()})
    return feats


@lru_cache(maxsize=1)
def file_schema() -> pa.Schema:
    """The Parquet schema: ``SCHEMA`` plus the ``huggingface`` metadata that ``datasets``
    reads, so the files stay typed even when loaded without the card."""
    return features().arrow_schema


_SCALARS = tuple(f.name for f in SCHEMA if not pa.types.is_list(f.type) and f.name != "num_chars")
_STRUCT_LISTS = tuple(
    (f.name, tuple(sub.name for sub in f.type.value_type))
    for f in SCHEMA
    if pa.types.is_list(f.type) and pa.types.is_struct(f.type.value_type)
)


def record_row(record) -> dict:
    """A record as one row of the published table.

    Built field by field from the schema (``dataclasses.asdict`` deep-copies and
    was most of the publish stage's time).
    """
    row = {name: getattr(record, name) for name in _SCALARS}
    row["captions"] = list(record.captions)
    for name, fields in _STRUCT_LISTS:
        row[name] = [{f: getattr(item, f) for f in fields} for item in getattr(record, name)]
    row["num_chars"] = len(record.text)
    return {name: row[name] for name in SCHEMA.names}


def _offsets(lists: list[list]) -> pa.Array:
    """Arrow list offsets: where each record's items start in the flattened child array."""
    return pa.array(list(accumulate(map(len, lists), initial=0)), type=pa.int32())


def _column(records: list, field: pa.Field) -> pa.Array:
    if field.name == "num_chars":
        return pa.array([len(r.text) for r in records], type=field.type)
    values = list(map(attrgetter(field.name), records))
    if not pa.types.is_list(field.type):
        return pa.array(values, type=field.type)
    items = [item for value in values for item in value]
    item_type = field.type.value_type
    if pa.types.is_struct(item_type):
        children = [pa.array(list(map(attrgetter(sub.name), items)), type=sub.type) for sub in item_type]
        flat = pa.StructArray.from_arrays(children, fields=list(item_type))
    else:
        flat = pa.array(items, type=item_type)
    return pa.ListArray.from_arrays(_offsets(values), flat)


def records_table(records: list, schema: pa.Schema | None = None) -> pa.Table:
    """Records as a table of the published schema, built column by column.

    The same table as ``pa.Table.from_pylist([record_row(r) for r in records])`` (values,
    types and buffer sizes), without a dict per row and per source, action and overlap:
    those were most of the publish stage's time.  ``pa.array`` checks every value's type.
    """
    schema = schema or SCHEMA
    return pa.Table.from_arrays([_column(records, f) for f in SCHEMA], schema=schema)
