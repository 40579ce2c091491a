"""Issue 9.2–9.3: killed, interrupted and concurrent builds never damage OUT."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import datasets
import psutil
import pytest

from corpuskit.config import BuildConfig
from corpuskit.errors import BuildError
from corpuskit.pipeline import build
from corpuskit.staging import StagingDir

from .corpus import make_seed_corpus
from .helpers import cli_command, env, read_ledger

DEAD_PID = 4_000_000  # above Linux's pid_max: never a live process


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.glob(f".{out.name}.*"))


def start_build(raw: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        cli_command("build", str(raw), "--out", str(out), "-q", *extra),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(),
    )


def wait_for_staging(proc: subprocess.Popen, out: Path, timeout: float = 60) -> None:
    """Block until the child build has started writing (its staging folder exists)."""
    staging = out.parent / f".{out.name}.staging-{proc.pid}"
    deadline = time.monotonic() + timeout
    while not staging.exists():
        assert proc.poll() is None, f"the build ended before it started writing: {proc.communicate()}"
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.01)


def loads_with_datasets(out: Path) -> int:
    ds = datasets.load_dataset(str(out), split="train")
    return len(ds)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Two versions of a 300-document corpus and the first one built into OUT."""
    root = tmp_path_factory.mktemp("interrupt")
    raw = root / "raw"
    make_seed_corpus(raw, documents=300)
    old_raw = root / "old_raw"
    old_raw.mkdir()
    for path in sorted(raw.iterdir())[:200]:
        (old_raw / path.name).write_bytes(path.read_bytes())
    out = root / "out"
    build(old_raw, out, BuildConfig(workers=1))
    return raw, out, snapshot(out)


def test_sigkill_at_random_points_leaves_previous_out_readable(corpus):
    raw, out, before = corpus
    rows_before = loads_with_datasets(out)
    rng = random.Random(9)
    for attempt in range(3):
        proc = start_build(raw, out, "--workers", "2" if attempt % 2 else "1")
        wait_for_staging(proc, out)
        time.sleep(rng.uniform(0.0, 1.5))
        workers = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = snapshot(out)
        if after != before:  # the kill fell after the swap: then OUT is the whole new build
            assert len(read_ledger(out)) == 300
            before = after
        files = len(read_ledger(out))
        assert files in {200, 300}
        rows = loads_with_datasets(out)
        assert rows == rows_before if files == 200 else rows > rows_before
        gone, alive = psutil.wait_procs(workers, timeout=10)
        assert not alive, f"worker processes outlived the killed build: {alive}"
    # a re-run completes and clears what the killed runs left
    proc = start_build(raw, out, "--workers", "2")
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert len(read_ledger(out)) == 300
    assert loads_with_datasets(out) > rows_before
    assert leftovers(out) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_stops_cleanly_with_one_message(corpus, signum):
    raw, out, _ = corpus
    before = snapshot(out)
    proc = start_build(raw, out, "--workers", "2")
    wait_for_staging(proc, out)
    time.sleep(0.2)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the build finished before the interrupt arrived")
    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["corpuskit: interrupted; the previous output was left as it was"]
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_second_build_into_same_out_refuses(corpus, tmp_path):
    raw, out, _ = corpus
    first = start_build(raw, out, "--workers", "1")
    wait_for_staging(first, out)
    lock = out.parent / f".{out.name}.lock"
    assert lock.read_text().strip() == str(first.pid)
    # in-process: a BuildError naming the other build
    with pytest.raises(BuildError, match=rf"another build is writing .*\(pid {first.pid}\)"):
        build(raw, out, BuildConfig(workers=1))
    # from the command line: one clear line, exit status 1
    second = subprocess.run(cli_command("build", str(raw), "--out", str(out), "-q"), capture_output=True, text=True, env=env(), timeout=120)
    assert second.returncode == 1
    assert len(second.stderr.strip().splitlines()) == 1 and "another build is writing" in second.stderr
    assert first.poll() is None or first.returncode == 0
    _, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    assert len(read_ledger(out)) == 300
    assert not lock.exists() and leftovers(out) == []
    with StagingDir(out):  # the lock is free again
        assert lock.read_text().strip() == str(os.getpid())


def test_leftovers_of_killed_builds_are_recovered(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "ledger.jsonl").write_text("previous\n")
    # killed between "OUT → .out.old-PID" and "staging → OUT" (systems without an atomic exchange)
    os.rename(out, tmp_path / f".out.old-{DEAD_PID}")
    (tmp_path / f".out.staging-{DEAD_PID}").mkdir()
    (tmp_path / f".out.work-{DEAD_PID}").mkdir()
    with StagingDir(out) as stage:
        assert (out / "ledger.jsonl").read_text() == "previous\n"  # put back before anything else
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            ["out", ".out.lock", stage.path.name, stage.work.name]
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_commit_without_atomic_exchange_still_replaces_out(tmp_path, monkeypatch):
    """Where renameat2 is missing the two-rename fallback is used; its leftovers are recovered."""
    import corpuskit.staging as staging

    monkeypatch.setattr(staging, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    for generation in ("first", "second"):
        with StagingDir(out) as stage:
            (stage.path / "ledger.jsonl").write_text(generation)
            stage.commit()
        assert (out / "ledger.jsonl").read_text() == generation
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
