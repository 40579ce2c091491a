"""join_wrapped_lines' fast paths give the answers of its plain rules.

The plain form is written out here from the rule functions themselves: every
line's facts measured one by one (display_width, ends_sentence), every line
pair asked of should_join, every column window judged on its own, entries and
marks counted line by line.  join_wrapped_lines must return exactly what it
returns, on generated pages, the seed documents and real pages re-wrapped.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.clean import layout

# ------------------------------------------------------------------ the plain form


def _plain_lines(text: str) -> tuple[list[str], list[bool]]:
    texts, blank_before = [], []
    blank = False
    for raw in text.split("\n"):
        s = raw.strip(layout._HSPACE + "\t")
        if not s:
            blank = True
            continue
        texts.append(s)
        blank_before.append(blank)
        blank = False
    return texts, blank_before


class _PlainFinder(layout._ColumnFinder):
    """Every window judged on its own; entries and marks counted line by line."""

    def _judge_around_all(self):
        return None  # (window() then judges the window alone)

    def _entries_and_marks(self):
        if self.entries is None:
            self.entries, self.marks = [0], [0]
            for t in self.lines.texts:
                self.entries.append(self.entries[-1] + (layout._special(self.memo, t) and layout.is_entry(t)))
                self.marks.append(self.marks[-1] + len(layout._INNER_PUNCT.findall(t)))
        return self.entries, self.marks


def _plain_blank_paragraphs(open_end: list[bool], blank_before: list[bool]) -> bool:
    blanks = after_end = 0
    for i in range(1, len(open_end)):
        if blank_before[i]:
            blanks += 1
            after_end += not open_end[i - 1]
    inside = len(open_end) - 1 - blanks
    return blanks >= 2 and after_end >= 0.75 * blanks and inside >= blanks


def _join_plainly(text: str) -> tuple[list[str], int]:
    texts, blank_before = _plain_lines(text)
    if not texts:
        return [], 0
    lines = layout._Lines(texts, blank_before)
    lines.widths = [layout.display_width(t) for t in texts]
    lines.open_end = [not layout.ends_sentence(t) for t in texts]
    memo: dict = {}
    finder = _PlainFinder(lines, memo)
    blank_paragraphs = _plain_blank_paragraphs(lines.open_end, blank_before)
    paragraphs = [layout._Paragraph(texts[0])]
    starts = [0]
    joins = 0
    for i in range(1, len(texts)):
        gap = blank_before[i] if blank_paragraphs else None
        after = texts[i + 1] if i + 1 < len(texts) else None
        join = layout.should_join(
            texts[i - 1], paragraphs[-1], texts[i], lines.widths[i - 1], lines.widths[i],
            finder.lazy(i - 1), starts[-1] == i - 1, after, memo, gap,
        )
        if join:
            paragraphs[-1].add(texts[i])
            joins += 1
        else:
            paragraphs.append(layout._Paragraph(texts[i]))
            starts.append(i)
        if layout.ends_with_credit(texts[i]) and not layout._CAPTION_LABEL.match(paragraphs[-1].pieces[0]):
            joins += layout._gather_caption(lines, paragraphs, starts)
    return [p.text() for p in paragraphs], joins


# ------------------------------------------------------------------ line facts

# the characters the line facts look at: blanks (and the '-' the blank set holds),
# stops, closers, full stops after digits and letters, odd whitespace, ASCII
_FACTY = st.text(
    alphabet=[" ", "\t", "\u00a0", "\u3000", "\u2003", "\u2002", "-", "\r", "\n", "\n", "中", "文", "a", "1",
              ".", "。", "！", "…", "”", "）", ")", "'", "，", "图", "摄"],
    max_size=30,
)


@settings(max_examples=500, deadline=None)
@given(_FACTY)
def test_line_facts_are_the_plain_measures(text):
    lines = layout._Lines.of(text)
    texts, blank_before = _plain_lines(text)
    assert lines.texts == texts
    assert lines.blank_before == blank_before
    assert lines.widths == [layout.display_width(t) for t in texts]
    assert lines.open_end == [not layout.ends_sentence(t) for t in texts]
    finder = layout._ColumnFinder(lines, {})
    plain = _PlainFinder(layout._Lines(texts, blank_before), {})
    assert finder._entries_and_marks() == plain._entries_and_marks()
    assert layout._blank_lines_separate_paragraphs(lines) == _plain_blank_paragraphs(lines.open_end, blank_before) \
        if texts else True


def test_line_facts_by_example():
    lines = layout._Lines.of("\n 数字产业。\n\nab 1.5\n\n\n“助推器”\n共 12 人，")
    assert lines.texts == ["数字产业。", "ab 1.5", "“助推器”", "共 12 人，"]
    assert lines.blank_before == [True, True, True, False]
    assert lines.widths == [5.0, 3.0, 5.0, 5.0]
    assert lines.open_end == [False, True, True, True]


# ------------------------------------------------------------------ whole joins

_PARAGRAPH_TEXT = st.lists(
    st.sampled_from(["数字产业", "集群发展", "经济", "推动", "建设创新", "“智造”", "电商", "2023年"] * 8
                    + ["，", "。", "、"] * 6 + ["ab 1", "（图）", "Magic", "本报", "：", "的"]),
    min_size=1, max_size=40,
).map("".join)
_SPECIAL_LINE = st.sampled_from(
    ["本报记者 金 晨", "①数字产业", "2023年5月1日", "图①：工人在作业", "李 劼摄（人民日报）", "时间：上午", "一、总体要求",
     "新华社北京5月1日电", "北京　1200　1350", "，接着上一行"]
)


@st.composite
def _pages(draw):
    """Paragraphs cut into lines of one column width (or left whole), blank lines
    between paragraphs or scattered, special lines among them, repeated lines."""
    width = draw(st.sampled_from([8, 12, 15, 18, 22, 26, 1000]))
    out: list[str] = []
    for _ in range(draw(st.integers(1, 16))):
        if draw(st.integers(0, 3)) == 0:
            out.append(draw(_SPECIAL_LINE))
        text = draw(_PARAGRAPH_TEXT) + draw(st.sampled_from(["。"] * 6 + ["”", "，", "", "Ab"]))
        cut = [text[k : k + width] for k in range(0, len(text), width)]
        if cut and draw(st.integers(0, 9)) == 0:
            cut.append(cut[-1])  # a line shown twice
        out.extend(cut)
        separator = draw(st.sampled_from(["", "", "", "", " ", "　", None, None]))  # (None: no blank line)
        if separator is not None:
            out.append(separator)
    return "\n".join(out)


@settings(max_examples=400, deadline=None)
@given(_pages())
def test_join_is_the_plain_join_on_generated_pages(text):
    assert layout.join_wrapped_lines(text) == _join_plainly(text)


def _rewrapped(paragraphs: list[str], width: int, blank: bool) -> str:
    out = []
    for para in paragraphs:
        out.extend(para[k : k + width] for k in range(0, len(para), width))
        if blank:
            out.append("")
    return "\n".join(out)


def test_join_is_the_plain_join_on_seed_documents(raw_dir):
    for path in sorted(raw_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert layout.join_wrapped_lines(text) == _join_plainly(text), path.name


def test_join_is_the_plain_join_on_real_pages(realdata):
    """The CWCE gold texts as they are (one paragraph per line) and re-wrapped into
    columns of several widths, with and without blank lines between paragraphs."""
    pages = sorted(Path(realdata, "cwce", "cleaned").glob("*.txt"))
    assert len(pages) >= 30
    joined = 0
    for path in pages:
        text = path.read_text(encoding="utf-8", errors="replace")
        paragraphs = [p for p in text.split("\n") if p.strip()]
        variants = [text, "\n\n".join(paragraphs)] + [
            _rewrapped(paragraphs, width, blank) for width in (13, 17, 24) for blank in (True, False)
        ]
        for variant in variants:
            got = layout.join_wrapped_lines(variant)
            assert got == _join_plainly(variant), path.name
            joined += got[1]
    assert joined > 1000  # (the re-wrapped pages were joined again)


# ------------------------------------------------------------------ unify_markers, captions, spacing

from corpuskit.clean import captions  # noqa: E402
from corpuskit.record import Record  # noqa: E402


def _unify_plainly(record: Record) -> None:
    """unify_markers as its rules say it: every line matched and stripped."""
    text = record.text
    indents = headings = stripped = 0
    if "\u3000" in text:
        text, indents = layout.split_indented_paragraphs(text)
    out = []
    for line in text.split("\n"):
        m = layout.MARKDOWN_HEADING.match(line)
        if m and m["text"].strip():
            headings += 1
            line = m["text"]
        clean = line.strip(layout._HSPACE + "\t")
        stripped += clean != line
        out.append(clean)
    new = "\n".join(out)
    if indents:
        new = new.strip("\n")
        record.log("layout", "fullwidth_indent_paragraphs", "　　… → one paragraph per line", indents)
    if headings:
        record.log("layout", "markdown_heading", "# … → heading paragraph", headings)
    if stripped:
        record.log("layout", "strip_line_blanks", "indents and trailing blanks of lines", stripped)
    record.text = new


_MARKY = st.text(alphabet=[" ", "\t", "\u3000", "\u00a0", "\u2002", "-", "#", "#", "\n", "\n", "中", "文", "。", "a"],
                 max_size=30)


@settings(max_examples=500, deadline=None)
@given(_MARKY)
def test_unify_markers_is_the_plain_line_by_line_form(text):
    fast, plain = Record("t", text), Record("t", text)
    layout.unify_markers(fast)
    _unify_plainly(plain)
    assert (fast.text, fast.actions) == (plain.text, plain.actions)


def test_unify_markers_leaves_a_clean_text_alone():
    record = Record("t", "数字产业集群。\n\n加速成长，推动发展。")
    layout.unify_markers(record)
    assert record.text == "数字产业集群。\n\n加速成长，推动发展。" and not record.actions
    record = Record("t", "## 标题 ##\n 正文。 ")
    layout.unify_markers(record)
    assert record.text == "标题\n正文。" and [a.rule for a in record.actions] == ["markdown_heading", "strip_line_blanks"]


_CAPTIONISH = st.lists(
    st.one_of(
        st.from_regex(captions.CAPTION_START), st.from_regex(captions.CREDIT_END),
        st.text(alphabet=list("中文图片照来源摄影供资料记者（）：: 。"), max_size=12),
    ),
    max_size=5,
)


@settings(max_examples=400, deadline=None)
@given(_CAPTIONISH)
def test_paragraphs_without_a_caption_hint_hold_no_caption(paragraphs):
    if not layout._may_hold_caption("\n".join(paragraphs)):
        assert captions.extract_captions(paragraphs) == (paragraphs, [])


_SPACED = st.lists(st.text(alphabet=[" ", "\u3000", "\u00a0", "\u2009", "\u2005", "中", "a", "1", "\t"], max_size=8), max_size=5)


@settings(max_examples=400, deadline=None)
@given(_SPACED, st.lists(st.sampled_from(["图为 工人", "李 劼摄", "图"]), max_size=2))
def test_finish_paragraphs_is_the_paragraph_by_paragraph_form(paragraphs, caps):
    fast = Record("t", "x\n\ny")
    layout.finish_paragraphs(fast, paragraphs, caps)
    plain = Record("t", "x\n\ny")
    out, removed = [], 0
    for para in paragraphs:
        para, n = layout.remove_cjk_spacing(para)
        removed += n
        if para:
            out.append(para)
    if removed:
        plain.log("layout", "remove_cjk_spacing", f"{removed} spaces inside CJK text", removed)
    plain.captions = [layout.remove_cjk_spacing(c)[0] for c in caps]
    plain.text = "\n".join(out)
    if plain.text != "x\n\ny":
        plain.log("layout", "paragraph_separators", "blank lines → one paragraph per line")
    assert (fast.text, fast.captions, fast.actions) == (plain.text, plain.captions, plain.actions)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("“”（）()《》「」『』【】中a"), max_size=12))
def test_unclosed_is_the_count_of_every_pair(text):
    assert layout.unclosed(text) == any(text.count(o) > text.count(c) for o, c in layout._PAIRS)
