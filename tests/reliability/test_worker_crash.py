"""A worker process that dies (segfault in a C extension, the OOM killer) costs
no file but the one that kills it: the build goes on."""

from __future__ import annotations

import ctypes
import faulthandler
import multiprocessing
import signal

import psutil
import pytest

from corpuskit.config import BuildConfig
from corpuskit.pipeline import DocumentStages, build

from .corpus import make_seed_corpus
from .helpers import read_ledger
from .test_interrupt import start_build, wait_for_staging

CRASH_MARK = "【触发崩溃】"


def test_a_worker_killed_mid_build_costs_no_file(tmp_path):
    """The OOM killer takes a worker: the files it held are read again, all 300 are kept."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    make_seed_corpus(raw, documents=300)
    proc = start_build(raw, out, "--workers", "2")
    wait_for_staging(proc, out)
    workers = []
    while not workers and proc.poll() is None:
        workers = psutil.Process(proc.pid).children()
    assert workers, "the build ended before a worker could be killed"
    workers[0].send_signal(signal.SIGKILL)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    ledger = read_ledger(out)
    assert len(ledger) == 300
    assert {line["status"] for line in ledger} <= {"kept", "merged"}, [l for l in ledger if l["status"] == "rejected"][:2]


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the crash is planted through fork")
def test_a_document_that_segfaults_its_worker_is_rejected_as_worker_crashed(tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    make_seed_corpus(raw, documents=40)
    victim = raw / "doc_0017.txt"
    victim.write_text(victim.read_text(encoding="utf-8") + CRASH_MARK + "\n", encoding="utf-8")
    real_call = DocumentStages.__call__

    def segfault_on_mark(self, doc):
        if CRASH_MARK in doc.text:
            faulthandler.disable()  # pytest's crash dump is noise here: the crash is the point
            ctypes.string_at(0)  # a real segmentation fault, as a broken C extension would cause
        return real_call(self, doc)

    monkeypatch.setattr(DocumentStages, "__call__", segfault_on_mark)  # inherited by the forked workers
    build(raw, out, BuildConfig(workers=2))
    ledger = {line["path"]: line for line in read_ledger(out)}
    assert len(ledger) == 40
    assert ledger["doc_0017.txt"]["status"] == "rejected"
    assert ledger["doc_0017.txt"]["reason"] == "worker_crashed"
    assert all(line["status"] in {"kept", "merged"} for path, line in ledger.items() if path != "doc_0017.txt")
