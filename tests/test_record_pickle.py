"""Records pickle as tuples (the build's hot path): every field survives the round trip."""

from __future__ import annotations

import dataclasses
import pickle

from corpuskit.record import PICKLED_SCALARS, Action, Overlap, Record, Source


def full_record() -> Record:
    rec = Record(
        "abc", "正文。\n第二段。", [Source("a/b.txt", "0" * 64, "portal", "http://x", 3, 1), Source("c.txt", "1" * 64)],
        title="标题", subtitle="副题", author="记者", publication="人民日报", date="2022-11-30", section="要闻",
        captions=["图片说明"], original_script="traditional", dedup_cluster="abc",
        overlaps=[Overlap("def", 0.25, 0.1)],
    )
    rec.log("clean", "portal_breadcrumb", "首页 > 新闻", 2)
    return rec


def test_every_field_is_pickled():
    names = {f.name for f in dataclasses.fields(Record)}
    assert names == set(PICKLED_SCALARS) | {"sources", "captions", "overlaps", "actions"}


def test_round_trip_keeps_every_value():
    rec = full_record()
    back = pickle.loads(pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == rec
    assert isinstance(back.sources[0], Source) and isinstance(back.actions[0], Action)
    assert isinstance(back.overlaps[0], Overlap)
    back.captions.append("x")  # lists are the record's own
    assert rec.captions == ["图片说明"]
