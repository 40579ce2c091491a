"""read.decode: the control-character share that rejects binary files posing as text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.read.decode import MAX_CONTROL_SHARE, _control_share, decode_bytes
from corpuskit.errors import InputError

import pytest


def control_share_by_loop(text: str) -> float:
    """The definition, character by character: C0 controls other than whitespace, and U+FFFD."""
    sample = text[:20000]
    if not sample:
        return 0.0
    return sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f\v") or ch == "\ufffd") / len(sample)


@settings(max_examples=300)
@given(st.text(alphabet=st.one_of(st.characters(max_codepoint=0x40), st.sampled_from("中文\ufffd\x7f\x85　")), max_size=300))
def test_control_share_counts_what_the_loop_counts(text):
    assert _control_share(text) == control_share_by_loop(text)


def test_only_the_first_20000_characters_count():
    text = "中" * 20000 + "\x00" * 5000
    assert _control_share(text) == 0.0 == control_share_by_loop(text)


def test_text_of_control_characters_is_rejected_as_binary():
    data = ("\x01\x02\x03中文" * 100).encode("utf-8")
    assert _control_share(data.decode()) > MAX_CONTROL_SHARE
    with pytest.raises(InputError) as info:
        decode_bytes(data, "a.txt")
    assert info.value.reason == "binary"
