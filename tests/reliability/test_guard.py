"""Issue 9.5: the per-document time limit and failure guard (corpuskit.guard)."""

from __future__ import annotations

import re
import time

import pytest

from corpuskit.config import BuildConfig
from corpuskit.errors import InputError
from corpuskit.guard import DocumentGuard, DocumentTimeout, can_limit_time, run_document, time_limit
from corpuskit.pipeline import build

from .corpus import seed_paragraphs
from .helpers import read_ledger, run_cli

pytestmark = pytest.mark.skipif(not can_limit_time(), reason="needs SIGALRM in the main thread")

CATASTROPHIC = re.compile(r"(a+)+$")  # exponential on "aaaa…!"


def test_time_limit_interrupts_a_backtracking_regex():
    started = time.monotonic()
    with pytest.raises(DocumentTimeout):
        with time_limit(0.2):
            CATASTROPHIC.match("a" * 40 + "!")
    assert time.monotonic() - started < 3


def test_time_limit_is_disarmed_after_the_block():
    with time_limit(0.05):
        pass
    time.sleep(0.15)  # an alarm left armed would raise here


def test_nested_limits_restore_the_outer_one():
    with pytest.raises(DocumentTimeout) as outer:
        with time_limit(0.4):
            with time_limit(5):
                pass
            CATASTROPHIC.match("a" * 40 + "!")
    assert outer.value.seconds == 0.4


def test_swallowing_the_timeout_does_not_escape_it():
    def stubborn(_doc):
        caught = 0
        while True:
            try:
                CATASTROPHIC.match("a" * 40 + "!")
            except DocumentTimeout:
                caught += 1  # a stage that swallows the exception and goes on …
                if caught > 3:
                    return ["escaped"]

    started = time.monotonic()
    with pytest.raises(InputError) as error:
        run_document(stubborn, None, 0.1, "a.txt")
    # … is still stopped: the alarm fires again, and the result is a timeout all the same
    assert error.value.reason == "timeout"
    assert time.monotonic() - started < 60


def test_one_guard_limits_each_document_of_a_run():
    """A run of documents under one DocumentGuard (the handler set once): each document has its
    own limit, a timeout costs that document only, and the handler is given back at the end."""
    import signal

    before = signal.getsignal(signal.SIGALRM)

    def stage(doc):
        if doc == "slow":
            CATASTROPHIC.match("a" * 40 + "!")
        time.sleep(0.06)  # three quick documents take longer than one limit together
        return [doc]

    got = []
    with DocumentGuard(0.1) as guard:
        for doc in ["a", "slow", "b", "c", "slow", "d"]:
            try:
                got.append(guard.run(stage, doc, "x.jsonl", 1)[0])
            except InputError as error:
                got.append(error.reason)
    assert got == ["a", "timeout", "b", "c", "timeout", "d"]
    assert signal.getsignal(signal.SIGALRM) is before
    time.sleep(0.15)  # no alarm is left armed


def test_a_guard_inside_another_limit_keeps_the_outer_one():
    with pytest.raises(DocumentTimeout) as outer:
        with time_limit(0.4):
            with DocumentGuard(5) as guard:
                assert guard.run(lambda d: [d], "a", "x.txt") == ["a"]
            CATASTROPHIC.match("a" * 40 + "!")
    assert outer.value.seconds == 0.4


def test_run_document_turns_failures_into_ledger_reasons():
    def crash(_doc):
        raise RecursionError("maximum recursion depth exceeded")

    with pytest.raises(InputError) as error:
        run_document(crash, None, 5, "page.html", line=7)
    assert (error.value.reason, error.value.line) == ("internal_error", 7)
    assert "RecursionError" in error.value.detail

    def slow(_doc):
        return CATASTROPHIC.match("a" * 40 + "!")

    with pytest.raises(InputError) as error:
        run_document(slow, None, 0.1, "page.html")
    assert error.value.reason == "timeout" and "--timeout" in error.value.detail

    def interrupted(_doc):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_document(interrupted, None, 5, "page.html")


def _html_pages(root, count=4):
    paragraphs = seed_paragraphs()
    root.mkdir()
    for i in range(count):
        body = "".join(f"<p>{p}</p>" for p in paragraphs[i * 5 : i * 5 + 5])
        (root / f"page{i}.html").write_text(
            f"<!DOCTYPE html><html><head><title>第{i}篇</title></head><body><article>{body}</article></body></html>",
            encoding="utf-8",
        )
    (root / "notes.jsonl").write_text(
        "\n".join('{"html": "<html><body><article>%s</article></body></html>"}' % f"<p>{p}</p>" for p in paragraphs[40:43]),
        encoding="utf-8",
    )


@pytest.mark.parametrize("workers", [1, 2])
def test_a_runaway_document_becomes_a_timeout_entry_not_a_stalled_build(tmp_path, workers):
    """The real stages under a limit no document can meet: every document is rejected, the build completes."""
    _html_pages(tmp_path / "raw")
    build(tmp_path / "raw", tmp_path / "out", BuildConfig(workers=workers, document_timeout=1e-5))
    ledger = {line["path"]: line for line in read_ledger(tmp_path / "out")}
    for i in range(4):
        assert ledger[f"page{i}.html"]["reason"] == "timeout"
    assert [bad["reason"] for bad in ledger["notes.jsonl"]["rejected_lines"]] == ["timeout"] * 3
    assert [bad["line"] for bad in ledger["notes.jsonl"]["rejected_lines"]] == [1, 2, 3]


def test_cli_timeout_option_prints_one_line_per_timed_out_document(tmp_path):
    _html_pages(tmp_path / "raw", count=2)
    proc = run_cli("build", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--timeout", "0.00001", "--workers", "1", "-q")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert sorted(line.split(" (")[0] for line in lines) == sorted(
        ["corpuskit: rejected page0.html: timeout", "corpuskit: rejected page1.html: timeout"]
        + [f"corpuskit: rejected notes.jsonl:{n}: timeout" for n in (1, 2, 3)]
        + ["corpuskit: rejected notes.jsonl: no_documents"]
    )
