"""Necessary-condition tests for rule tables (clean/prefilter.py): a line the test
rejects must be a line no rule of the table can match."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpuskit.clean import rules_noise as R
from corpuskit.clean.prefilter import alphabet, could_fullmatch, required_strings

TABLES = {
    "portal": R.PORTAL_LINE_RULES,
    "block": R.PORTAL_BLOCK_HEADERS,
    "forum": R.FORUM_LINE_RULES,
}
COMPILED = {table: R.RuleTable(rules) for table, rules in TABLES.items()}
RULES = [(table, name, pattern) for table, rules in TABLES.items() for name, pattern in rules]


def _parse(pattern: str):
    from re import _parser  # type: ignore[attr-defined]

    return list(_parser.parse(pattern))


def test_required_strings_of_a_sequence_and_an_alternation():
    assert required_strings(_parse(r"(?:当前|您的)?位置[:：]\s*")) == {"位置"}
    assert required_strings(_parse(r"分享至|一键分享")) == {"分享至", "一键分享"}
    assert required_strings(_parse(r"x?\d*")) is None  # matches the empty string


def test_alphabet_is_none_for_any_character():
    assert alphabet(_parse(r"[大中小]\s*")) == {"大", "中", "小", r"\s"}
    assert alphabet(_parse(r"关注.{0,3}")) is None
    assert alphabet(_parse(r"[^。]{0,80}")) is None


def test_flags_disable_the_test():
    test = could_fullmatch([r"(?i)copyright \d+"])
    assert test("COPYRIGHT 2024") and test("中国经济")


@pytest.mark.parametrize("table", sorted(TABLES))
def test_running_text_is_rejected(table):
    # what the test is for: ordinary sentences never reach the table
    test = COMPILED[table].could_match
    prose = ["数字产业集群加速成长", "近日，工业和信息化部公布了45个国家先进制造业集群名单。", "2023年", "12345"]
    assert not any(test(line) for line in prose)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_line_of_the_tests_passes(table):
    compiled = COMPILED[table]
    samples = ["分享至", "网易首页 > 网易安徽 > 正文", "大 中 小", "517阅读", "【打印】 【关闭窗口】", "UID: 329002",
               "12 楼", "快速回复", "相关推荐", "头条要闻", "无障碍浏览 进入关怀版", "Copyright © 1997-2024 网易公司版权所有"]
    for line in samples:
        if compiled.pattern.fullmatch(line):
            assert compiled.could_match(line), line


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_a_line_a_rule_matches_is_never_rejected(data):
    table, name, pattern = data.draw(st.sampled_from(RULES))
    line = data.draw(st.from_regex(re.compile(pattern + r"\s*"), fullmatch=True))
    assert could_fullmatch([pattern], r"\s*")(line), (name, line)
    assert COMPILED[table].could_match(line), (name, line)


from corpuskit.clean import metadata  # noqa: E402
from corpuskit.clean.prefilter import required_search  # noqa: E402

_BYLINE_PATTERNS = [pattern for _, pattern in metadata._BYLINE_RULES] + [metadata._CREDIT_LABEL]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_a_line_a_byline_rule_matches_holds_a_required_string(data):
    pattern = data.draw(st.sampled_from(_BYLINE_PATTERNS))
    line = data.draw(st.from_regex(pattern))
    needs = required_search(pattern)
    assert needs is None or needs.search(line), (pattern.pattern[:40], line)


# ---- the shared "parse the pattern, find its required strings / first characters" step

from corpuskit.clean.prefilter import first_chars, pattern_first_chars, pattern_required_strings, starts_narrowly  # noqa: E402

_ALL_PATTERNS = [re.compile(p) for _, _, p in RULES] + _BYLINE_PATTERNS


@pytest.mark.parametrize("pattern", _ALL_PATTERNS, ids=lambda p: p.pattern[:30])
def test_the_shared_parse_step_is_the_analysis_of_the_parse(pattern):
    items = list(_parse_flags(pattern))
    assert pattern_required_strings(pattern) == required_strings(items)
    assert pattern_first_chars(pattern) == first_chars(items)


def _parse_flags(pattern):
    from re import _parser  # type: ignore[attr-defined]

    return _parser.parse(pattern.pattern, pattern.flags)


def test_the_shared_parse_step_knows_nothing_of_a_pattern_that_folds_case():
    folded = re.compile(r"作者\s*[:：]", re.IGNORECASE)
    assert pattern_required_strings(folded) is None
    assert pattern_first_chars(folded) == (None, True)
    assert required_search(folded) is None
    assert not starts_narrowly(folded)
    assert required_search(re.compile(r"作者\s*[:：]")).pattern == "作者"
