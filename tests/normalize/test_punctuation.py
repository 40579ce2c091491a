"""Table tests: before → after for the punctuation normaliser, must-not-change cases included."""

from __future__ import annotations

import pytest

from corpuskit.normalize.changes import Changes
from corpuskit.normalize.punctuation import PunctuationNormalizer

CONVERTS = [
    # half-width marks after Chinese
    ("在工信部近期公布的45个名单中,新一代信息技术", "在工信部近期公布的45个名单中，新一代信息技术"),
    ("形成协同效应,进而降低成本;而数字产业集群", "形成协同效应，进而降低成本；而数字产业集群"),
    ("注册时间: 2007-11-29 16:00", "注册时间：2007-11-29 16:00"),
    ("你知道吗?我不知道!", "你知道吗？我不知道！"),
    ("这是中文.", "这是中文。"),
    # after a number or a Latin word, inside a Chinese clause
    ("同比增长17.2%,带动全市", "同比增长17.2%，带动全市"),
    ("包揽视频监控产品DVR,摄像机等", "包揽视频监控产品DVR，摄像机等"),
    ("我们使用AI!", "我们使用AI！"),
    ("苹果公司发布了iPhone.", "苹果公司发布了iPhone。"),
    ("详见http://www.example.com/a.html.谢谢", "详见http://www.example.com/a.html。谢谢"),
    ("联系邮箱:news@example.com.cn,电话:010-12345678", "联系邮箱：news@example.com.cn，电话：010-12345678"),
    ("访问https://www.example.com/path?a=1&b=2,查看", "访问https://www.example.com/path?a=1&b=2，查看"),
    # brackets
    ("在中国声谷(合肥智能语音集群)展厅内", "在中国声谷（合肥智能语音集群）展厅内"),
    ("在线时间: 19932(小时)", "在线时间：19932（小时）"),
    ("苹果公司(Apple Inc.)发布", "苹果公司（Apple Inc.）发布"),
    ("(1)加强管理", "（1）加强管理"),
    ("[数码讨论]我国数字产业集群加速成长", "【数码讨论】我国数字产业集群加速成长"),
    ("本报北京电（记者杨昊)记者近日", "本报北京电（记者杨昊）记者近日"),
    # quotes: straight quotes alternate open/close per paragraph
    ('一款"能听会动"的鼠标', "一款“能听会动”的鼠标"),
    ("他说'好',她说'不好'", "他说‘好’，她说‘不好’"),
    ('"第一段的引用,没有结束', "“第一段的引用，没有结束"),
    ("他说”你好”", "他说“你好”"),
    ("「台湾」的『滑鼠』", "“台湾”的‘滑鼠’"),
    # straight pairs inside a curly quotation are quotes within a quote
    ('他说：“我们要打造"数字中国"。”', "他说：“我们要打造‘数字中国’。”"),
    ('他说：“你好"', "他说：“你好”"),  # a lone straight quote closes the curly one
    ('他说：“Hello, world."然后', "他说：“Hello, world.”然后"),
    # ellipsis and dash
    ("《歌手2024》回归......", "《歌手2024》回归……"),
    ("等等。。。", "等等……"),
    ("等等…然后", "等等……然后"),
    ("等等⋯⋯然后", "等等……然后"),
    ("我在用AI...", "我在用AI……"),
    ("北京-上海", "北京——上海"),
    ("数字经济蓬勃发展—", "数字经济蓬勃发展——"),
    ("数字产业 — 集群", "数字产业——集群"),
    # width: full-width digits, letters, ASCII symbols
    ("２０２２年１１月３０日", "2022年11月30日"),
    ("ＡＩ技术，ｘｙｚ", "AI技术，xyz"),
    ("增长５２．３％", "增长52.3%"),
    ("ＡＢＣ", "ABC"),
    # spaces next to full-width punctuation
    ("他说 “你好” 。", "他说 “你好”。"),  # a space by a curly quote may be a headline's separator
    ("（记者杨昊） 记者近日", "（记者杨昊）记者近日"),
    ("数字产业集群 , 加速成长", "数字产业集群，加速成长"),
]

UNCHANGED = [
    # numbers
    "全年营业收入1378.6亿元",
    "增长52.3%，在全球主要经济体中",
    "加工精度更要达到0.03毫米。",
    "今天16:00开始",
    "约1,000人参加",
    "比分3:2",
    # URLs and e-mail addresses
    "访问https://www.example.com/path?a=1&b=2查看",
    "邮箱：name.surname+tag@example.com.cn",
    "网址：www.example.org/index.html",
    # Latin text inside Chinese
    "荣耀新一代折叠屏手机Magic Vs正在自动化流水线上精密装配。",
    "他说：“Hello, world.”然后离开。",
    "UID: 329002",
    "Hello, world. How are you?",
    "美国U.S.经济",
    "Mr.王先生",
    "西安（Xi'an）",
    "研究表明[1]，结果如下",
    "函数f(x)的值",
    "1.加强管理",
    "Yahoo!新闻",
    # already in the convention
    "“数实融合”深入开展，数字经济蓬勃发展——",
    "“12355自护教育”“12355健康守护行动”等",
    "语音识别与人工智能、视觉识别与核心算法……伴随着",
    "”上一段开始的引用到此结束。“新的引用”",
    "“这段引用在下一段继续",
    "3～5天",  # the full-width wave dash of ranges stays
    "数字产业集聚成“群” 增添发展新动能",
    # no CJK: Latin paragraphs keep their half-width punctuation
    'He said "hello", then left...',
    "（1）Hello, world.",
]


@pytest.fixture(scope="module")
def punct() -> PunctuationNormalizer:
    return PunctuationNormalizer()


@pytest.mark.parametrize(("before", "after"), CONVERTS)
def test_converts(punct, before, after):
    assert punct(before) == after
    assert punct(after) == after  # idempotent


@pytest.mark.parametrize("text", UNCHANGED)
def test_must_not_change(punct, text):
    assert punct(text) == text


def test_paragraphs_are_independent(punct):
    # quote parity restarts on every line; the first paragraph's quote goes on
    text = '"第一段的引用\n"第二段的引用"'
    assert punct(text) == "“第一段的引用\n“第二段的引用”"


def test_corner_quotes_kept_for_traditional_target():
    assert PunctuationNormalizer(corner_quotes=False)("「臺灣」") == "「臺灣」"


def test_changes_are_counted(punct):
    changes = Changes()
    punct.apply('名单中,新一代"信息"技术...２０２２', changes)
    assert changes.counts == {"fullwidth_alnum": 4, "punctuation_width": 1, "ellipsis": 1, "quotes": 2}


def test_unchanged_text_logs_nothing(punct):
    changes = Changes()
    punct.apply("“数实融合”深入开展，数字经济蓬勃发展——", changes)
    assert not changes
