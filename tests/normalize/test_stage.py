"""The Normalizer stage: record in, record out."""

from __future__ import annotations

import re

import opencc
import pytest

from corpuskit.cli import main
from corpuskit.config import BuildConfig
from corpuskit.errors import BuildError
from corpuskit.normalize import Normalizer
from corpuskit.record import Record

HAN_COMMA_HAN = re.compile(r"[\u4e00-\u9fff][,;:!?][\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer(BuildConfig())


def make(text: str, **meta) -> Record:
    return Record(id="r", text=text, **meta)


def test_record_text_and_metadata(normalizer):
    rec = make(
        "\u3000\u3000臺灣新一代ＡＩ晶片,售價1378.6元...\n\n  第二段\u200b  ",
        title="數字產業\n集群",
        author="記者\u00a0楊昊",
        captions=["圖為:生產線", "\u200b"],
    )
    out = normalizer(rec)
    assert out is rec
    assert rec.text == "台湾新一代AI晶片，售价1378.6元……\n第二段"
    assert rec.title == "数字产业 集群"
    assert rec.author == "记者 杨昊"
    assert rec.captions == ["图为：生产线"]  # an empty caption is dropped
    assert rec.original_script == "traditional"
    rules = {a.rule for a in rec.actions}
    assert {"opencc_t2s", "punctuation_width", "fullwidth_alnum", "ellipsis", "zero_width", "whitespace"} <= rules
    assert all(a.stage == "normalize" and a.count > 0 for a in rec.actions)


def test_normal_record_logs_nothing(normalizer):
    rec = make("“数实融合”深入开展，数字经济蓬勃发展——\n第二段。", title="数字产业集群加速成长")
    normalizer(rec)
    assert rec.actions == []
    assert rec.original_script == "simplified"


def test_record_is_idempotent(normalizer):
    rec = make("臺灣,“數字”產業... 2022-11-30", title="標題")
    normalizer(rec)
    text, title, n_actions = rec.text, rec.title, len(rec.actions)
    normalizer(rec)
    assert (rec.text, rec.title, len(rec.actions)) == (text, title, n_actions)
    assert rec.original_script == "traditional"  # detected once, before conversion


def test_no_han_text(normalizer):
    rec = make("Hello, world.")
    normalizer(rec)
    assert rec.original_script is None and rec.text == "Hello, world."


def test_opencc_none_keeps_the_script_but_detects_it():
    rec = make("「臺灣」的數字產業")
    Normalizer(BuildConfig(opencc_config="none"))(rec)
    assert rec.text == "「臺灣」的數字產業"  # no conversion, and the traditional quote convention
    assert rec.original_script == "traditional"


def test_tw2sp():
    rec = make("滑鼠和軟體")
    Normalizer(BuildConfig(opencc_config="tw2sp"))(rec)
    assert rec.text == "鼠标和软件"
    assert [a.rule for a in rec.actions] == ["opencc_tw2sp"]


def test_invalid_config_is_a_build_error():
    with pytest.raises(BuildError, match="valid: .*t2s"):
        Normalizer(BuildConfig(opencc_config="zh-hans"))


def test_cli_rejects_an_invalid_config(tmp_path, raw_dir, capsys):
    assert main(["build", str(raw_dir), "--out", str(tmp_path / "out"), "--opencc", "zh-hans"]) != 0
    assert "zh-hans" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_converter_is_built_once(monkeypatch):
    normalizer = Normalizer(BuildConfig())

    def refuse(*args, **kwargs):
        raise AssertionError("OpenCC built per record")

    monkeypatch.setattr(opencc.OpenCC, "__init__", refuse)
    for _ in range(3):
        normalizer(make("數字產業"))


def test_seed_documents(raw_dir, normalizer):
    """The forum copy (half-width punctuation) comes out in the convention."""
    for path in sorted(raw_dir.glob("*.txt")):
        rec = normalizer(make(path.read_text(encoding="utf-8")))
        assert not HAN_COMMA_HAN.search(rec.text), path.name
        assert "\u3000" not in rec.text and "\u00a0" not in rec.text
        again = normalizer(make(rec.text))
        assert again.text == rec.text and again.actions == []
    forum = normalizer(make((raw_dir / "004_a009cad1d32a8103.txt").read_text(encoding="utf-8")))
    assert "荣耀新一代折叠屏手机Magic Vs正在" in forum.text
    assert "加工精度更要达到0.03毫米。”" in forum.text
    assert "江淮腹地，“中国声谷”。" in forum.text


def test_real_pages(realdata):
    """Gold texts of real pages: stable, no Han character lost, Chinese marks in CJK context."""
    from corpuskit.normalize.chars import count_han

    keep_script = Normalizer(BuildConfig(opencc_config="none"))
    paths = sorted((realdata / "cwce" / "cleaned").glob("*.txt"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        out = keep_script.normalize_text(text)
        assert keep_script.normalize_text(out) == out, path.name
        assert count_han(out) == count_han(text), path.name
        assert not HAN_COMMA_HAN.search(out), path.name
        assert "\u3000" not in out and "\u200b" not in out
