"""The noise pass's fast paths (line-start hints, menu runs from the hinted lines)
give the answers of the plain per-line loops they replace."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpuskit.clean import noise
from corpuskit.clean import rules_noise as R
from corpuskit.clean.prefilter import as_document, hit_lines, start_hint

# lines made of what the patterns look at: bullets, digits, dates, blanks, words, full stops
_PIECES = ["- ", "• ", "* ", "●", "·", "1", "2", "9", "0", "万", "+", ".", "-", ":", "年", "月", "日", " ",
           "体育", "财经", "新闻", "。", "，", "中国经济稳中向好", "a"]
_LINE = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join).map(lambda s: s.strip(noise._WS))
_LONG = st.sampled_from(["近日，工业和信息化部公布了45个国家先进制造业集群名单，数字产业集群加速成长。" * 2])
_LINES = st.lists(st.one_of(_LINE, _LINE, st.just(""), _LONG), max_size=24)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LINES)
def test_a_start_hint_finds_every_line_its_pattern_fullmatches(lines):
    document = as_document(lines)
    for pattern in (noise._COUNTER, noise._NAV_ITEM, re.compile(R.TIMESTAMP_LINE + r"\s*")):
        hinted = set(hit_lines(start_hint(pattern.pattern), document))
        matching = {i for i, s in enumerate(lines) if pattern.fullmatch(s)}
        assert matching <= hinted, (pattern.pattern, lines)


def test_hit_lines_counts_lines_across_blank_and_first_lines():
    hint = start_hint(noise._COUNTER.pattern)
    assert hit_lines(hint, as_document(["12", "", "正文", "3万", "", ""])) == [0, 3]
    assert hit_lines(hint, as_document([])) == []


def _nav_lists_plain(lines: list[str], verdict: list[str | None]) -> None:
    """The per-line loop the fast path replaced."""
    body = [i for i, ln in enumerate(lines) if verdict[i] is None and noise._is_resume(ln)]
    inside = range(body[0], body[-1] + 1) if body else range(0)
    run: list[int] = []
    for i in range(len(lines) + 1):
        s = lines[i] if i < len(lines) else None
        if s == "":
            continue
        if s is not None and verdict[i] is None and noise._NAV_ITEM.fullmatch(s):
            run.append(i)
            continue
        if len(run) >= R.NAV_LIST_MIN_RUN and not any(k in inside for k in run):
            for k in run:
                verdict[k] = "portal_nav_list"
        run = []


_MENU_LINES = st.lists(
    st.one_of(st.sampled_from(["- 体育", "- 财经", "• 新闻", "* 科技", "", "", "正文一句"]), _LONG, _LINE), max_size=30
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MENU_LINES, st.data())
def test_menu_runs_are_those_of_the_plain_loop(lines, data):
    taken = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    verdict = ["portal_share_widget" if t and i % 3 == 0 else None for i, t in enumerate(taken)]
    fast, plain = list(verdict), list(verdict)
    noise._mark_nav_lists(lines, fast, as_document(lines))
    _nav_lists_plain(lines, plain)
    assert fast == plain


def test_a_menu_outside_the_article_goes_and_a_list_inside_stays():
    prose = "近日，工业和信息化部公布了45个国家先进制造业集群名单，数字产业集群加速成长。" * 2  # (running text: 40+ characters)
    menu = ["- 体育", "", "- 财经", "- 新闻", "", "- 科技"]
    lines = menu + [prose] + menu + [prose]
    verdict: list[str | None] = [None] * len(lines)
    noise._mark_nav_lists(lines, verdict, as_document(lines))
    assert [v for v in verdict[:6] if v] == ["portal_nav_list"] * 4
    assert not any(verdict[6:])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["", "短句", "这是一段足够长的正文，超过三十个字符，会被检查是否重复出现的内容。", "另一段足够长的正文，同样超过三十个字符，用来检查去重的快速路径。"]), max_size=12))
def test_duplicates_fast_path_marks_what_the_loop_marks(lines):
    verdict: list[str | None] = [None] * len(lines)
    noise._mark_duplicates(lines, verdict)
    seen: set[str] = set()
    expected: list[str | None] = [None] * len(lines)
    for i, s in enumerate(lines):
        if len(s) >= 30:
            if s in seen:
                expected[i] = "duplicate_paragraph"
            seen.add(s)
    assert verdict == expected


_FURNITURE = ["分享至", "网易首页 > 网易安徽 > 正文", "大 中 小", "517阅读", "【打印】 【关闭窗口】", "相关推荐", "头条要闻",
              "无障碍浏览 进入关怀版", "Copyright © 1997-2024 网易公司版权所有", "特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。",
              "近日，工业和信息化部公布了45个国家先进制造业集群名单，数字产业集群加速成长。" * 3, "", "12"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_FURNITURE), _LINE), max_size=20))
def test_one_loop_over_a_table_is_the_rule_per_line(lines):
    for table in (noise._PORTAL, noise._BLOCK_HEADER, noise._FORUM):
        found, gated = noise._rules(table, lines)
        assert found == [(i, r) for i, s in enumerate(lines) if s and (r := noise._rule(s, table))]
        assert gated == {i for i, s in enumerate(lines) if s and noise._may_be_furniture(s)}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_LINE, st.just(""), _LONG, st.sampled_from(_FURNITURE),
                          st.text(alphabet="声明本文中国经济。，a ", min_size=70, max_size=460)), max_size=20))
def test_the_furniture_gate_is_the_length_rule_written_out(lines):
    # short, or long (up to 450 characters) with a hint of long furniture; never empty
    plain = [i for i, s in enumerate(lines)
             if s and (len(s) <= 80 or (len(s) <= 450 and noise._LONG_FURNITURE_HINT.search(s)))]
    assert noise._furniture_lines(lines) == plain
    assert [i for i, s in enumerate(lines) if s and noise._may_be_furniture(s)] == plain


def test_real_lines_get_the_same_rules(realdata):
    lines = [ln.strip(noise._WS) for page in sorted((realdata / "cwce").rglob("*.txt")) for ln in page.read_text(encoding="utf-8", errors="replace").split("\n")]
    assert len(lines) > 100
    found, _ = noise._rules(noise._PORTAL, lines)
    assert found == [(i, r) for i, s in enumerate(lines) if s and (r := noise._rule(s, noise._PORTAL))]


def _after_credits_plain(lines: list[str], verdict: list[str | None], first_body: int) -> None:
    """_mark_after_credits without its early exit (no editor mark in the joined tail)."""
    from itertools import islice

    from corpuskit.clean.metadata import may_name_editor, parse_byline

    tail = list(islice((i for i in range(len(lines) - 1, first_body, -1) if lines[i]), 30))
    editor = next((i for i in tail if may_name_editor(lines[i]) and (b := parse_byline(lines[i])) is not None and b.editor), None)
    if editor is None:
        return
    for j in range(editor + 1, len(lines)):
        s = lines[j]
        if not s or verdict[j]:
            continue
        if noise._is_resume(s):
            return
        if parse_byline(s) is None:
            verdict[j] = "portal_after_credits"


_TAIL_LINES = st.lists(st.one_of(
    st.sampled_from(["责任编辑：张三", "（责编：赵欣悦、杨曦）", "编辑 刘晓阳 校对 李铭", "分享至", "12", "相关推荐", "编者按",
                     "近日，工业和信息化部公布了45个国家先进制造业集群名单，数字产业集群加速成长。" * 2, ""]), _LINE), max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TAIL_LINES, st.integers(min_value=-1, max_value=5))
def test_after_credits_marks_what_the_plain_loop_marks(lines, first_body):
    fast: list[str | None] = [None] * len(lines)
    plain: list[str | None] = [None] * len(lines)
    noise._mark_after_credits(lines, fast, first_body)
    _after_credits_plain(lines, plain, first_body)
    assert fast == plain
