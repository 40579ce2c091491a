"""Newspaper pages holding several articles are split (issue 4)."""

from __future__ import annotations

import json

from corpuskit.clean import Cleaner
from corpuskit.clean.layout import repair_layout, unify_markers
from corpuskit.clean.split import find_chunks
from corpuskit.config import BuildConfig
from corpuskit.read import read_file
from corpuskit.record import Record, Source

SEED_PAGE = "000_b8efd2484e5187fc.txt"


def page_record(text: str) -> Record:
    return Record("page", text, sources=[Source("p.txt", "f" * 64, "newspaper_page")], date="2023-05-06")


def clean(record: Record) -> list[Record]:
    unify_markers(record)
    return repair_layout(record)


# A made-up page in the order a PDF extractor meets its columns: article 1's
# lead, article 2 (opened by a dateline), a section of article 1, then the
# headline blocks printed after the bodies, and a stand-alone photo.
PAGE = """\
今年以来，某省大力推进农村电商发展，
组织电商企业与农户签订长期收购协议，
帮助农产品打开销路。全省农村网络零售
额同比增长两成以上，成为带动农民增收
的重要渠道。

新华社上海5月6日电（记者 王五） 上海
港集装箱吞吐量近日再创新高，港口运营
方介绍，自动化码头的装卸效率明显提升，
远洋航线数量继续增加，港口集疏运体系
不断完善，为稳外贸提供了有力支撑。

直播带货助农增收
在某县的电商服务中心，主播们正在直播
间里推介当地的农产品，电商企业负责人
介绍，农村电商让农户的收入明显增加，
越来越多的年轻人返乡从事电商创业，带
动了农产品加工、包装和物流等产业发展。

农村电商加快发展
本报记者 张 三

上海港吞吐量再创新高

村民在合作社分拣刚采摘的蔬菜，准备通过电商平台销往各地。 李四摄
"""


def test_a_page_is_split_by_structure_and_content():
    parts = clean(page_record(PAGE))
    assert len(parts) == 3
    rural, port, photo = parts
    assert rural.title == "农村电商加快发展" and rural.author == "张三"
    assert rural.text.startswith("今年以来，某省大力推进农村电商发展，组织电商企业")
    assert "直播带货助农增收" in rural.text.split("\n")  # its section, moved after its lead
    assert "主播们正在直播间里推介" in rural.text and "上海港" not in rural.text
    assert port.title == "上海港吞吐量再创新高" and port.author == "王五"
    assert port.text.startswith("上海港集装箱吞吐量近日再创新高")  # dateline went to metadata
    assert "农村电商" not in port.text
    assert photo.captions == ["村民在合作社分拣刚采摘的蔬菜，准备通过电商平台销往各地。李四摄"]
    assert photo.text == "村民在合作社分拣刚采摘的蔬菜，准备通过电商平台销往各地。"
    assert photo.author == "李四"


def test_parts_share_the_page_as_source_with_stable_distinct_ids():
    parts = clean(page_record(PAGE))
    again = clean(page_record(PAGE))
    assert [p.id for p in parts] == [p.id for p in again]
    assert len({p.id for p in parts}) == len(parts)
    for k, part in enumerate(parts):
        (src,) = part.sources
        assert (src.path, src.kind, src.part) == ("p.txt", "newspaper_page", k)
        assert part.date == "2023-05-06"
        assert any(a.rule == "split_page" for a in part.actions)


def test_a_page_with_one_article_is_not_split_but_named():
    one = PAGE.split("\n\n新华社")[0] + "\n\n" + "农村电商加快发展\n本报记者 张 三\n"
    parts = clean(page_record(one))
    assert len(parts) == 1
    assert parts[0].title == "农村电商加快发展" and parts[0].author == "张三"
    assert "本报记者" not in parts[0].text


def test_an_article_is_never_split():
    rec = Record("a", PAGE, sources=[Source("a.txt", "e" * 64, "article")])
    assert len(clean(rec)) == 1


def test_chunks_of_the_page():
    paras = ["导语正文。", "本报北京电（记者杨昊） 记者近日获悉，正文。", "小标题", "正文。", "主标题", "本报记者 金 晨"]
    kinds = [(c.kind, c.paras, c.headings, c.byline) for c in find_chunks(paras)]
    assert kinds == [
        ("anchor", [0], [], None),
        ("anchor", [1], [], None),
        ("section", [2, 3], [], None),
        ("head", [], [4], 5),
    ]


# --------------------------------------------------------------------------- the seed page


def seed_parts(raw_dir) -> list[Record]:
    _, _, docs = read_file(raw_dir / SEED_PAGE, raw_dir)
    (doc,) = list(docs)
    return Cleaner(BuildConfig())(doc.to_record())


def test_seed_page_splits_into_its_four_articles(raw_dir):
    parts = seed_parts(raw_dir)
    assert len(parts) == 4
    clusters, youth, iot, photo = parts
    assert (clusters.title, clusters.author) == ("数字产业加速“聚链成群”", "金晨")
    assert youth.title == "共青团12355青少年网络服务平台启动" and youth.author == "杨昊"
    assert (iot.title, iot.author, iot.publication) == ("“万物互联”融入你我生活", "武慧敏", "海外网")
    # each section went to the article it belongs to
    assert "聚集优势看得见" in clusters.text and "因地制宜绘制“施工图”" in clusters.text
    assert "应用场景更丰富" in iot.text and "拓展广度和深度" in iot.text
    assert "物联网" not in youth.text and "12355" not in clusters.text
    assert iot.text.startswith("停车场出口，摄像头自动识别车牌信息")
    assert len(photo.captions) == 3 and photo.author == "赵春亮、庄文斌、陈晓东"
    assert all(p.sources[0].path == SEED_PAGE for p in parts)


def test_seed_page_ledger_says_split(seed_build):
    ledger = [json.loads(line) for line in (seed_build / "ledger.jsonl").read_text(encoding="utf-8").splitlines()]
    (entry,) = [e for e in ledger if e["path"] == SEED_PAGE]
    assert entry["status"] == "split" and len(entry["records"]) == 4


HEADLINES_FIRST = """\
农村电商加快发展
本报记者 张 三

今年以来，某省大力推进农村电商发展，
组织电商企业与农户签订长期收购协议，
帮助农产品打开销路。全省农村网络零售
额同比增长两成以上，成为带动农民增收
的重要渠道。

直播带货助农增收
在某县的电商服务中心，主播们正在直播
间里推介当地的农产品，电商企业负责人
介绍，农村电商让农户的收入明显增加，
越来越多的年轻人返乡从事电商创业，带
动了农产品加工、包装和物流等产业发展。

上海港吞吐量再创新高
本报记者 王 五

上海港集装箱吞吐量近日再创新高，港口
运营方介绍，自动化码头的装卸效率明显
提升，远洋航线数量继续增加，港口集疏
运体系不断完善，为稳外贸提供了有力支
撑。
"""


def test_a_page_with_headlines_above_the_bodies_is_split_the_same_way():
    rural, port = clean(page_record(HEADLINES_FIRST))
    assert (rural.title, rural.author) == ("农村电商加快发展", "张三")
    assert rural.text.split("\n")[1] == "直播带货助农增收"
    assert (port.title, port.author) == ("上海港吞吐量再创新高", "王五")
    assert port.text.startswith("上海港集装箱吞吐量近日再创新高") and port.text.endswith("有力支撑。")
