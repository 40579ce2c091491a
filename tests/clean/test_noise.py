"""Portal and forum noise removal (clean/noise.py, clean/rules_noise.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.clean.metadata import extract_metadata
from corpuskit.clean.noise import strip_noise
from corpuskit.read.kinds import detect_kind
from corpuskit.record import Record, Source


def _clean(text: str, kind: str | None = None) -> Record:
    rec = Record(id="t", text=text, sources=[Source("t.txt", "0", kind or detect_kind(text))])
    strip_noise(rec)
    extract_metadata(rec)
    return rec


def _removed(rec: Record) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in rec.actions:
        counts[a.rule] = counts.get(a.rule, 0) + a.count
    return counts


# ------------------------------------------------------------------ seed 002: a NetEase portal page


@pytest.fixture(scope="module")
def portal(raw_dir):
    raw = (raw_dir / "002_ccf3e271ef559aa7.txt").read_text(encoding="utf-8")
    return raw, _clean(raw)


def test_portal_keeps_every_article_paragraph(portal):
    raw, rec = portal
    lines = raw.split("\n")
    start = lines.index("在工信部近期公布的45个国家先进制造业集群名单中,新一代信息技术领域多个产业集群上榜,包括深圳新一代信息通信集群、无锡物联网集群、合肥智能语音集群、杭州数字安防集群等。")
    end = next(i for i, ln in enumerate(lines) if ln.startswith("(文/"))
    article = [ln for ln in lines[start:end] if ln.strip()]
    kept = [ln for ln in rec.text.split("\n") if ln.strip()]
    assert kept == article  # every paragraph and subheading, in order, nothing else


def test_portal_furniture_is_gone_and_logged(portal):
    _, rec = portal
    for noise in ("网易首页", "分享至", "相关推荐", "热点推荐", "小娱乐悠悠", "2024-04-16 13:37:33", "头条要闻", "财经要闻",
                  "态度原创", "无障碍浏览", "进入关怀版", "柳岩", "文/经济参考报"):
        assert noise not in rec.text, noise
    assert not re.search(r"^\d+$", rec.text, re.M)  # the share counter
    removed = _removed(rec)
    for rule in ("portal_breadcrumb", "portal_share_widget", "portal_share_counter", "portal_recommendation_block",
                 "portal_channel_block", "portal_accessibility", "headline_title", "byline_slash"):
        assert removed.get(rule), rule
    assert removed["portal_recommendation_block"] >= 80  # 20 title/source/time triplets


def test_portal_metadata(portal):
    _, rec = portal
    assert rec.title == "数字产业集聚成“群” 增添发展新动能"
    assert (rec.author, rec.publication) == ("郭倩", "经济参考报")


def test_every_removed_line_is_accounted_for(portal):
    raw, rec = portal
    raw_lines = [ln.strip() for ln in raw.split("\n") if ln.strip()]
    kept = [ln.strip() for ln in rec.text.split("\n") if ln.strip()]
    clean_counts = sum(a.count for a in rec.actions if a.stage == "clean" and a.rule != "metadata_filled")
    assert clean_counts == len(raw_lines) - len(kept)


# ------------------------------------------------------------------ seed 004: a PHPWind forum repost


@pytest.fixture(scope="module")
def forum(raw_dir):
    raw = (raw_dir / "004_a009cad1d32a8103.txt").read_text(encoding="utf-8")
    return raw, _clean(raw)


def test_forum_body_is_the_post_alone(forum):
    raw, rec = forum
    assert rec.sources[0].kind == "forum"
    body = [ln.strip() for ln in rec.text.split("\n") if ln.strip()]
    assert body[0].startswith("江淮腹地,“中国声谷”。")
    assert body[-1].endswith("实现数据要素红利向产业发展势能的充分转化。")
    raw_body = [ln.strip() for ln in raw.split("\n")[42:101] if ln.strip()]
    assert body == raw_body  # all of the reposted article, mid-article start included


def test_forum_furniture_is_gone(forum):
    _, rec = forum
    for noise in ("切换到宽版", "阅读", "回复", "复制链接", "上一主题", "UID", "精华", "金币", "在线时间", "注册时间",
                  "最后登录", "只看楼主", "发表于", "本帖被", "山庄提示", "快速回复", "字节", "灌水", "上一个"):
        assert noise not in rec.text, noise
    removed = _removed(rec)
    for rule in ("forum_navigation", "forum_counter", "forum_profile", "forum_post_header", "forum_moderator_note",
                 "forum_prompt", "forum_reply_box", "forum_copy_link", "headline_board_tag"):
        assert removed.get(rule), rule


def test_forum_title_and_date(forum):
    _, rec = forum
    assert rec.title == "我国数字产业集群加速成长"
    assert rec.section == "数码讨论"
    assert rec.date == "2022-11-30"


# ------------------------------------------------------------------ pages never seen: other portals, other forums

UNSEEN_PORTAL = """当前位置：首页 > 财经频道 > 滚动新闻
央行宣布下调存款准备金率
2023年12月05日 09:30　来源：某某日报
分享到：微信 微博 QQ空间
128
中国人民银行12月5日宣布，决定于12月15日下调金融机构存款准备金率0.25个百分点，此次降准共计释放长期资金约5000亿元。
央行有关负责人表示，此次降准是为了巩固经济回升向好基础，保持流动性合理充裕。
“这是今年第二次降准。”一位分析师说。
责任编辑：王某
猜你喜欢
某地发布暴雨预警 市民出行注意安全
某某新闻
2023-12-05 08:12:00
新能源汽车销量再创新高
某某财经
2023-12-05 07:40:10
- 首页
- 新闻
- 体育
- 娱乐
- 财经
原文链接：https://www.example.com/news/2023/1205.html
【纠错】 【打印】 【关闭窗口】
返回某某网，查看更多
网友评论仅供其表达个人看法，并不表明本站立场。
我要评论
关于我们 | 联系我们 | 广告服务 | 网站地图
Copyright © 2003-2023 某某网 版权所有
京ICP备12345678号"""


def test_unseen_portal_page():
    rec = _clean(UNSEEN_PORTAL, kind="portal")
    body = [ln for ln in rec.text.split("\n") if ln.strip()]
    assert body == [
        "中国人民银行12月5日宣布，决定于12月15日下调金融机构存款准备金率0.25个百分点，此次降准共计释放长期资金约5000亿元。",
        "央行有关负责人表示，此次降准是为了巩固经济回升向好基础，保持流动性合理充裕。",
        "“这是今年第二次降准。”一位分析师说。",
    ]
    assert rec.title == "央行宣布下调存款准备金率"
    assert rec.publication == "某某日报" and rec.date == "2023-12-05T09:30"
    removed = _removed(rec)
    for rule in ("portal_breadcrumb", "portal_share_widget", "portal_share_counter", "portal_recommendation_block",
                 "portal_footer", "byline_meta_line", "portal_url_line", "portal_more_link", "portal_comment_box"):
        assert removed.get(rule), rule


UNSEEN_FORUM = """论坛首页 › 数码 › 手机
查看: 2048|回复: 12
【求助】新买的手机续航怎么样？
离线 abc123
UID: 88
积分
120
威望
5
注册时间: 2015-3-1
只看该作者 楼主 发表于 2023-6-1 10:00:00
本帖最后由 abc123 于 2023-6-1 10:05 编辑
刚买了一台新手机，用了三天，感觉续航比宣传的差一些。
大家有没有同样的感受？有什么省电的办法吗？
论坛提示：回帖请遵守版规
您需要登录后才可以回帖 登录 | 立即注册
沙发
离线 def456
发表于 2023-6-1 10:30:00
关掉后台刷新试试。"""


def test_unseen_forum_thread():
    rec = _clean(UNSEEN_FORUM)
    assert rec.sources[0].kind == "forum"
    assert [ln for ln in rec.text.split("\n") if ln.strip()] == [
        "刚买了一台新手机，用了三天，感觉续航比宣传的差一些。",
        "大家有没有同样的感受？有什么省电的办法吗？",
    ]
    assert rec.title == "新买的手机续航怎么样？" and rec.section == "求助"
    assert rec.date == "2023-06-01T10:00:00"
    assert _removed(rec).get("forum_moderator_note") == 1


# ------------------------------------------------------------------ must not remove

MUST_KEEP = [
    "他笑了。",
    "“我们会继续努力。”他说。",
    "“这不是结束，”她说，“而是开始。”",
    "1. 加强基础设施建设；",
    "2. 推动产业数字化转型。",
    "- 一是加快建设全国一体化算力网络；",
    "新华社北京3月5日电 国务院总理在政府工作报告中说，今年发展主要预期目标是增长5%左右。",
    "2023年3月5日",
    "专家推荐市民选择公共交通出行。",
    "他在会上分享了自己的创业经验。",
    "分享经济正在改变人们的生活方式。",
    "推荐理由：价格实惠，质量可靠。",
    "相关部门表示，将进一步加强监管。",
    "热点问题逐一得到回应。",
    "评论员文章指出，发展是第一要务。",
    "数据显示，阅读量超过10万的文章占比不足1%。",
    "这并不代表政府立场。",
    "市民可扫描二维码预约挂号。",
    "打开新闻联播，听听今天的消息。",
]


@pytest.mark.parametrize("kind", ["portal", "article", "html", "forum"])
def test_real_short_lines_are_kept(kind):
    text = "\n".join(
        ["中国人民银行12月5日宣布，决定于12月15日下调金融机构存款准备金率0.25个百分点，此次降准共计释放长期资金约5000亿元。"]
        + MUST_KEEP
    )
    rec = Record(id="t", text=text, sources=[Source("t.txt", "0", kind)])
    strip_noise(rec)
    assert rec.text == text
    assert not rec.actions


def test_article_continues_after_a_recommendation_block():
    # a block of links inside the page ends where running text starts again
    text = "\n".join([
        "中国人民银行12月5日宣布，决定于12月15日下调金融机构存款准备金率0.25个百分点，此次降准共计释放长期资金约5000亿元。",
        "相关阅读",
        "央行：保持流动性合理充裕",
        "某某财经",
        "2023-12-05 08:12:00",
        "央行有关负责人表示，此次降准是为了巩固经济回升向好基础，保持流动性合理充裕，为经济回升创造良好环境。",
    ])
    rec = Record(id="t", text=text, sources=[Source("t.txt", "0", "portal")])
    strip_noise(rec)
    assert rec.text.split("\n") == [text.split("\n")[0], text.split("\n")[-1]]


def test_a_short_list_inside_the_article_is_not_a_menu():
    first = "中国人民银行12月5日宣布，决定于12月15日下调金融机构存款准备金率0.25个百分点，此次降准共计释放长期资金约5000亿元。"
    last = "央行有关负责人表示，此次降准是为了巩固经济回升向好基础，保持流动性合理充裕，为经济回升创造良好环境。"
    items = ["- 工商银行", "- 农业银行", "- 中国银行", "- 建设银行"]
    rec = Record(id="t", text="\n".join([first, *items, last, *["- 体育", "- 财经", "- 娱乐", "- 科技"]]),
                 sources=[Source("t", "0", "portal")])
    strip_noise(rec)
    assert rec.text.split("\n") == [first, *items, last]  # the menu after the article goes, the list stays
    assert _removed(rec) == {"portal_nav_list": 4}


def test_duplicated_paragraph_is_kept_once():
    para = "中国人民银行12月5日宣布，决定于12月15日下调金融机构存款准备金率0.25个百分点。"
    rec = Record(id="t", text=f"{para}\n另一段正文，内容不同，也足够长，足够长足够长。\n{para}", sources=[Source("t", "0", "html")])
    strip_noise(rec)
    assert rec.text.count(para) == 1 and _removed(rec) == {"duplicate_paragraph": 1}


def test_newspaper_pages_keep_their_layout():
    text = "本报北京电（记者杨昊） 记者近\n日从共青团中央获悉\n\n\n网络平台小程序"
    rec = Record(id="t", text=text, sources=[Source("t", "0", "newspaper_page")])
    strip_noise(rec)
    assert rec.text == text


_BODY = st.sampled_from([
    "中国人民银行12月5日宣布，决定于12月15日下调金融机构存款准备金率0.25个百分点，此次降准共计释放长期资金约5000亿元。",
    "央行有关负责人表示，此次降准是为了巩固经济回升向好基础，保持流动性合理充裕，为经济回升创造良好环境。",
    "记者在采访中了解到，我国一批具有国际竞争力的数字产业集群正加速成长，为经济稳增长促转型提供有力支撑。",
])
_NOISE = st.sampled_from([
    "网易首页 > 网易安徽 > 正文", "分享至", "0", "相关推荐", "热点推荐", "某某新闻", "2024-04-16 13:37:33", "头条要闻",
    "无障碍浏览 进入关怀版", "Copyright © 2024 某某网 版权所有", "", "- 体育",
])


@given(st.lists(st.one_of(_BODY, _NOISE), min_size=1, max_size=40))
@settings(max_examples=200, deadline=None)
def test_output_lines_come_from_the_input_and_body_paragraphs_survive(lines):
    # property: noise removal only deletes whole lines, never a paragraph of running text
    rec = Record(id="t", text="\n".join(lines), sources=[Source("t", "0", "portal")])
    strip_noise(rec)
    out = [ln for ln in rec.text.split("\n") if ln.strip()]
    assert all(ln in lines for ln in out)
    bodies = [ln for ln in lines if len(ln) > 40]
    assert [ln for ln in out if len(ln) > 40] == list(dict.fromkeys(bodies))  # each body paragraph once, in order


# ------------------------------------------------------------------ real portal pages (gne/)

PORTAL_FURNITURE = re.compile(
    r"违法和不良信息举报|我要跟帖|我要评论|网友评论仅供|关注公众号|扫一扫|本文来自.{0,10}APP|关键词\s*>>|^- (?:推荐|体育|财经|娱乐)$|"
    r"^(?:相关推荐|热门推荐|猜你喜欢|延伸 · 推荐)$|Copyright|ICP备|^字号$|^首页$|^分享至$",
    re.M,
)


def test_real_portal_pages_lose_their_furniture(realdata):
    from corpuskit.clean.html import extract_html
    from corpuskit.read.decode import decode_bytes

    pages = sorted((realdata / "gne").glob("*.html"))
    assert pages
    for page in pages:
        html = decode_bytes(page.read_bytes(), page.name).text
        rec = Record(id="t", text=html, sources=[Source(page.name, "0", "html")])
        extract_html(rec)
        strip_noise(rec)
        extract_metadata(rec)
        left = PORTAL_FURNITURE.findall(rec.text)
        assert not left, (page.name, left)
        assert len(rec.text) > 150, page.name
        assert rec.title, page.name


@pytest.mark.parametrize("footer", ["关于我们 | 联系我们 | 广告服务 | 网站地图", "关于我们丨隐私政策丨用户协议", "About Us / 联系我们 / 招聘信息"])
def test_footer_link_row_is_removed(footer):
    """A row of site links at the foot of a portal page (no copyright line in it) is furniture."""
    text = "央行宣布下调存款准备金率\n此次降准共计释放长期资金约5000亿元，为今年第二次降准。\n" + footer
    rec = _clean(text, kind="portal")
    assert footer not in rec.text and "第二次降准" in rec.text
    assert _removed(rec).get("portal_footer")
