"""The published row: every record field, typed, in schema order."""

from __future__ import annotations

import pyarrow as pa
import pytest

from corpuskit.publish.schema import FIELD_DESCRIPTIONS, SCHEMA, features, file_schema, record_row, records_table
from corpuskit.record import Overlap, Record, Source


def full_record() -> Record:
    rec = Record(
        id="r1", text="数字产业集群加速成长。", title="标题", subtitle="副题", author="张明", publication="深圳商报",
        date="2022-11-30", section="财经", captions=["图为合肥"], original_script="traditional",
        dedup_cluster="r1", sources=[Source("a.txt", "ab" * 32, "portal", "https://x.cn/1", 3, 1),
                                     Source("b.txt", "cd" * 32, "forum")],
        overlaps=[Overlap("r2", 0.5, 0.25)],
    )
    rec.log("clean", "portal_breadcrumb", "首页 > 新闻", 2)
    return rec


def test_row_is_the_record_as_dict_plus_num_chars():
    rec = full_record()
    expected = {**rec.to_dict(), "num_chars": len(rec.text)}
    row = record_row(rec)
    assert list(row) == SCHEMA.names
    assert row == {name: expected[name] for name in SCHEMA.names}


def test_every_record_field_is_published_and_described():
    assert set(Record.__dataclass_fields__) | {"num_chars"} == set(SCHEMA.names) == set(FIELD_DESCRIPTIONS)


def test_row_fits_the_file_schema_and_features():
    table = pa.Table.from_pylist([record_row(full_record())], schema=file_schema())
    assert table.to_pylist()[0] == record_row(full_record())
    assert features().arrow_schema.remove_metadata() == SCHEMA


def test_columns_make_the_same_table_as_the_rows():
    sparse = Record(id="r3", text="", sources=[])  # no metadata, empty lists
    records = [full_record(), sparse, Record(id="r4", text="短文。", sources=[Source("c.txt", "ef" * 32)])]
    rows = pa.Table.from_pylist([record_row(r) for r in records], schema=file_schema())
    table = records_table(records, file_schema())
    assert table.equals(rows, check_metadata=True)
    assert table.nbytes == rows.nbytes  # the card's num_bytes
    assert table.to_pylist() == [record_row(r) for r in records]


def test_columns_check_the_types():
    bad = full_record()
    bad.title = 3
    with pytest.raises((pa.ArrowTypeError, pa.ArrowInvalid)):
        records_table([bad], file_schema())
