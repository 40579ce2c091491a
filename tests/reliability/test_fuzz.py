"""Issue 9.4: arbitrary bytes and text through the readers, cleaners and normalisers.

None may raise anything but corpuskit's own InputError, and a cleaner only
removes or rewrites: the Han characters of its output appear in its input, in
the same order (it never invents Han text).
"""

from __future__ import annotations

import gzip
import html
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpuskit.clean import Cleaner
from corpuskit.errors import InputError
from corpuskit.normalize import Normalizer
from corpuskit.read import RawDocument, gunzip, iter_jsonl, read_file
from corpuskit.read.decode import decode_bytes

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Pieces real scrapes are made of, so the fuzzer reaches the rules and not only their guards.
NEWS_PIECES = [
    "首页 > 新闻 > 正文", "责任编辑：张三", "（记者 李四）", "本报讯", "发表于 2024-01-02 10:00", "楼主", "2楼",
    "分享到：", "相关推荐", "【", "】", "“", "”", "，", "。", "\n", "\n\n", "\u3000\u3000", "  ", "\t", "图为",
    "新华社北京1月2日电", "第1版", "上一页", "下一页", "返回顶部", "http://example.com/a.html", "①", "——", "……",
    "数字产业集群加速成长", "臺灣", "香港", "<p>", "</p>", "<div class='nav'>", "</div>", "<br>", "&nbsp;", "&#20013;",
    "<script>var a=1;</script>", "<!--", "-->", "<title>标题</title>", "# 标题", "**", "\r\n", "\ufeff", "\u200b", "\x00",
]
texts = st.lists(st.one_of(st.sampled_from(NEWS_PIECES), st.text(max_size=20)), max_size=60).map("".join)
raw_bytes = st.one_of(
    st.binary(max_size=2000),
    texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    texts.map(lambda t: t.encode("gb18030", "ignore")),
    texts.map(lambda t: t.encode("utf-16", "surrogatepass")),
    st.tuples(texts, st.binary(max_size=8), texts).map(lambda p: p[0].encode("utf-8", "ignore") + p[1] + p[2].encode("utf-8", "ignore")),
)


def is_han(ch: str) -> bool:
    code = ord(ch)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3134F


def han_of(text: str) -> str:
    return "".join(ch for ch in text if is_han(ch))


def is_subsequence(part: str, whole: str) -> bool:
    rest = iter(whole)
    return all(ch in rest for ch in part)


@given(raw_bytes)
@FUZZ
def test_decode_raises_only_input_errors(data):
    try:
        decoded = decode_bytes(data, "fuzz.txt")
    except InputError as exc:
        assert exc.reason in {"empty", "binary", "undecodable"}
        return
    assert isinstance(decoded.text, str) and "\r" not in decoded.text


@given(raw_bytes)
@FUZZ
def test_jsonl_lines_raise_only_input_errors(data):
    for item in iter_jsonl(data, "fuzz.jsonl", "0" * 64):
        assert isinstance(item, (RawDocument, InputError))


@given(st.one_of(st.binary(max_size=500), raw_bytes.map(gzip.compress), raw_bytes.map(lambda b: gzip.compress(b)[: len(b) // 2 + 10])))
@FUZZ
def test_gunzip_raises_only_input_errors(data):
    try:
        assert isinstance(gunzip(data, "fuzz.txt.gz"), bytes)
    except InputError as exc:
        assert exc.reason in {"bad_gzip", "too_large"}


@pytest.mark.parametrize("name", ["a.txt", "a.html", "a.jsonl", "a.txt.gz", "a.dat"])
def test_read_file_raises_only_input_errors(tmp_path, name):
    @given(raw_bytes)
    @settings(max_examples=60, deadline=None)
    def check(data):
        path = tmp_path / name
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") and data[:1] != b"x" else data)
        try:
            _, _, documents = read_file(path, tmp_path)
            for doc in documents:
                assert isinstance(doc, (RawDocument, InputError))
        except InputError:
            pass

    check()


CLEANER = Cleaner()
NORMALIZER = Normalizer()


def run_cleaner(text: str, is_html: bool):
    doc = RawDocument("fuzz.html" if is_html else "fuzz.txt", "0" * 64, text, is_html=is_html)
    try:
        return CLEANER(doc.to_record())
    except InputError:
        return []


@given(texts)
@FUZZ
def test_cleaner_never_invents_han_text(text):
    # Text that looks like a page takes the HTML path, which decodes character references
    # ("<title>标题</title>&#20013;" gives 中): those are the text's own characters.
    source = han_of(html.unescape(text))
    for rec in run_cleaner(text, is_html=False):
        assert is_subsequence(han_of(rec.text), source), (text, rec.text)
        for field in ("title", "subtitle", "author"):
            value = getattr(rec, field, None)
            if value:
                assert is_subsequence(han_of(value), source), (field, text, value)


@given(texts)
@FUZZ
def test_html_cleaner_never_invents_han_text(text):
    page = f"<html><head><title>标题</title></head><body><article>{text}</article></body></html>"
    source = han_of(html.unescape(page))  # character references are the page's own text
    for rec in run_cleaner(page, is_html=True):
        assert is_subsequence(han_of(rec.text), source), (page, rec.text)


@given(texts)
@FUZZ
def test_normalizer_raises_only_input_errors_and_keeps_the_record(text):
    records = run_cleaner(text, is_html=False) or [RawDocument("fuzz.txt", "0" * 64, text).to_record()]
    for rec in records:
        rec_id = rec.id
        try:
            out = NORMALIZER(rec)
        except InputError:
            continue
        # (no Han-count property here: repairing mojibake legitimately recovers Han characters)
        assert out.id == rec_id and isinstance(out.text, str)


def _clean_steps():
    from corpuskit.clean.layout import repair_layout, unify_markers
    from corpuskit.clean.metadata import extract_metadata
    from corpuskit.clean.noise import strip_noise

    return [unify_markers, strip_noise, extract_metadata, repair_layout]


@pytest.mark.parametrize("step", _clean_steps(), ids=lambda f: f.__name__)
def test_each_cleaning_step_alone_never_invents_han_text(step):
    """Each step on its own (a later step must not hide what an earlier one invented)."""

    @given(texts)
    @settings(max_examples=80, deadline=None)
    def check(text):
        rec = RawDocument("fuzz.txt", "0" * 64, text).to_record()
        source = han_of(rec.text)
        try:
            out = step(rec)
        except InputError:
            return
        for result in out if isinstance(out, list) else [rec]:
            assert is_subsequence(han_of(result.text), source), (step.__name__, text, result.text)

    check()


@given(texts)
@FUZZ
def test_punctuation_normaliser_leaves_han_text_alone(text):
    from corpuskit.normalize.changes import Changes
    from corpuskit.normalize.punctuation import PunctuationNormalizer

    out = PunctuationNormalizer().apply(text, Changes())
    assert han_of(out) == han_of(text)


@given(texts)
@FUZZ
def test_unicode_normaliser_raises_nothing(text):
    from corpuskit.normalize.changes import Changes
    from corpuskit.normalize.unicode import UnicodeNormalizer

    assert isinstance(UnicodeNormalizer().apply(text, Changes()), str)
