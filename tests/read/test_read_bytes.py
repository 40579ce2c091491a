"""read.read_bytes: a document file is read by its size, and never past the limit."""

import os

import pytest

import corpuskit.read as read
from corpuskit.errors import InputError


def test_reads_the_whole_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("新闻正文。".encode("utf-8") * 1000)
    assert read.read_bytes(path, "a.txt") == path.read_bytes()


def test_a_file_over_the_limit_is_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_DOCUMENT_BYTES", 100)
    (tmp_path / "ok.txt").write_bytes(b"x" * 100)
    (tmp_path / "big.txt").write_bytes(b"x" * 101)
    assert len(read.read_bytes(tmp_path / "ok.txt", "ok.txt")) == 100
    with pytest.raises(InputError) as info:
        read.read_bytes(tmp_path / "big.txt", "big.txt")
    assert info.value.reason == "too_large"


@pytest.mark.parametrize("size, rejected", [(80, False), (100, False), (150, True)])
def test_a_file_that_grew_after_it_was_opened_is_read_to_the_limit(tmp_path, monkeypatch, size, rejected):
    """The read is sized by fstat: a file longer than fstat said (it grew) is read on, so it
    is neither cut short nor let past the limit."""
    monkeypatch.setattr(read, "MAX_DOCUMENT_BYTES", 100)
    path = tmp_path / "grew.txt"
    path.write_bytes(b"y" * size)
    real_fstat = os.fstat

    class Shorter:
        def __init__(self, result):
            self._result = result

        def __getattr__(self, name):
            return 10 if name == "st_size" else getattr(self._result, name)

    real_stat = os.stat
    monkeypatch.setattr(read.os, "fstat", lambda fd: Shorter(real_fstat(fd)))
    monkeypatch.setattr(read.os, "stat", lambda p, *a, **k: Shorter(real_stat(p, *a, **k)) if str(p) == str(path) else real_stat(p, *a, **k))
    if rejected:
        with pytest.raises(InputError) as info:
            read.read_bytes(path, "grew.txt")
        assert info.value.reason == "too_large"
    else:
        assert read.read_bytes(path, "grew.txt") == b"y" * size
