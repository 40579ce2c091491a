"""Property tests on generated text mixing CJK, digits, Latin, URLs and e-mail addresses."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from corpuskit.config import BuildConfig
from corpuskit.normalize import Normalizer
from corpuskit.normalize.chars import count_han
from corpuskit.normalize.punctuation import PunctuationNormalizer
from corpuskit.normalize.script import ScriptConverter
from corpuskit.normalize.unicode import MOJIBAKE_RE, UnicodeNormalizer

PROPERTY = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

HAN = "数字产业集群加速成长中国声谷合肥智能语音臺灣後來這裡發展經濟"
MARKS = list(",.;:!?()[]\"'-—–…⋯。，：；！？（）【】“”‘’「」『』《》、·%～") + ["...", "。。。", "——", "……", "--"]
SPACES = [" ", "  ", "\u3000", "\u00a0", "\t", "\u200b", "\u200d", "\ufeff", "\n", "\n\n", "\r\n", "\r"]
FULLWIDTH = list("０１９ＡＺａｚ％．－＂＇［］｡")
# Letters that mojibake is made of, combining marks, emoji: the awkward neighbours.
AWKWARD = ["Ã", "©", "é", "Ð", "¿", "\u0301", "😀", "привет", "Mr", "e.g", "..", "。。", "---"]

numbers = st.one_of(
    st.builds(lambda a, b: f"{a}.{b}", st.integers(0, 99999), st.integers(0, 999)),
    st.builds(lambda a, b: f"{a}.{b}%", st.integers(0, 100), st.integers(0, 9)),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", st.integers(1900, 2100), st.integers(1, 12), st.integers(1, 28)),
    st.builds(lambda h, m: f"{h}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda a, b: f"{a},{b:03d}", st.integers(1, 999), st.integers(0, 999)),
)
label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
urls = st.builds(
    lambda scheme, host, tld, path: f"{scheme}://{host}.{tld}{path}",
    st.sampled_from(["http", "https"]),
    label,
    st.sampled_from(["com", "cn", "com.cn", "org"]),
    st.sampled_from(["", "/", "/a/b.html", "/news?id=3&p=2", "/x_y-z/1.shtml"]),
)
emails = st.builds(lambda user, host: f"{user}@{host}.com", label, label)
latin = st.sampled_from(["Magic Vs", "AI", "DVR", "iPhone", "Hello, world.", "Xi'an", "U.S.", "Apple Inc."])

piece = st.one_of(
    st.text(alphabet=HAN, min_size=1, max_size=6),
    st.sampled_from(MARKS),
    st.sampled_from(SPACES),
    st.sampled_from(FULLWIDTH),
    st.sampled_from(AWKWARD),
    numbers,
    urls,
    emails,
    latin,
    st.text(max_size=3),  # anything at all
)
texts = st.lists(piece, max_size=25).map("".join)

# Tokens that must come out verbatim: set apart from their neighbours by a
# space or a Han character, as they are in running text.
protected = st.one_of(numbers, urls, emails)
separators = st.sampled_from([" ", "，", "数字", "。"])


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer(BuildConfig())


@pytest.fixture(scope="module")
def normalizer_none() -> Normalizer:
    return Normalizer(BuildConfig(opencc_config="none"))


UNI = UnicodeNormalizer()
PUNCT = PunctuationNormalizer()
T2S = ScriptConverter("t2s")


@PROPERTY
@given(texts)
def test_unicode_is_idempotent(text):
    once = UNI(text)
    assert UNI(once) == once


@PROPERTY
@given(texts)
def test_punctuation_is_idempotent(text):
    once = PUNCT(text)
    assert PUNCT(once) == once


@PROPERTY
@given(texts)
def test_opencc_is_idempotent(text):
    once = T2S(text)
    assert T2S(once) == once


@PROPERTY
@given(texts)
def test_normalizer_is_idempotent(normalizer, text):
    once = normalizer.normalize_text(text)
    assert normalizer.normalize_text(once) == once


@PROPERTY
@given(texts)
def test_punctuation_keeps_every_han_character(text):
    out = PUNCT(text)
    assert count_han(out) == count_han(text)
    assert [c for c in out if count_han(c)] == [c for c in text if count_han(c)]


@PROPERTY
@given(texts)
def test_unicode_keeps_every_han_character(text):
    # Mojibake repair restores Han characters that were lost, so it is the
    # one exception; NFC maps a compatibility ideograph to one unified one.
    assume(not MOJIBAKE_RE.search(text))
    assert count_han(UNI(text)) == count_han(text)


@PROPERTY
@given(texts)
def test_normalizer_without_opencc_keeps_han_count(normalizer_none, text):
    assume(not MOJIBAKE_RE.search(text))
    assert count_han(normalizer_none.normalize_text(text)) == count_han(text)


@PROPERTY
@given(st.lists(st.tuples(separators, protected), min_size=1, max_size=6), separators)
def test_numbers_urls_emails_untouched(normalizer, parts, tail):
    text = "".join(sep + token for sep, token in parts) + tail
    out = normalizer.normalize_text(text)
    for _, token in parts:
        assert token in out


# Hypothesis never draws lone surrogates itself; a decoder with surrogateescape can.
any_char = st.one_of(st.characters(exclude_categories=()), st.sampled_from(["\ud800", "\udfff", "\udc80"]))


@PROPERTY
@given(st.lists(any_char, max_size=60).map("".join))
def test_arbitrary_text_never_raises(normalizer, text):
    out = normalizer.normalize_text(text)
    assert isinstance(out, str)
    out.encode("utf-8")  # no lone surrogates left


@PROPERTY
@given(texts)
def test_quotes_alternate_in_every_chinese_paragraph(text):
    from corpuskit.normalize.punctuation import quotes_follow_rule
    from corpuskit.normalize.chars import CJK_LETTER_RE

    for line in PUNCT(text).split("\n"):
        if CJK_LETTER_RE.search(line):
            assert quotes_follow_rule(line), line


@PROPERTY
@given(st.lists(piece, max_size=25).map("".join).map(lambda t: t.replace("\n", "")))
def test_fast_paths_agree_with_the_token_rules(text):
    """The regex fast paths (obvious marks, straight quotes, candidate filter)
    give exactly what the full token pass gives on the same paragraph."""
    from corpuskit.normalize.changes import Changes
    from corpuskit.normalize.chars import CJK_LETTER_RE
    from corpuskit.normalize.punctuation import WIDTH_RE, _fix_width, _normalize_paragraph

    base = _fix_width(text, Changes()) if WIDTH_RE.search(text) else text
    assume(CJK_LETTER_RE.search(base))
    assert PunctuationNormalizer(corner_quotes=False)(text) == _normalize_paragraph(base, Changes())


curly_quote_pieces = st.one_of(
    st.text(alphabet=HAN, min_size=1, max_size=4),
    st.sampled_from(list("“”‘’")),
    st.sampled_from(list("，。（）") + ["Xi’an", "don’t", "www.b.cn’AI", "AI", "2022", "……", "——", " "]),
)


@PROPERTY
@given(st.lists(curly_quote_pieces, max_size=20).map("".join))
def test_curly_quote_fast_path_agrees_with_the_token_pass(text):
    """A paragraph whose only finding is its curly quotes is re-balanced
    without tokenising: same text, same counts and samples as the token pass."""
    from corpuskit.normalize.changes import Changes
    from corpuskit.normalize.punctuation import _balance_curly_quotes, _normalize_paragraph, _paragraphs_to_check

    token_pass, _ = _paragraphs_to_check(text)
    assume(not token_pass)  # a paragraph the fast path is used for
    fast, full = Changes(), Changes()
    assert _balance_curly_quotes(text, fast) == _normalize_paragraph(text, full)
    assert fast.items() == full.items()


@PROPERTY
@given(st.lists(st.sampled_from(list("“”“”‘’\n数a ") + ["Xi’an"]), max_size=30).map("".join))
def test_quote_flags_are_the_paragraphs_breaking_the_rule(text):
    from corpuskit.normalize.punctuation import _paragraphs_to_check, quotes_follow_rule

    lines = text.split("\n")
    token_pass, quotes_only = _paragraphs_to_check(text)
    expected = {i for i, line in enumerate(lines) if not quotes_follow_rule(line)}
    assert quotes_only == expected - token_pass


@PROPERTY
@given(st.lists(st.sampled_from(["—", "——", "———", " ", "  ", "数", "年", "2021", "a", "，", "“", "”", "…", "（", "）"]), max_size=20).map("".join))
def test_lone_dash_filter_agrees_with_the_token_pass(text):
    """A lone — that no CJK letter borders (2021—2025) leaves its paragraph to
    the quote fast path; the token pass would not have changed it either."""
    from corpuskit.normalize.changes import Changes
    from corpuskit.normalize.chars import CJK_LETTER_RE
    from corpuskit.normalize.punctuation import _normalize_paragraph

    assume(CJK_LETTER_RE.search(text))
    assert PunctuationNormalizer(corner_quotes=False)(text) == _normalize_paragraph(text, Changes())
