"""Merging fills the canonical record's metadata from its reprints, including
splitting a kicker that the extraction ran into the headline."""

from __future__ import annotations

from corpuskit.dedup.merge import merge_cluster, split_run_together_title
from corpuskit.record import Record, Source


def rec(rid: str, kind: str, title: str | None, text: str = "正文一段。正文二段。", subtitle: str | None = None) -> Record:
    return Record(id=rid, text=text, sources=[Source(f"{rid}.txt", "0" * 64, kind)], title=title, subtitle=subtitle)


def test_reprint_title_splits_a_run_together_kicker():
    official = rec("a", "article", "二十五个集群中六成以上主导方向是数字经济我国数字产业集群加速成长")
    repost = rec("b", "forum", "我国数字产业集群加速成长")
    split_run_together_title(official, repost)
    assert official.title == "我国数字产业集群加速成长"
    assert official.subtitle == "二十五个集群中六成以上主导方向是数字经济"
    assert official.actions[-1].rule == "title_split_by_member"


def test_title_is_left_alone_when_it_is_not_a_suffix_or_parts_are_too_short():
    for canonical_title, other_title in [
        ("数字产业集群加速成长", "物联网融入生活"),  # different title
        ("新华社数字产业集群加速成长", "数字产业集群加速成长"),  # prefix of 3 characters: not a kicker
        ("数字产业集群加速成长", "数字产业集群加速成长"),  # the same title
    ]:
        official = rec("a", "article", canonical_title)
        split_run_together_title(official, rec("b", "forum", other_title))
        assert official.title == canonical_title and official.subtitle is None


def test_existing_subtitle_is_never_overwritten():
    official = rec("a", "article", "引题部分足够长的文字我国数字产业集群加速成长", subtitle="已有副题")
    split_run_together_title(official, rec("b", "forum", "我国数字产业集群加速成长"))
    assert official.subtitle == "已有副题"


def test_merge_cluster_keeps_canonical_text_and_every_source():
    official = rec("a", "article", "二十五个集群中六成以上主导方向是数字经济我国数字产业集群加速成长")
    repost = rec("b", "forum", "我国数字产业集群加速成长")
    merged = merge_cluster([repost, official])
    assert merged.id == "a"
    assert [s.path for s in merged.sources] == ["a.txt", "b.txt"]
    assert merged.title == "我国数字产业集群加速成长"
