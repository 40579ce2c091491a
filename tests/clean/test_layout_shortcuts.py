"""layout's shortcuts against the rules they spare: the entry test without its gate,
the photo-credit hints found with ``in``, and widths and marks measured at once."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.clean import captions, layout
from corpuskit.clean.prefilter import required_search

# lines made of what the gate, the entry patterns and the credit hints look at
_LINEY = st.text(
    alphabet=list("中文王洪斌南开大学（）()：: \u3000\t、，,。·①一二三第是首先记者本报电图摄影资料片供来源19200509")
    + ["\U0001d7ce", "\ud800", "a", "-", "*", "●", "\n"],
    max_size=30,
)


@settings(max_examples=600, deadline=None)
@given(_LINEY)
def test_entry_shape_is_is_entry_on_the_lines_the_gate_lets_through(line):
    # the gate is only a pre-test: every line the entry patterns accept passes it
    assert layout.is_entry(line) == layout._entry_shape(line)
    if layout._entry_shape(line):
        assert layout.may_be_special(line)


def test_entry_by_example():
    assert layout.is_entry("王洪斌（南开大学）") and layout.is_entry("9:50—10:10 开幕式")
    assert not layout.is_entry("数字产业集群发展迅速，成效显著。")


@settings(max_examples=600, deadline=None)
@given(_LINEY)
def test_credit_hints_are_captions_pre_test(text):
    # the hints looked for with ``in`` say what a search for CREDIT_END's required strings says
    assert captions.may_hold_credit(text) == (required_search(captions.CREDIT_END).search(text) is not None)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINEY.map(lambda s: s.replace("\n", "") or "中"), max_size=12))
def test_credit_lines_are_the_lines_that_may_hold_a_credit(texts):
    assert layout._credit_lines(texts) == [k for k, t in enumerate(texts) if captions.may_hold_credit(t)]
    # so ends_with_credit, False without a hint, is asked of every line that may say True
    assert {k for k, t in enumerate(texts) if captions.ends_with_credit(t)} <= set(layout._credit_lines(texts))


def test_credit_lines_by_example():
    texts = ["数字产业集群", "李 劼摄（人民日报）", "图为工人在作业", "拍摄于2023年，图片", "完"]
    assert layout._credit_lines(texts) == [1, 2, 3]
    assert layout._credit_lines([]) == []


# lines for widths and marks: CJK, ASCII, the marks, a full-width space, an astral
# character and a lone surrogate (one code point each, as len counts them)
_MEASURED = st.text(alphabet=list("中文ab1 ，,。、；;：:！？!?\u3000\t") + ["\U0001d7ce", "\ud800", "é"], min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MEASURED, min_size=1, max_size=40))
def test_widths_and_marks_measured_at_once_are_the_line_by_line_measures(texts):
    lines = layout._Lines(texts)
    lines._measure_at_once()
    assert lines.widths == [layout.display_width(t) for t in texts]
    assert lines.marks == [len(layout._INNER_PUNCT.findall(t)) for t in texts]
    assert lines.width_array().tolist() == lines.widths and lines.mark_array().tolist() == lines.marks
    # and the line-by-line forms used for short documents
    short = layout._Lines(texts[: layout._MEASURE_AT_ONCE_FROM - 1])
    assert short.widths == [layout.display_width(t) for t in short.texts]
    assert short.marks == [len(layout._INNER_PUNCT.findall(t)) for t in short.texts]


def test_measured_at_once_by_example():
    texts = ["数字产业，集群。", "ab 1.5", "“助推器”"] * 6
    lines = layout._Lines(texts)
    assert len(texts) >= layout._MEASURE_AT_ONCE_FROM
    assert lines.widths[:3] == [8.0, 3.0, 5.0]
    assert lines.marks[:3] == [2, 0, 0]


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=list("中文ab1  \u3000\u00a0\t.，"), max_size=30))
def test_aligned_rows_hold_the_gap_the_pre_test_looks_for(text):
    if layout._ALIGNED.search(text):
        assert layout._may_be_aligned(text)


def test_aligned_pre_test_by_example():
    assert layout._may_be_aligned("北京　　1200　　1350") and layout._ALIGNED.search("北京　　1200　　1350")
    assert not layout._may_be_aligned("共青团 12355 青少年")
    assert layout.remove_cjk_spacing("共青团 12355 青少年") == ("共青团12355青少年", 2)

