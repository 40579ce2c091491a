"""parse_byline's gates (a search for the strings a rule needs, shared between rules
that need the same strings; for rules that start narrowly, one test of the line's
first character for all of them) only skip rules that cannot match: the answers are
those of trying every rule on every line."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpuskit.clean import metadata

_PIECES = ["本报记者", "记者", "通讯员", " ", "\u3000", "金 晨", "杨俊峰", "北京报道", "文/", "（", "）", "(", ")", "责任编辑：",
           "来源：", "经济参考报", "海外网", "作者：", "原创：", "——编  者", "2022-11-30 10:23", "新华社北京11月30日电", "。", "，",
           "数字产业集群加速成长", "编", "审核：", "校对 李铭"]
_LINES = st.lists(st.sampled_from(_PIECES), max_size=7).map("".join)


@pytest.fixture
def ungated(monkeypatch):
    """parse_byline trying every rule on every line (no gate at all)."""

    def parse(line: str):
        with monkeypatch.context() as m:
            m.setattr(metadata, "_BYLINE_RULE_GATES", [(rule, pattern, None) for rule, pattern in metadata._BYLINE_RULES])
            m.setattr(metadata, "_NARROW_START", re.compile(""))  # (every line may start any rule)
            return metadata.parse_byline(line)

    return parse


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_LINES)
def test_gated_rules_answer_as_every_rule_tried(ungated, line):
    assert metadata.parse_byline(line) == ungated(line)


def test_real_lines_answer_as_every_rule_tried(ungated, realdata):
    lines = [ln for page in sorted((realdata / "cwce").rglob("*.txt"))
             for ln in page.read_text(encoding="utf-8", errors="replace").split("\n") if ln.strip()]
    assert len(lines) > 100
    assert [metadata.parse_byline(ln) for ln in lines] == [ungated(ln) for ln in lines]


def test_the_shared_search_is_one_pattern():
    gates = [needs for _, _, needs in metadata._BYLINE_RULE_GATES if needs is not None]
    assert len({id(g) for g in gates}) < len(gates)  # dateline and reporter bylines need the same strings


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="编校对审监制作摄本报记者金晨 ：:", max_size=20))
def test_the_editor_marks_test_is_the_editor_hint_search(line):
    # may_name_editor's substring tests say what the regex search of the same marks says
    assert metadata.may_name_editor(line) == (metadata._EDITOR_HINT.search(line) is not None)


def test_the_narrow_start_holds_the_first_characters_of_the_narrow_rules():
    for rule, pattern, needs in metadata._BYLINE_RULE_GATES:
        if needs is None:
            for line in ("（责编：赵欣悦、杨曦）", "文/本报记者 张三", "来源：经济参考报", "作者：张三", "原创：张三", "——编  者", "责任编辑：张三"):
                if pattern.match(line):
                    assert metadata._NARROW_START.match(line), (rule, line)
    assert not metadata._NARROW_START.match("数字产业集群加速成长")
