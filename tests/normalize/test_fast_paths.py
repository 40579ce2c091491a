"""The stage's one-scan shortcuts give exactly what the rules they spare give.

The normaliser scans each text once for every character a rule beyond
whitespace and marks in context acts on (``Normalizer._unicode``); a text
without one skips mojibake repair, the character rules, OpenCC, the
traditional-character scan of script detection, the width and corner-quote
step and the final mojibake check.  Each test below compares a shortcut with
the full way on generated text where the shortcut is taken often.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from corpuskit.config import BuildConfig
from corpuskit.normalize import Normalizer
from corpuskit.normalize.changes import Changes
from corpuskit.normalize.opencc_keys import change_test
from corpuskit.normalize.punctuation import (
    TRIPLE_STOP,
    WIDTH_OR_CORNER_CLASS,
    PunctuationNormalizer,
    _paragraphs_to_check,
)
from corpuskit.normalize.script import ScriptConverter, ScriptDetector
from corpuskit.normalize.unicode import (
    BLANK_LINES_RE,
    EDGE_SPACE_RE,
    RARE_CLASS,
    SPACE_RUN_RE,
    UnicodeNormalizer,
    _whitespace,
    nfc_unstable_class,
)
from corpuskit.record import Record

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# Mostly plain simplified Chinese with the marks and spaces of running text, and
# now and then a character that sends the text the full way (traditional,
# full-width, corner quote, mojibake, invisible, a combining mark for NFC).
PLAIN = list("数字产业集群加速成长中国声谷合肥智能语音发展经济") + list("，。、：；！？（）《》“”‘’…—·%") + [
    " ", "  ", "\n", "\n\n", "2022", "1378.6", "AI", "Magic Vs", "Xi’an", "。。。", "……", "——", ",", ".", "(", ")", '"', "'",
    "-", ":", "www.b.cn", "e.g.",
]
SPECIAL = list("臺灣後這發展數覆") + ["Ａ", "２", "％", "「", "」", "『", "』", "Ã©", "é", "\u00a0", "\u3000", "\u200b", "\t", "\r\n",
                                   "e\u0301", "\uf900", "深沈", "反覆", "覆盖", "𠮷", "\ud800"]
plain_texts = st.lists(st.sampled_from(PLAIN), max_size=30).map("".join)
mixed_texts = st.lists(st.one_of(st.sampled_from(PLAIN), st.sampled_from(PLAIN), st.sampled_from(SPECIAL)), max_size=30).map("".join)


@pytest.fixture(scope="module", params=["t2s", "s2t", "none"])
def normalizers(request) -> tuple[Normalizer, Normalizer]:
    """(the stage, the same stage without the one-scan shortcut)"""
    fast = Normalizer(BuildConfig(opencc_config=request.param))
    full = Normalizer(BuildConfig(opencc_config=request.param))
    full._special_re = None
    assert fast._special_re is not None
    return fast, full


@PROPERTY
@given(mixed_texts)
def test_one_scan_shortcut_agrees_with_the_full_way(normalizers, text):
    fast, full = normalizers
    fast_changes, full_changes = Changes(), Changes()
    assert fast.normalize_text(text, fast_changes) == full.normalize_text(text, full_changes)
    assert fast_changes.items() == full_changes.items()


@PROPERTY
@given(mixed_texts, mixed_texts, st.lists(mixed_texts, max_size=3))
def test_records_agree_with_the_full_way(normalizers, text, title, captions):
    fast, full = normalizers

    def record() -> Record:
        return Record(id="x", text=text, title=title or None, author=title[:5] or None, captions=list(captions))

    assert fast(record()).to_dict() == full(record()).to_dict()


T2S_STAGE = Normalizer(BuildConfig(opencc_config="t2s"))


@PROPERTY
@given(plain_texts)
def test_plain_text_takes_the_shortcut(text):
    """The generators above do exercise the shortcut under t2s."""
    assert T2S_STAGE._unicode(text, Changes())[1]


UNI = UnicodeNormalizer()
RARE = re.compile(f"[{RARE_CLASS}]")


NFC_UNSTABLE = re.compile(f"[{nfc_unstable_class()}]")


@PROPERTY
@given(mixed_texts)
def test_plain_unicode_pass_agrees_with_apply(text):
    assume(not RARE.search(text) and not NFC_UNSTABLE.search(text))
    fast, full = Changes(), Changes()
    assert UNI.apply_plain(text, fast) == UNI.apply(text, full)
    assert fast.items() == full.items()


# Any BMP character, combining marks, jamo and compatibility ideographs often.
bmp_chars = st.one_of(
    st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)),
    st.sampled_from(list("\u0301\u0308\u0327\u1161\u11a8\u3099\u309a\uf900\u212b\u0958") + list("eAか가ᄀ")),
)


@PROPERTY
@given(st.lists(bmp_chars, max_size=12).map("".join))
def test_text_without_an_nfc_unstable_character_is_nfc(text):
    if not NFC_UNSTABLE.search(text):
        assert unicodedata.is_normalized("NFC", text)
    else:  # the class is not everything: plain letters stay outside it
        assert not NFC_UNSTABLE.search("数字eAか가ᄀ，。")


@PROPERTY
@given(mixed_texts)
def test_marks_only_punctuation_agrees_with_apply(text):
    assume(not re.search(f"[{WIDTH_OR_CORNER_CLASS}]", text))
    for corner_quotes in (True, False):
        punct = PunctuationNormalizer(corner_quotes=corner_quotes)
        fast, full = Changes(), Changes()
        assert punct.apply_marks(text, fast) == punct.apply(text, full)
        assert fast.items() == full.items()


DETECTOR = ScriptDetector()


@PROPERTY
@given(mixed_texts)
def test_detection_without_traditional_characters_agrees(text):
    assume(not re.search(f"[{DETECTOR.traditional_class}]", text))
    assert DETECTOR.detect_no_traditional(text) == DETECTOR.detect(text)


@pytest.mark.parametrize("config", ["t2s", "tw2sp", "s2t"])
@PROPERTY
@given(text=mixed_texts)
def test_text_without_a_changing_character_or_anchor_is_not_converted(config, text):
    test = change_test(config)
    assume(not re.search(f"[{test.char_class}]", text) and not any(a in text for a in test.anchors))
    assert not test(text)
    assert ScriptConverter(config)(text) == text


@PROPERTY
@given(st.lists(st.sampled_from(["。", "。。", "。。。", "\n", "数", "字", "，"]), max_size=30).map("".join))
def test_triple_stop_flags_the_paragraphs_holding_one(text):
    token_pass, _ = _paragraphs_to_check(text)
    assert token_pass == {i for i, line in enumerate(text.split("\n")) if TRIPLE_STOP in line}


@PROPERTY
@given(st.lists(st.sampled_from(["数", "a", " ", "  ", "\n", "\n\n", " \n", "\n "]), max_size=20).map("".join))
def test_whitespace_agrees_with_the_unguarded_rules(text):
    """The single-space guard spares only searches that cannot match."""
    changes = Changes()
    out = _whitespace(text, changes)
    ref, a = SPACE_RUN_RE.subn(" ", text)
    ref, b = EDGE_SPACE_RE.subn("", ref)
    ref, c = BLANK_LINES_RE.subn("\n", ref)
    stripped = ref.strip("\n")
    assert out == stripped
    assert changes.counts.get("whitespace", 0) == a + b + c + (stripped != ref)


@PROPERTY
@given(st.lists(st.one_of(st.sampled_from(PLAIN), st.sampled_from(SPECIAL), st.text(max_size=2)), max_size=25).map("".join))
def test_text_without_a_mark_rule_character_triggers_no_rule(text):
    """apply_marks returns such a text at once: none of its rules would fire."""
    from corpuskit.normalize.punctuation import _MARK_RULES_RE, OBVIOUS_MARKS

    assume(not _MARK_RULES_RE.search(text))
    assert not any(mark in text for mark, _, _ in OBVIOUS_MARKS) and '"' not in text
    assert _paragraphs_to_check(text) == (set(), set())
