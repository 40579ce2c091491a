"""Encoding detection at the edges the bad-input suite does not reach by itself."""

from __future__ import annotations

import pytest

from corpuskit.errors import InputError
from corpuskit.read.decode import decode_bytes

CHINESE = "江淮腹地，数字产业集群加速成长。业内人士表示，产业链上下游协同创新是关键。\n" * 3


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_chinese_without_bom_or_ascii(encoding):
    """Pure Chinese UTF-16 has almost no NUL bytes: it must not be taken for binary."""
    decoded = decode_bytes(CHINESE.encode(encoding), "a.txt")
    assert decoded.encoding == encoding and decoded.text == CHINESE


def test_latin1_alphanumerics_are_not_read_as_utf16():
    """Pairs of ASCII letters are CJK code points in UTF-16: a Latin-1 file of
    identifiers must still be read as the single-byte text it is."""
    data = ("order_id=A1b2C3d4E5f6G7h8&session=café" * 40).encode("latin-1")
    decoded = decode_bytes(data, "a.txt")
    assert "café" in decoded.text


def test_one_cut_character_keeps_a_short_utf8_file():
    data = CHINESE.encode("utf-8")
    damaged = data[:40] + data[41:]  # one byte of a character lost
    decoded = decode_bytes(damaged, "a.txt")
    assert decoded.encoding == "utf-8" and 1 <= decoded.replaced <= 3


def test_nul_bytes_that_are_not_utf16_are_binary():
    with pytest.raises(InputError) as error:
        decode_bytes(b"\x00\x01\x02\x03abc\x00\x00\x00" * 100, "a.txt")
    assert error.value.reason == "binary"
