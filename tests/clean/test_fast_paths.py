"""The clean stage's fast paths give the answers of the plain rules they stand for."""

from __future__ import annotations

from hypothesis import given, settings
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
