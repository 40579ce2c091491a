"""Guess what kind of page a plain-text document was scraped from.

The kind steers the cleaners (forum rules only run on forum posts, line
joining only where lines were wrapped) and is recorded in each source.  The
signals are structural patterns of portal pages, forum software and PDF
extraction, not phrases of particular documents.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

# "首页 > 频道 > 正文" style breadcrumbs: short items separated by > or »
BREADCRUMB = re.compile(r"^\s*\S{1,12}(?:\s*[>»›]\s*\S{1,12}){2,}\s*$", re.M)
# Share/recommend widgets of portals: a bare counter then a share prompt
PORTAL_WIDGET_WORDS = ("分享至", "分享到", "相关推荐", "热点推荐", "热门推荐", "猜你喜欢", "责任编辑")
PORTAL_WIDGET = re.compile(rf"^\s*(?:{'|'.join(PORTAL_WIDGET_WORDS)})[:：\s]*", re.M)
# Discuz/PHPWind post furniture: user id, post header, floor labels
FORUM_MARKERS = re.compile(
    r"^\s*(?:UID[:：]|注册时间[:：]|最后登录[:：]|在线时间[:：]|只看楼主|快速回复|发表于[:：]?|楼主\b|\d+\s*楼\b|"
    r"(?:本帖|该帖)(?:最后)?被.{0,20}(?:编辑|操作))",
    re.M,
)
HTML_START = re.compile(
    r"^\ufeff?\s*(?:<!--[^>]{0,500}-->\s*){0,5}"  # saved pages often start with a comment naming the URL
    r"(?:<!doctype html|<html|<head|<body|<meta|<div|<p[ >]|<\?xml|<title|<table|<text\s+id=)",
    re.I,
)
HTML_TAG = re.compile(r"<(?:div|p|span|a|br|table|td|li|script|meta|link)\b[^>]{0,300}>", re.I)


def looks_like_html(text: str) -> bool:
    """A document that starts like HTML, or whose head is dense with tags."""
    head = text[:4000]
    return bool(HTML_START.match(head)) or len(HTML_TAG.findall(head)) >= 20


def is_wrapped_layout(lines: list[str]) -> bool:
    """True for PDF/column extractions: most non-empty lines are short, of one
    width, and end mid-sentence."""
    body = [ln for ln in map(str.strip, lines) if ln]
    if len(body) < 8:
        return False
    lengths = sorted(map(len, body))
    median = lengths[len(lengths) // 2]
    if median > 40:
        return False
    near_width = bisect_right(lengths, median + 3) - bisect_left(lengths, median - 3)  # |n - median| <= 3
    open_ended = sum(ln[-1] not in "。！？；：”」』）)!?;:" for ln in body)
    return near_width > 0.5 * len(body) and open_ended > 0.6 * len(body)


def _at_line_starts(pattern: re.Pattern) -> re.Pattern:
    """``pattern`` (``^…`` in MULTILINE mode) as ``\\n…``, to be run on ``"\\n" + text``.

    Same matches when no match of ``pattern`` ends in a newline (so none takes
    the one the next match starts with): a line start is a position after a
    newline.  But a pattern that starts with a literal lets the regex engine
    jump from newline to newline instead of trying ``^`` at every character.
    """
    assert pattern.pattern.startswith("^") and pattern.flags & re.M
    return re.compile("\n" + pattern.pattern[1:], pattern.flags)


# (PORTAL_WIDGET may end in a newline, so it cannot be rewritten this way.)
_FORUM_LINES = _at_line_starts(FORUM_MARKERS)
_BREADCRUMB_SEPARATORS = ">»›"


def _portal_widgets(head: str) -> int:
    # Every widget line holds one of the words: without one the regex need not run.
    if not any(word in head for word in PORTAL_WIDGET_WORDS):
        return 0
    return len(PORTAL_WIDGET.findall(head))


def _has_breadcrumb(head: str) -> bool:
    # A breadcrumb holds separators: without one the (backtracking) regex need not run.
    return any(sep in head for sep in _BREADCRUMB_SEPARATORS) and BREADCRUMB.search(head) is not None


def detect_kind(text: str) -> str:
    """One of html / portal / forum / newspaper_page / article."""
    return "html" if looks_like_html(text) else detect_text_kind(text)


def detect_text_kind(text: str) -> str:
    """One of portal / forum / newspaper_page / article, for a text the reader found not to
    be HTML (it asked :func:`looks_like_html` already)."""
    head = text[:20000]
    if len(_FORUM_LINES.findall("\n" + head)) >= 3:
        return "forum"
    if _has_breadcrumb(head[:2000]) or _portal_widgets(head) >= 2:
        return "portal"
    if is_wrapped_layout(head.split("\n")):
        return "newspaper_page"
    return "article"
