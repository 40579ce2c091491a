"""Dates as news sites write them → ISO 8601 (published `date`)."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, strategies as st

from corpuskit.publish import publish_date
from corpuskit.publish.dates import iso_date
from corpuskit.record import Record


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2022-11-30 10:21:05", "2022-11-30T10:21:05"),
        ("2022-11-30 10:21", "2022-11-30T10:21"),
        ("2022/1/5", "2022-01-05"),
        ("2022.11.30", "2022-11-30"),
        ("2022年11月30日", "2022-11-30"),
        ("2022年11月30日 星期三", "2022-11-30"),
        ("2022年11月30日10:21", "2022-11-30T10:21"),
        ("2022年11月30日 10时21分", "2022-11-30T10:21"),
        ("2022-11-30 下午3:05", "2022-11-30T15:05"),
        ("２０２２年１１月３０日", "2022-11-30"),
        ("二〇二二年十一月三十日", "2022-11-30"),
        ("二O二二年一月五日", "2022-01-05"),
        ("2022年11月", "2022-11"),
        ("20221130", "2022-11-30"),
        ("2022-11-30T10:21:05+08:00", "2022-11-30T10:21:05+08:00"),
        ("2022-11-30 10:21:05+0800", "2022-11-30T10:21:05+08:00"),
        ("2022-11-30 25:00", "2022-11-30"),  # impossible time: the date alone is still known
    ],
)
def test_written_dates(written, iso):
    assert iso_date(written) == iso


@pytest.mark.parametrize("text", ["", "不详", "2022-13-01", "2022-02-30", "昨天", "10:21", "第2022期"])
def test_not_dates(text):
    assert iso_date(text) is None


STYLES = [
    lambda d: f"{d:%Y-%m-%d %H:%M:%S}",
    lambda d: f"{d.year}年{d.month}月{d.day}日 {d:%H:%M}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d:%Y-%m-%dT%H:%M:%S}",
    lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日 星期{'一二三四五六日'[d.weekday()]}",
]


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2099, 12, 31)),
       st.sampled_from(range(len(STYLES))))
def test_any_written_date_reads_back(moment, style):
    iso = iso_date(STYLES[style](moment))
    assert iso is not None
    assert datetime.fromisoformat(iso).date() == moment.date()
    if ":" in STYLES[style](moment):
        assert datetime.fromisoformat(iso).strftime("%H:%M") == moment.strftime("%H:%M")


@given(st.text(max_size=40))
def test_output_is_iso_and_idempotent(text):
    iso = iso_date(text)
    if iso is not None:
        assert iso_date(iso) == iso
        datetime.fromisoformat(iso if len(iso) > 7 else iso + "-01")


def test_publish_date_logs_what_it_changed():
    rec = Record(id="r", text="正文", date="2022年11月30日 10:21")
    publish_date(rec)
    assert rec.date == "2022-11-30T10:21"
    assert [(a.stage, a.rule) for a in rec.actions] == [("publish", "iso_date")]
    assert "2022年11月30日" in rec.actions[0].detail
    publish_date(rec)  # already ISO: nothing changes, nothing is logged
    assert len(rec.actions) == 1
    unknown = Record(id="u", text="正文", date="日期不详")
    publish_date(unknown)
    assert unknown.date is None and unknown.actions[0].rule == "unreadable_date"
