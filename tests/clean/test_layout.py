"""Layout repair (issue 4): wrapped lines, must-not-join cases, CJK spacing, paragraph markers.

These tests pin the layout step alone (``unify_markers`` / ``repair_layout`` on a
record), independent of the other cleaners.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.clean.layout import (
    join_wrapped_lines,
    remove_cjk_spacing,
    repair_layout,
    unify_markers,
)
from corpuskit.record import Record, Source


def rec(text: str, kind: str = "article") -> Record:
    return Record("t", text, sources=[Source("t.txt", "0" * 64, kind)])


def layout(text: str, kind: str = "article") -> list[str]:
    r = rec(text, kind)
    unify_markers(r)
    (out,) = repair_layout(r)
    return out.text.split("\n")


# A 16-cell newspaper column, wrapped by the extraction, with blank lines inserted
# between some lines (both happen in PDF extractions).
COLUMN = """\
近年来，各地积极推进智慧城市建设，
城市管理水平明显提升。在某市的指挥
中心，大屏幕上实时显示着全市的交通

流量、空气质量和水电供应情况，工作
人员可以随时调度处置。据介绍，该中心
已接入各类传感器二十余万个，每天处理

数据超过十亿条。
专家认为，智慧城市建设要以人为本，
既要重视技术投入，也要注重数据安全
和居民隐私保护，让数字化成果更好惠及
广大群众。"""


def test_wrapped_column_joins_into_paragraphs_across_blank_lines():
    paras = layout(COLUMN)
    assert paras == [
        "近年来，各地积极推进智慧城市建设，城市管理水平明显提升。在某市的指挥中心，大屏幕上实时显示着全市的交通"
        "流量、空气质量和水电供应情况，工作人员可以随时调度处置。据介绍，该中心已接入各类传感器二十余万个，每天处理"
        "数据超过十亿条。",
        "专家认为，智慧城市建设要以人为本，既要重视技术投入，也要注重数据安全和居民隐私保护，让数字化成果更好惠及广大群众。",
    ]


def test_join_is_logged_with_its_count():
    r = rec(COLUMN)
    repair_layout(r)
    joins = [a for a in r.actions if a.rule == "join_wrapped_lines"]
    assert joins and joins[0].stage == "layout" and joins[0].count == 9  # 7 + 4 lines → 2 paragraphs


def test_issue_examples_word_cut_at_column_end():
    # "…组成的⏎⏎具有较强…" and "显示屏⏎⏎上，" inside a wrapped column
    text = (
        "数字产业集群，即由相关企业主体和机构组成的\n\n"
        "具有较强核心竞争力的企业集群。近日，有关部门\n\n"
        "印发规划，提出培育壮大数字经济核心产业，打造\n\n"
        "设备传感器数据通过数字化平台分析后展现在显示屏\n\n"
        "上，设备状况、产品产量及质量等数据一目了然。"
    )
    (para,) = layout(text)
    assert "组成的具有较强" in para and "显示屏上，" in para


def test_sentence_end_then_new_paragraph_is_kept():
    paras = layout(COLUMN)
    assert paras[0].endswith("数据超过十亿条。") and paras[1].startswith("专家认为")


def test_paragraph_per_line_text_is_left_alone():
    text = "第一段讲了一件事情，说得很清楚。\n\n第二段讲另一件事。\n第三段很短"
    assert layout(text) == ["第一段讲了一件事情，说得很清楚。", "第二段讲另一件事。", "第三段很短"]


def test_paragraph_cut_mid_sentence_is_joined_in_unwrapped_text():
    text = (
        "会上，多位专家围绕数字经济发展的新趋势作了发言。他们认为，数据要素正在成为推动\n\n"
        "产业升级的重要力量。\n"
        "在某超市门店，\n\n"
        "可以看到货架上整齐摆放着各式各样的商品。"
    )
    assert layout(text) == [
        "会上，多位专家围绕数字经济发展的新趋势作了发言。他们认为，数据要素正在成为推动产业升级的重要力量。",
        "在某超市门店，可以看到货架上整齐摆放着各式各样的商品。",
    ]


# --------------------------------------------------------------------------- must not join


def test_short_headings_inside_a_wrapped_column_stay_paragraphs():
    text = COLUMN.replace("专家认为", "以人为本推进建设\n专家认为")
    paras = layout(text)
    assert "以人为本推进建设" in paras
    assert any(p.startswith("专家认为") for p in paras)


def test_headline_above_a_section_heading_stays_two_paragraphs():
    text = COLUMN + "\n\n全市智慧城市平台正式上线运行\n\n管理更精细\n\n" + COLUMN
    paras = layout(text)
    i = paras.index("全市智慧城市平台正式上线运行")
    assert paras[i + 1] == "管理更精细"


def test_lists_are_not_joined():
    text = (
        "会议提出以下几点要求，各单位要认真落实：\n"
        "一是加强组织领导，\n"
        "二是完善工作机制，\n"
        "三是强化督促检查。\n"
        "1. 建立台账\n"
        "2. 明确责任人\n"
        "（3）按月报送进展"
    )
    paras = layout(text)
    assert paras == [
        "会议提出以下几点要求，各单位要认真落实：",
        "一是加强组织领导，",
        "二是完善工作机制，",
        "三是强化督促检查。",
        "1.建立台账",
        "2.明确责任人",
        "（3）按月报送进展",
    ]


def test_list_inside_a_wrapped_column_breaks_before_each_item():
    text = COLUMN.replace("专家认为，", "主要做法有：\n一是统一平台标准，\n二是打通数据壁垒，\n专家认为，")
    paras = layout(text)
    assert "一是统一平台标准，" in paras and "二是打通数据壁垒，" in paras


def test_datelines_are_not_joined():
    text = COLUMN + "\n2023年3月5日\n" + COLUMN + "\n（2023年3月6日 星期一）"
    paras = layout(text)
    assert "2023年3月5日" in paras and "（2023年3月6日星期一）" in paras
    assert paras[-1] == "（2023年3月6日星期一）"


def test_verse_is_not_joined():
    text = "他在信的末尾写道：\n床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。"
    assert layout(text) == ["他在信的末尾写道：", "床前明月光，", "疑是地上霜。", "举头望明月，", "低头思故乡。"]


def test_table_of_numbers_is_not_joined_and_keeps_its_spacing():
    table = "地区  2021年  2022年\n北京  1200  1350\n上海  1500  1620\n广州  980  1010"
    text = COLUMN + "\n" + table
    paras = layout(text)
    assert paras[-4:] == table.split("\n")


def test_schedule_lines_are_not_joined():
    text = (
        "12月10日 代表注册\n地  点：南开大学校内明珠园\n\n"
        "12月10日晚 院长联席会\n时  间：7:00－9:30\n地  点：办公楼一楼会议室\n"
        "主持人：年会秘书长 海闻教授\n"
    )
    paras = layout(text)
    assert len(paras) == 6


# --------------------------------------------------------------------------- spacing


def test_spacing_inside_cjk_runs_is_removed():
    assert remove_cjk_spacing("工 信 部 网 络 安 全 产 业 发 展 中 心")[0] == "工信部网络安全产业发展中心"
    assert remove_cjk_spacing("共青团 12355 青少年")[0] == "共青团12355青少年"
    assert remove_cjk_spacing("1.61 亿 户 ， 占 移 动 网")[0] == "1.61亿户，占移动网"
    assert remove_cjk_spacing("依托上海移动的 5G 网络")[0] == "依托上海移动的5G网络"
    assert remove_cjk_spacing("——编  者  ")[0] == "——编者"


def test_spacing_between_latin_words_and_inside_numbers_stays():
    assert remove_cjk_spacing("折叠屏手机 Magic Vs 正在装配")[0] == "折叠屏手机Magic Vs正在装配"
    assert remove_cjk_spacing("人口 1 000 万")[0] == "人口1 000万"
    assert remove_cjk_spacing("Hello,  world")[0] == "Hello, world"


def test_spacing_removal_is_logged():
    r = rec("共青团 12355 青少年网络服务平台启动。")
    repair_layout(r)
    assert r.text == "共青团12355青少年网络服务平台启动。"
    assert any(a.rule == "remove_cjk_spacing" and a.count == 2 for a in r.actions)


# --------------------------------------------------------------------------- markers


def test_fullwidth_indents_become_paragraph_lines():
    r = rec("标题在前面\u3000\u3000第一段正文。\u3000\u3000第二段正文。\u3000\u3000\u3000\u3000第三段正文。")
    unify_markers(r)
    assert [ln for ln in r.text.split("\n") if ln] == ["标题在前面", "第一段正文。", "第二段正文。", "第三段正文。"]
    (out,) = repair_layout(r)
    assert out.text.split("\n") == ["标题在前面", "第一段正文。", "第二段正文。", "第三段正文。"]
    assert any(a.rule == "fullwidth_indent_paragraphs" for a in r.actions)


def test_markdown_headings_become_heading_paragraphs():
    text = "# 数字产业集群加速成长\n\n本报记者 张三\n\n正文第一段。\n\n## 激发创新活力\n\n正文第二段。"
    r = rec(text)
    unify_markers(r)
    assert "#" not in r.text
    (out,) = repair_layout(r)
    assert out.text.split("\n") == ["数字产业集群加速成长", "本报记者张三", "正文第一段。", "激发创新活力", "正文第二段。"]
    assert any(a.rule == "markdown_heading" and a.count == 2 for a in r.actions)


def test_output_convention_one_paragraph_per_line_no_blank_lines():
    for text in (COLUMN, "一段。\n\n\n\n两段。\n   \n三段。"):
        out = layout(text)
        assert all(p and p == p.strip() for p in out)


def test_idempotent_on_its_own_output():
    once = "\n".join(layout(COLUMN))
    assert "\n".join(layout(once)) == once


# --------------------------------------------------------------------------- properties

_CJK_LINE = st.text(alphabet="数字产业集群发展建设的了在和，。、；：“”（）！？ 12AB", min_size=1, max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_CJK_LINE, st.just("")), min_size=1, max_size=25))
def test_joining_never_loses_or_invents_characters(lines):
    text = "\n".join(lines)
    paras, _ = join_wrapped_lines(text)
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert squash("".join(paras)) == squash(text)
    assert all("\n" not in p for p in paras)


@settings(max_examples=200, deadline=None)
@given(_CJK_LINE)
def test_spacing_removal_only_removes_blanks(line):
    new, _ = remove_cjk_spacing(line)
    assert re.sub(r"\s+", "", new) == re.sub(r"\s+", "", line)


def test_parallel_verse_lines_of_one_width_are_not_joined():
    # classical parallel prose: one width, every line closed by punctuation
    text = (
        "古人有言曰：\n"
        "是故才尽者身危，好名者得华；\n"
        "有群者累生，孤贵者失和；\n"
        "遗馀者不匮，自尽者无多；\n"
        "圣人之道，一龙一蛇。"
    )
    assert layout(text) == text.split("\n")


def test_blank_lines_that_mark_paragraphs_are_followed():
    # a column wrapped at 14 cells, paragraphs separated by blank lines: a
    # sentence may end at a line end inside a paragraph, a title has no stop
    title = "智慧城市建设提速"
    p1 = "近年来，各地积极推进智慧城市建设。城市管理水平明显提升，群众办事更加便利。"
    p2 = "专家认为，智慧城市建设要以人为本。既要重视技术投入，也要注重数据安全和隐私保护。"
    p3 = "下一步，该市将继续完善城市大脑平台，推动更多公共服务接入，让数字化成果惠及更多群众。"

    def wrap(p: str) -> str:
        return "\n".join(p[i : i + 14] for i in range(0, len(p), 14))

    text = "\n\n".join(wrap(p) for p in (title, p1, p2, p3))
    assert layout(text) == [title, p1, p2, p3]


def test_fullwidth_spaces_aligning_a_table_are_not_paragraph_marks():
    r = rec("各地数据如下。\n地区\u3000\u30002021年\u3000\u30002022年\n北京\u3000\u30001200\u3000\u30001350")
    unify_markers(r)
    assert r.text.split("\n")[1] == "地区\u3000\u30002021年\u3000\u30002022年"
    assert not any(a.rule == "fullwidth_indent_paragraphs" for a in r.actions)


def test_real_pages_lose_nothing_and_are_rarely_joined(realdata):
    """The hand-made gold texts of real pages (lists, schedules, infoboxes, some
    hard wraps): layout repair keeps every character and joins few lines."""
    lines_total = joins_total = 0
    for path in sorted((realdata / "cwce" / "cleaned").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        r = rec(text)
        unify_markers(r)
        parts = repair_layout(r)
        squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
        kept = "".join(p.text + "".join(p.captions) for p in parts)
        assert sorted(squash(kept)) == sorted(squash(text)), path.name
        lines_total += sum(1 for ln in text.split("\n") if ln.strip())
        joins_total += sum(a.count for a in r.actions if a.rule == "join_wrapped_lines")
    assert lines_total > 1000
    assert joins_total < 0.03 * lines_total


_DOC_LINE = st.text(alphabet="数字产业集群发展建设的了在和图为摄，。、；：“”（）！？ 12AB\u3000", min_size=0, max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(_DOC_LINE, min_size=1, max_size=30))
def test_layout_of_an_article_keeps_every_character(lines):
    text = "\n".join(lines)
    r = rec(text)
    unify_markers(r)
    (out,) = repair_layout(r)
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    photo_only = any(a.rule == "photo_news" for a in out.actions)  # text repeats the captions
    kept = "".join(out.captions) if photo_only else out.text + "".join(out.captions)
    assert sorted(squash(kept)) == sorted(squash(text))
    assert "\n\n" not in out.text and out.text == out.text.strip()
