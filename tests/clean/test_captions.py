"""Photo captions (issue 4): recognised, moved to ``captions``, the cut paragraph joined again."""

from __future__ import annotations

import pytest

from corpuskit.clean.captions import caption_body, extract_captions, is_caption, photographer_of
from corpuskit.clean.layout import repair_layout, unify_markers
from corpuskit.record import Record, Source


@pytest.mark.parametrize(
    "line",
    [
        "图①：2023年3月14日，某公司车间里，自动导引车正在搬运半成品。",
        "图2：工人在车间组装无人机。",
        "上图：游客在景区参观。",
        "图为工人在该产业园内装配车间组装油动无人机。 赵春亮摄 （人民图片）",
        "市民在公园里晨练。 李 劼摄（人民日报）",
        "龙 巍摄（人民日报）",
        "运动员在比赛中。（新华社记者 李贺摄）",
        "村民展示新收获的茶叶。（受访者供图）",
    ],
)
def test_captions_are_recognised(line):
    assert is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        "他喜欢用手机拍摄",
        "记者在采访中了解到，该园区已入驻企业500余家。",
        "图书馆将于下月重新开放，市民可预约入馆。",
        "十四届全国人大常委会第九次会议在京举行",
        "本报记者 金 晨",
    ],
)
def test_body_lines_are_not_captions(line):
    assert not is_caption(line)


def test_photographer_and_body():
    cap = "图为扬州市少先队员正在参观。 庄文斌摄 （人民图片）"
    assert photographer_of(cap) == "庄文斌"
    assert photographer_of("龙 巍摄（人民日报）") == "龙巍"
    assert caption_body(cap) == "图为扬州市少先队员正在参观。"


def test_credit_line_under_a_caption_belongs_to_it():
    kept, caps = extract_captions(["正文一。", "图①：工人在车间里。", "李 劼摄（人民日报）", "正文二。"])
    assert kept == ["正文一。", "正文二。"]
    assert [c.text for c in caps] == ["图①：工人在车间里。 李 劼摄（人民日报）"]
    assert caps[0].before == 1 and caps[0].photographer == "李劼"


def rec(text: str) -> Record:
    return Record("t", text, sources=[Source("t.txt", "0" * 64, "article")])


ARTICLE = (
    "近年来，某市积极推进数字化转型。\n\n"
    "当地税务部门精准落实税费优惠政策，让政策红利成为市场主体发展壮大的\n\n\n\n"
    "图①：2023年3月14日，某公司车间，自动导引车正在搬运半成品。  \n李 劼摄（人民日报）\n\n"
    "图②：2023年3月16日，人们在峰会上体验数字艺术展。  \n龙 巍摄（人民日报）\n\n"
    "“助推器”。在税收政策的鼓励和支持下，多家企业纷纷落户。\n\n"
    "专家指出，数字化转型仍有很大空间。"
)


def test_captions_move_out_and_the_cut_paragraph_is_joined():
    r = rec(ARTICLE)
    unify_markers(r)
    (out,) = repair_layout(r)
    assert out.text.split("\n") == [
        "近年来，某市积极推进数字化转型。",
        "当地税务部门精准落实税费优惠政策，让政策红利成为市场主体发展壮大的“助推器”。在税收政策的鼓励和支持下，多家企业纷纷落户。",
        "专家指出，数字化转型仍有很大空间。",
    ]
    assert out.captions == [
        "图①：2023年3月14日，某公司车间，自动导引车正在搬运半成品。李劼摄（人民日报）",
        "图②：2023年3月16日，人们在峰会上体验数字艺术展。龙巍摄（人民日报）",
    ]
    rules = {a.rule: a.count for a in out.actions}
    assert rules["move_captions"] == 2 and rules["join_across_caption"] == 1


def test_caption_between_two_whole_paragraphs_joins_nothing():
    r = rec("第一段说完了。\n图为会场一角。 张三摄\n第二段开始了。")
    (out,) = repair_layout(r)
    assert out.text == "第一段说完了。\n第二段开始了。"
    assert out.captions == ["图为会场一角。张三摄"]
    assert not any(a.rule == "join_across_caption" for a in out.actions)


def test_wrapped_photo_caption_is_one_caption_even_with_a_stop_at_a_line_end():
    lines = [
        "近日，某地的科技博物馆流动展亮相运河景区，吸引了大量游客。",
        "本次流动展运用全新的科技手段和特效制作，在馆内外为观众打造",
        "丰富多彩的视听与互动体验，展览由两辆双层特装箱体车组成，行驶",
        "为车、停车为展，形成融合场景复原和互动体验的沉浸式展示空间，",
        "图为小学生正在参观。 王五摄 （人民图片）",
    ]
    body = "\n".join(
        [
            "某地近年来大力发展数字经济，积极推动产业升级，取得明显成效，",
            "全市规模以上工业企业数字化改造覆盖率超过八成，新增智能工厂",
            "三十余家，带动就业超过一万人，产业链上下游协同水平不断提高。",
        ]
    )
    r = rec(body + "\n\n" + "\n".join(lines))
    (out,) = repair_layout(r)
    assert len(out.captions) == 1 and out.captions[0].startswith("近日，某地的科技博物馆")
    assert out.captions[0].endswith("王五摄（人民图片）")
    assert "博物馆" not in out.text


def test_a_document_that_is_only_a_photo_keeps_its_caption_as_text():
    r = rec("市民在公园里晨练，享受春日阳光。 王五摄（人民图片）")
    (out,) = repair_layout(r)
    assert out.text == "市民在公园里晨练，享受春日阳光。"
    assert out.captions == ["市民在公园里晨练，享受春日阳光。王五摄（人民图片）"]
