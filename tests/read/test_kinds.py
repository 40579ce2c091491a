"""Page-kind detection: the fast forms of the line-start patterns match what the plain patterns match."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.read import kinds
from corpuskit.read.kinds import BREADCRUMB, FORUM_MARKERS, PORTAL_WIDGET, detect_kind, is_wrapped_layout

PIECES = [
    "\n", "\n\n", " ", "  ", "\t", "：", ":", ">", " > ", "»", "›", "楼主", "UID:", "注册时间：", "发表于", "3楼", "12 楼",
    "本帖最后被管理员编辑", "只看楼主", "快速回复", "分享到", "分享至：", "责任编辑：", "猜你喜欢", "首页", "新闻", "正文",
    "数字产业集群加速成长", "。", "，", "Reply",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_forum_markers_counted_at_line_starts(text):
    assert len(kinds._FORUM_LINES.findall("\n" + text)) == len(FORUM_MARKERS.findall(text))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_breadcrumb_and_portal_prefilters_are_exact(text):
    assert kinds._has_breadcrumb(text) == (BREADCRUMB.search(text) is not None)
    assert kinds._portal_widgets(text) == len(PORTAL_WIDGET.findall(text))


def _wrapped_reference(lines: list[str]) -> bool:
    body = [ln.strip() for ln in lines if ln.strip()]
    if len(body) < 8:
        return False
    lengths = sorted(len(ln) for ln in body)
    median = lengths[len(lengths) // 2]
    if median > 40:
        return False
    near_width = sum(1 for n in lengths if abs(n - median) <= 3)
    open_ended = sum(1 for ln in body if ln[-1] not in "。！？；：”」』）)!?;:")
    return near_width > 0.5 * len(body) and open_ended > 0.6 * len(body)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="数字产业 。，a", max_size=30), max_size=20))
def test_wrapped_layout_counts(lines):
    assert is_wrapped_layout(lines) == _wrapped_reference(lines)


def test_kinds_of_typical_pages():
    forum = "只看楼主\n楼主 发表于 2022-01-01\n数字产业集群加速成长。\n2楼 发表于 2022-01-02\n回复内容。"
    assert detect_kind(forum) == "forum"
    assert detect_kind("首页 > 新闻 > 正文\n数字产业集群加速成长。") == "portal"
    assert detect_kind("数字产业集群加速成长。\n分享到：\n责任编辑：王某") == "portal"
    assert detect_kind("数字产业集群加速成长，成为推动数字中国建设的主要动能。") == "article"
    wrapped = "\n".join(["数字产业集群加速成长成为推动数字中国建"] * 9)
    assert detect_kind(wrapped) == "newspaper_page"
