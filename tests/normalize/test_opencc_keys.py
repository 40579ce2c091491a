"""The exact "may OpenCC change this text?" test read from OpenCC's own dictionaries."""

from __future__ import annotations

import os
import random

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.normalize.changes import Changes
from corpuskit.normalize.opencc_keys import change_test, dictionary_keys, read_ocd2, share_dir
from corpuskit.normalize.script import NO_CONVERSION, VALID_CONFIGS, ScriptConverter

CONFIGS = [c for c in VALID_CONFIGS if c != NO_CONVERSION]
COMMON = "的一是了我不人在有这个上们来到时大地为子中说生国年着就那和要数字产业集群加速成长，。“”"


def test_reads_keys_and_first_values_of_a_dictionary():
    chars = read_ocd2(os.path.join(share_dir(), "TSCharacters.ocd2"))
    assert chars["數"] == "数" and chars["產"] == "产"
    phrases = read_ocd2(os.path.join(share_dir(), "TSPhrases.ocd2"))
    assert phrases["深沈"] == "深沉"  # a phrase of two characters that do not change alone


def test_not_an_ocd2_file_is_refused(tmp_path):
    bad = tmp_path / "x.ocd2"
    bad.write_bytes(b"OPENCCDARTS1 something else")
    with pytest.raises(ValueError):
        read_ocd2(str(bad))


@pytest.mark.parametrize("config", ["t2s", "tw2sp", "s2twp"])
def test_every_changing_key_is_caught(config):
    """Each changing key on its own, between unchanged characters, is flagged."""
    keys, _ = dictionary_keys(config)
    may_change = change_test(config)
    assert may_change is not None
    assert all(may_change(f"的{key}的") for key in keys)


@pytest.mark.parametrize("config", CONFIGS)
def test_texts_said_unchanging_come_out_of_opencc_unchanged(config):
    """The claim that matters, on strings dense in the configuration's own key
    characters (where phrase rules fire): never a text OpenCC would change."""
    keys, _ = dictionary_keys(config)
    may_change = change_test(config)
    assert may_change is not None
    converter = opencc.OpenCC(config)
    rng = random.Random(config)
    pool = sorted({c for key in keys for c in key}) + list(COMMON) * 20
    skipped = 0
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 10)))
        if not may_change(text):
            skipped += 1
            assert converter.convert(text) == text, text
    assert skipped > 20  # the test did look at texts it may skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("深沈沉坏坯毛捏覆反答藉口找瞭解不數字的一") + ["衹得", "反覆"]), max_size=12).map("".join))
def test_t2s_fast_path_equals_opencc(text):
    assert ScriptConverter("t2s")(text) == opencc.OpenCC("t2s").convert(text)


def test_simplified_text_skips_opencc():
    may_change = change_test("t2s")
    assert not may_change("随着中国数字经济持续快速发展，一批数字产业加速聚链成群。")
    assert may_change("數字") and may_change("意志消沈") and may_change("𠮷")  # a supplementary character may change


def test_unreadable_dictionaries_mean_convert_everything(monkeypatch):
    import corpuskit.normalize.opencc_keys as keys_module

    monkeypatch.setattr(keys_module, "share_dir", lambda: "/nonexistent")
    keys_module.change_test.cache_clear()
    try:
        assert keys_module.change_test("t2s") is None
        converter = ScriptConverter("t2s")
        changes = Changes()
        assert converter.apply("數字產業", changes) == "数字产业" and changes.counts == {"opencc_t2s": 3}
    finally:
        monkeypatch.undo()
        keys_module.change_test.cache_clear()


def test_lone_surrogates_still_go_to_the_converter():
    """The converter replaces a lone surrogate (OpenCC reads UTF-8): the skip
    must not keep one that conversion would have replaced."""
    text = "数字\ud800产业"
    assert change_test("t2s")(text)
    assert ScriptConverter("t2s")(text) == "数字?产业"
