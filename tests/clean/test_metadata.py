"""Headlines, subtitles, series tags and bylines → metadata (clean/metadata.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.clean.metadata import (
    extract_metadata,
    is_kicker,
    join_padded_name,
    looks_like_headline,
    parse_byline,
    parse_date,
    parse_series_tag,
    read_article_metadata,
)
from corpuskit.record import Record, Source


def _record(text: str, kind: str = "article", **fields) -> Record:
    return Record(id="t", text=text, sources=[Source("t.txt", "0", kind)], **fields)


# ------------------------------------------------------------------ bylines

BYLINES = [
    # (line, rule, author, publication, rest)
    ("(文/经济参考报记者 郭倩 北京报道)", "byline_slash", "郭倩", "经济参考报", ""),
    ("（文／新京报记者 王小明）", "byline_slash", "王小明", "新京报", ""),
    ("本报记者 杨俊峰", "byline_reporter", "杨俊峰", None, ""),
    ("本报记者 金 晨", "byline_reporter", "金晨", None, ""),
    ("本报记者\u3000\u3000李\u3000\u3000强", "byline_reporter", "李强", None, ""),
    ("本报记者 张三 通讯员 李四", "byline_reporter", "张三、李四", None, ""),
    ("澎湃新闻记者 段彦超 廖艳", "byline_reporter", "段彦超、廖艳", "澎湃新闻", ""),
    ("记者 王五 上海报道", "byline_reporter", "王五", None, ""),
    ("本报北京电（记者杨昊） 记者近", "byline_dateline_reporter", "杨昊", None, "记者近"),
    ("新华社巴黎12月9日电（记者唐霁）法国9日再次爆发全国大罢工", "byline_dateline_reporter", "唐霁", "新华社", "法国9日再次爆发全国大罢工"),
    ("据新华社拉萨电（记者 格桑边觉）", "byline_dateline_reporter", "格桑边觉", "新华社", ""),
    ("本报讯 （实习记者 樊亮 张明超 记者惠禾）13岁的她", "byline_dateline_reporter", "樊亮、张明超、惠禾", None, "13岁的她"),
    ("海外网 武慧敏", "byline_outlet_name", "武慧敏", "海外网", ""),
    ("作者：李四", "byline_author_label", "李四", None, ""),
    ("（责编：赵欣悦、杨曦）", "byline_editor", None, None, ""),
    ("责任编辑：张三", "byline_editor", None, None, ""),
    ("[责任编辑：刘斌]", "byline_editor", None, None, ""),
    ("【责任编辑:刘阳】", "byline_editor", None, None, ""),
    ("来源：经济参考报", "byline_source", None, "经济参考报", ""),
    ("本文来源：新京报 责任编辑：史建磊_NBJ11331", "byline_credit_line", None, "新京报", ""),
    ("编辑 刘晓阳 校对 李铭", "byline_credit_line", None, None, ""),
    ("2022-11-30 10:23:45 来源：经济参考报 作者：郭倩", "byline_meta_line", "郭倩", "经济参考报", ""),
    ("——编\u00a0\u00a0者", "byline_editor_note", None, None, ""),
]


@pytest.mark.parametrize("line,rule,author,publication,rest", BYLINES)
def test_bylines_are_recognised(line, rule, author, publication, rest):
    b = parse_byline(line)
    assert b is not None, line
    assert (b.rule, b.author, b.publication, b.rest) == (rule, author, publication, rest)


def test_meta_line_gives_an_iso_date():
    assert parse_byline("2022年11月30日08:12\u3000来源：人民网－人民日报").date == "2022-11-30T08:12"


NOT_BYLINES = [
    "记者注意到，多方正加紧谋划部署，明确数字产业集群下一步发展目标。",
    "记者在采访中了解到，我国一批数字产业集群正加速成长。",
    "新华社北京3月5日电 国务院总理在政府工作报告中说",  # a dateline without reporters: text, not a byline
    "数字产业集群加速成长",
    "他说：“我们推荐大家分享这个方法。”",
    "截至2022年底，中国移动物联网终端用户达18.45亿户",
    "编辑部的故事",
    "",
]


@pytest.mark.parametrize("line", NOT_BYLINES)
def test_text_is_not_a_byline(line):
    assert parse_byline(line) is None


def test_padded_names_are_joined():
    assert join_padded_name("金 晨") == "金晨"
    assert join_padded_name("金\u3000\u3000晨") == "金晨"
    assert join_padded_name("杨俊峰") == "杨俊峰"


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_parse_byline_never_raises_and_spans_are_inside(line):
    b = parse_byline(line)
    if b is not None:
        assert 0 <= b.start <= b.end
        assert len(b.rest) <= len(line)


# ------------------------------------------------------------------ headlines, tags, dates


def test_series_tag_is_split_from_headline():
    tag, rest = parse_series_tag("我国数字产业集群加速成长（产经观察·关注数字产业集群①）")
    assert tag == "产经观察·关注数字产业集群①"
    assert rest == "我国数字产业集群加速成长"
    assert parse_series_tag("走进基层（之三）") == ("走进基层（之三", "") or parse_series_tag("走进基层（之三）")
    # plain parentheses are not tags
    assert parse_series_tag("《数字经济及其核心产业统计分类（2021）》") is None
    assert parse_series_tag("他说（记者 张三）") is None


def test_headline_shapes():
    assert looks_like_headline("数字产业集聚成“群” 增添发展新动能")
    assert looks_like_headline("# 数字产业集群加速成长")
    assert not looks_like_headline("记者在采访中了解到，我国一批具有国际竞争力的数字产业集群正加速成长。为经济稳增长促转型提供有力支撑。")
    assert not looks_like_headline("本报记者 杨俊峰")
    assert is_kicker("“数实融合”深入开展，数字经济蓬勃发展——")
    assert not is_kicker("数字产业集群加速成长")


@pytest.mark.parametrize(
    "text,iso",
    [
        ("2022-11-30", "2022-11-30"),
        ("2022年11月30日 10:23", "2022-11-30T10:23"),
        ("发表于: 2022/1/5 08:01:02", "2022-01-05T08:01:02"),
        ("2019-09-07T13:43:45+08:00", "2019-09-07T13:43:45"),
        ("no date here", None),
        ("2022-13-40", None),
    ],
)
def test_dates_become_iso(text, iso):
    assert parse_date(text) == iso


# ------------------------------------------------------------------ whole articles


def test_seed_001_kicker_title_byline(raw_dir):
    lines = (raw_dir / "001_ce66e1543564782a.txt").read_text(encoding="utf-8").split("\n")
    meta = read_article_metadata(lines)
    assert meta.title == "数字产业集群加速成长"
    assert meta.subtitle == "“数实融合”深入开展，数字经济蓬勃发展"
    assert meta.author == "杨俊峰"
    body = "\n".join(meta.lines)
    assert "本报记者 杨俊峰" not in body and "# 数字产业集群加速成长" not in body
    assert body.lstrip().startswith("语音识别与人工智能")
    assert {r for r, _ in meta.removed} == {"headline_kicker", "headline_title", "byline_reporter"}


def test_series_tag_goes_to_section_and_editor_signature_goes():
    rec = _record(
        "我国数字产业集群加速成长（产经观察·关注数字产业集群①）\n"
        "今天起，本版推出“关注数字产业集群”系列报道，走近一线，了解进展，展望未来。\n"
        "——编  者\n"
        "江淮腹地，“中国声谷”。依托科大讯飞打造的合肥智能语音产业集群，跑出了惊人的“声谷速度”。"
    )
    extract_metadata(rec)
    assert rec.title == "我国数字产业集群加速成长"
    assert rec.section == "产经观察·关注数字产业集群①"
    assert "编  者" not in rec.text and "今天起" in rec.text and rec.text.endswith("“声谷速度”。")
    assert {a.rule for a in rec.actions} >= {"headline_series_tag", "headline_title", "byline_editor_note", "metadata_filled"}


def test_tail_bylines_and_editor_lines_leave_the_body():
    rec = _record(
        "数字产业集聚成“群” 增添发展新动能\n"
        "在工信部近期公布的45个国家先进制造业集群名单中，新一代信息技术领域多个产业集群上榜。\n"
        "他说：“这是一个好消息。”\n"
        "(文/经济参考报记者 郭倩 北京报道)\n"
        "（责编：赵欣悦、杨曦）"
    )
    extract_metadata(rec)
    assert (rec.title, rec.author, rec.publication) == ("数字产业集聚成“群” 增添发展新动能", "郭倩", "经济参考报")
    assert rec.text == "在工信部近期公布的45个国家先进制造业集群名单中，新一代信息技术领域多个产业集群上榜。\n他说：“这是一个好消息。”"
    assert [a.rule for a in rec.actions if a.rule.startswith("byline")] == ["byline_slash", "byline_editor"]


def test_dateline_byline_keeps_the_body_text_after_it():
    rec = _record("共青团12355青少年网络服务平台启动\n本报北京电（记者杨昊） 记者近日从共青团中央获悉，平台启动仪式日前在京举行。")
    extract_metadata(rec)
    assert rec.author == "杨昊" and rec.title == "共青团12355青少年网络服务平台启动"
    assert rec.text == "记者近日从共青团中央获悉，平台启动仪式日前在京举行。"


def test_existing_metadata_wins_and_known_title_line_is_removed():
    rec = _record(
        "女儿出嫁，郑板桥画了几笔兰花当嫁妆\n原创：张三 某某公众号\n今年的6月16日是父亲节，许多人的心中都会涌起一种深沉而又温暖的情感。",
        kind="html",
        title="女儿出嫁，郑板桥画了几笔兰花当嫁妆",
        author="王五",
    )
    extract_metadata(rec)
    assert rec.title == "女儿出嫁，郑板桥画了几笔兰花当嫁妆" and rec.author == "王五"
    assert rec.text.startswith("今年的6月16日")


def test_original_title_line():
    rec = _record("（原标题：单项奖金100万美元，“中国诺贝尔奖”揭晓！）\n今天下午，有着“中国诺贝尔奖”之称的未来科学大奖获奖名单在北京公布。")
    extract_metadata(rec)
    assert rec.title == "单项奖金100万美元，“中国诺贝尔奖”揭晓！"
    assert rec.text.startswith("今天下午")


def test_a_lone_headline_is_not_taken_from_a_text_that_is_only_that_line():
    rec = _record("数字产业集群加速成长")
    extract_metadata(rec)
    assert rec.text == "数字产业集群加速成长" and rec.title is None and not rec.actions


def test_unsplit_newspaper_page_is_left_to_layout():
    rec = _record("建设热度高，创新活力足\n数字产业加速“聚链成群”\n本报记者 金 晨\n正文。", kind="newspaper_page")
    extract_metadata(rec)
    assert rec.title is None and not rec.actions
    rec.sources[0].part = 0  # one article of a split page
    extract_metadata(rec)
    assert rec.author == "金晨"


def test_numbered_headings_table_rows_and_closing_dates_stay():
    lines = [
        "一、培养目标：",
        "培养德智体美全面发展，在本门学科上掌握坚实宽广的基础理论和系统深入的专业知识的高级人才。",
        "特此通告。",
        "吉林省人民政府",
        "2022年1月27日",
    ]
    meta = read_article_metadata(lines)
    assert meta.lines == lines and meta.title is None and meta.date is None
    assert not looks_like_headline("发文机关：\t吉林省人民政府\t成文日期：\t2022年01月27日")


def test_must_not_remove_body_lines():
    body = [
        "他笑了。",
        "“我们会继续努力。”他说。",
        "1. 加强基础设施建设；",
        "新华社北京3月5日电 国务院总理在政府工作报告中说，今年发展主要预期目标是增长5%左右。",
        "专家推荐市民选择公共交通出行，并分享了几条实用建议。",
    ]
    meta = read_article_metadata(body)
    assert meta.lines == body and not meta.removed
