"""The clean stage's fast paths give the answers of the plain rules they stand for."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpuskit.clean import layout

# strings made of the characters the rules look at, so that both answers occur
_BLANKY = st.text(alphabet=[" ", "\t", "\u00a0", "\u3000", "a", "\n", "中"], max_size=16)
_ROWISH = st.text(alphabet=[" ", "\t", "\u3000", "1", "2", ".", "%", "-", "+", "中", "a"], max_size=16)


@settings(max_examples=400, deadline=None)
@given(_BLANKY)
def test_split_indent_runs_is_the_indent_regex_split(text):
    assert layout.split_indent_runs(text) == layout._INDENT_RUN.split(text)


@settings(max_examples=400, deadline=None)
@given(_ROWISH)
def test_is_table_row_is_the_table_row_regex(line):
    assert layout.is_table_row(line) == (layout.TABLE_ROW.search(line) is not None)


def test_table_rows():
    assert layout.is_table_row("北京　1200　1350") and layout.is_table_row("a\tb")
    assert not layout.is_table_row("2023年12月") and not layout.is_table_row("共 12 人")


_LINEY = st.text(alphabet=[" ", "\t", "\u00a0", "\u3000", "a", "\n", "\n", "中", "\r"], max_size=14)


@settings(max_examples=400, deadline=None)
@given(_LINEY)
def test_trim_blank_lines_is_the_two_substitutions(text):
    import re

    from corpuskit.clean.noise import _trim_blank_lines

    expected = re.sub(r"(?:\n[ \t\u3000\u00a0]*)+$", "", re.sub(r"^(?:[ \t\u3000\u00a0]*\n)+", "", text))
    assert _trim_blank_lines(text) == expected


# ------------------------------------------------------------------ the line gate of layout's line tests

from corpuskit.clean import captions, metadata  # noqa: E402

_GATED = [layout.KEY_VALUE, layout._ENTRY_START, captions.CAPTION_START, layout.TABLE_ROW, captions.CREDIT_END,
          layout.LIST_ITEM, layout.DATE_LINE, metadata.BYLINE_HINT]
_SPECIALISH = st.text(
    alphabet=list("中文记者本报电讯摄图片照为：:（()）①一二第是 \t\u30001920年月日-./·●，。") + ["\u2003"], max_size=20
)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_line_a_pattern_matches_passes_the_gate(data):
    pattern = data.draw(st.sampled_from(_GATED))
    line = data.draw(st.from_regex(pattern))
    assert layout.may_be_special(line), (pattern.pattern[:40], line)


@settings(max_examples=500, deadline=None)
@given(_SPECIALISH)
def test_a_line_the_gate_rejects_fails_every_line_test(line):
    if layout.may_be_special(line.strip()) and layout.may_be_special(line):
        return
    s = line.strip()
    if not layout.may_be_special(s):
        assert not layout.is_block_start(s) and not layout.is_standalone(s) and not layout.is_byline_line(s)
    if not layout.may_be_special(line):
        assert not (layout._ENTRY_START.match(line) or layout.LIST_ITEM.match(line) or layout.KEY_VALUE.match(line)
                    or layout.DATE_LINE.match(line) or layout.is_table_row(line))


def test_the_gate_lets_running_text_skip_the_tests():
    assert not layout.may_be_special("数字产业集群加速成长，推动经济高质量发展")
    assert layout.may_be_special("本报记者 金 晨") and layout.may_be_special("①数字产业") and layout.may_be_special("2023年5月1日")


_SPACEY = st.text(alphabet=[" ", "\u3000", "\u00a0", "\u2005", "a", "1", ",", "中", "，", "“", "#", "\t"], max_size=14)


@settings(max_examples=400, deadline=None)
@given(_SPACEY)
def test_cjk_spacing_is_only_tried_where_it_can_match(text):
    if layout.CJK_SPACING.search(text):
        assert layout._CJK_BEFORE_SPACE.search(text) or layout._SPACE_BEFORE_CJK.search(text)


@settings(max_examples=400, deadline=None)
@given(_SPACEY)
def test_metadata_shortcuts_are_the_plain_tests(text):
    assert metadata.strip_heading_marker(text) == metadata._MARKDOWN_HEADING.sub("", text).strip()
    assert bool(metadata._THREE_CJK.match(text)) == (len(metadata._CJK.findall(text)) >= 3)


_LABELS = metadata._CREDIT_LABELS.split("|") + ["值班编辑", "审稿", "终审", "制作", "发布时间", "时间"]
_CREDITISH = st.builds(
    lambda date, pairs: date + " ".join(f"{label}{colon}{value}" for label, colon, value in pairs),
    st.sampled_from(["", "2022-11-30 10:23 ", "（", "时间：2023年1月2日 "]),
    st.lists(st.tuples(st.sampled_from(_LABELS), st.sampled_from(["：", ":", " "]),
                       st.sampled_from(["张三", "李 四", "新京报", "史建磊_NBJ11331", "王五）"])), min_size=1, max_size=3),
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_CREDITISH, st.from_regex(dict(metadata._BYLINE_RULES)["byline_editor"])))
def test_a_byline_naming_an_editor_passes_the_editor_hint(line):
    b = metadata.parse_byline(line)
    if b is not None and b.editor:
        assert metadata.may_name_editor(line), line


def test_editor_lines_pass_the_editor_hint():
    lines = ["时间：2023年1月2日 摄影：张三", "摄影：张三 摄像：李四", "（责编：赵欣悦、杨曦）", "编辑 刘晓阳 校对 李铭",
             "2022-11-30 10:23 来源：经济参考报 编辑：郭倩", "责任编辑：张三"]
    for line in lines:
        assert metadata.parse_byline(line).editor, line
        assert metadata.may_name_editor(line), line
    assert not metadata.may_name_editor("本报记者 金 晨")


# ------------------------------------------------------------------ column windows judged at once

_HAN_RUN = st.text(alphabet=list("中文数字产业集群发展经济ab1 （）①"), min_size=4, max_size=24)
# a line: a run of text with at most one mark inside and maybe a stop at the end (sparse
# marks, so that windows fall on both sides of the punctuation test)
_COLUMN_LINE = st.builds(
    lambda item, run, mark, at, end: (item + run[:at] + mark + run[at:] + end).strip() or "中",
    st.sampled_from(["", "", "", "", "①", "一、"]), _HAN_RUN, st.sampled_from(["", "", "", "，", "、"]),
    st.integers(0, 24), st.sampled_from(["", "", "", "。"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_COLUMN_LINE, min_size=5, max_size=60))
def test_windows_judged_at_once_are_the_windows_judged_one_by_one(texts):
    finder = layout._ColumnFinder(layout._Lines(texts))
    at_once = finder._judge_around_all()
    for i in range(len(texts)):
        lo, hi = max(0, i - layout._WINDOW), min(len(texts), i + layout._WINDOW + 1)
        assert at_once[i] == finder._judge(lo, hi), i


# ------------------------------------------------------------------ join_wrapped_lines' shortcuts

_PARAGRAPH_TEXT = st.lists(
    st.sampled_from(["数字产业", "集群发展", "经济", "推动", "建设创新", "“智造”"] * 10 + ["，", "。"] * 6 + ["ab 1", "（图）"]),
    min_size=3, max_size=40,
).map("".join)
_SPECIAL_LINE = st.sampled_from(["本报记者 金 晨", "①数字产业", "2023年5月1日", "图①：工人在作业", "李 劼摄（人民日报）", "时间：上午"])


@st.composite
def _wrapped_pages(draw):
    """A page of paragraphs cut into lines of one column width, blank lines between
    paragraphs (or scattered), some special lines among them."""
    width = draw(st.integers(8, 26))
    out = []
    for _ in range(draw(st.integers(1, 14))):
        if draw(st.booleans()) and draw(st.booleans()):
            out.append(draw(_SPECIAL_LINE))
        text = draw(_PARAGRAPH_TEXT) + draw(st.sampled_from(["。"] * 8 + ["”", "，"]))
        out.extend(text[k : k + width] for k in range(0, len(text), width))
        separator = draw(st.sampled_from(["", "", "", "", "", "　", None]))  # (None: no blank line)
        if separator is not None:
            out.append(separator)
    return "\n".join(out)


def _join_without_shortcuts(monkeypatch, text):
    with monkeypatch.context() as m:
        m.setattr(layout, "_sure_verdicts", lambda lines, *args: [None] * len(lines.texts))
        m.setattr(layout, "_JUDGE_ALL_FROM", 10**9)
        return layout.join_wrapped_lines(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_wrapped_pages())
def test_join_shortcuts_give_should_joins_answers(monkeypatch, text):
    assert layout.join_wrapped_lines(text) == _join_without_shortcuts(monkeypatch, text)


def test_join_shortcuts_on_the_seed_documents(monkeypatch, raw_dir):
    for path in sorted(raw_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert layout.join_wrapped_lines(text) == _join_without_shortcuts(monkeypatch, text), path.name
