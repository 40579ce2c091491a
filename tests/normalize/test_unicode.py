"""Table tests for Unicode hygiene."""

from __future__ import annotations

import unicodedata

import pytest

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252, the browsers' cp1252)

from corpuskit.normalize.changes import Changes
from corpuskit.normalize.unicode import UnicodeNormalizer

def mojibake(text: str, codec: str) -> str:
    return text.encode("utf-8").decode(codec, errors="replace")


CONVERTS = [
    # mojibake: UTF-8 read as cp1252 / Latin-1 (with C1 controls) / cp1251
    (mojibake("数字产业集群加速成长", "sloppy-windows-1252"), "数字产业集群加速成长"),
    (mojibake("“中国声谷”，一款鼠标", "latin-1"), "“中国声谷”，一款鼠标"),
    (mojibake("数字产业集群", "windows-1251"), "数字产业集群"),
    ("cafÃ© Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "café привет"),
    # NFC, not NFKC: composed, and compatibility forms survive
    ("cafe\u0301", "café"),
    # zero-width, bidi, soft hyphen, BOM, controls
    ("数字\u200b产业\ufeff集群\u00ad加速\u200e成长", "数字产业集群加速成长"),
    ("数字\x00产业\x07集群\x1b\x7f\x9f", "数字产业集群"),
    ("数\u200d字", "数字"),
    # spaces: no-break / ideographic / tab fold inside a paragraph; runs collapse
    ("汇集心理咨询师\u00a02000\u3000余人", "汇集心理咨询师 2000 余人"),
    ("a\t\tb\u2003c", "a b c"),
    # line breaks, indents, trailing spaces, blank lines
    ("第一段\r\n第二段\r第三段\u2028第四段", "第一段\n第二段\n第三段\n第四段"),
    ("\u3000\u3000第一段\n\n\n  第二段  \n", "第一段\n第二段"),
    ("\n\n  \u3000\n", ""),
]

UNCHANGED = [
    "数字产业集群加速成长，（产经观察·关注数字产业集群①）",
    "全角标点，：！？（）“”‘’……——《》、；",
    "１２３ＡＢＣ",  # width is the punctuation normaliser's business, and only for Chinese rules
    "卡尔·马克思 × 3°C ±1 é",  # Latin-1 characters that are not mojibake
    "👨\u200d👩\u200d👧 家庭",  # an emoji ZWJ sequence keeps its joiners
    "Magic Vs 正在",
    "第一段\n第二段",
    "\uf900",  # a compatibility ideograph becomes its unified form (checked below)
]


@pytest.fixture(scope="module")
def uni() -> UnicodeNormalizer:
    return UnicodeNormalizer()


@pytest.mark.parametrize(("before", "after"), CONVERTS)
def test_converts(uni, before, after):
    assert uni(before) == after
    assert uni(after) == after


@pytest.mark.parametrize("text", [t for t in UNCHANGED if t != "\uf900"])
def test_must_not_change(uni, text):
    assert uni(text) == text


def test_nfc_maps_compatibility_ideographs_keeping_one_han():
    assert uni_result("\uf900") == unicodedata.normalize("NFC", "\uf900") == "\u8c48"


def uni_result(text: str) -> str:
    return UnicodeNormalizer()(text)


def test_changes_name_rules_and_code_points(uni):
    changes = Changes()
    uni.apply("\u3000a\u200bb\r\nc\x01\u00a0d", changes)
    assert changes.counts == {"line_breaks": 1, "control_chars": 1, "zero_width": 1, "space_fold": 2, "whitespace": 1}
    assert "U+200B" in changes.samples["zero_width"]
    assert "U+3000" in changes.samples["space_fold"]


def test_mojibake_repair_can_be_switched_off():
    assert UnicodeNormalizer(repair_mojibake=False)("cafÃ©") == "cafÃ©"


def test_lone_surrogates_are_removed(uni):
    assert uni("数\ud800字") == "数字"
