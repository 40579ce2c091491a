"""Running corpuskit the way a user does: ``python -m corpuskit build`` in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..conftest import REPO

# Run the CLI and report its peak memory (self and worker processes) on the last line of stderr.
# Self is VmHWM, the high-water mark of this process's own address space: ru_maxrss would
# carry over the RSS of the process that forked it (Linux keeps it across execve), so a CLI
# started from a big pytest process would report pytest's size.  Workers are forked from the
# CLI without exec, so RUSAGE_CHILDREN is theirs.
_MEASURED_MAIN = (
    "import resource, sys\n"
    "from corpuskit.cli import main\n"
    "def vm_hwm_kib():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            return int(line.split()[1])\n"
    "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "try:\n"
    "    rc = main(sys.argv[1:])\n"
    "finally:\n"
    "    peak = max(vm_hwm_kib(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "    print(f'peak_rss_kib={peak}', file=sys.stderr)\n"
    "sys.exit(rc)\n"
)


def env() -> dict:
    e = dict(os.environ, HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", PYTHONUNBUFFERED="1")
    e["PYTHONPATH"] = str(REPO / "src") + os.pathsep + e.get("PYTHONPATH", "")
    return e


def without_root_privileges() -> list[str]:
    """A command prefix under which root cannot read a chmod 000 file (as a normal user cannot)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if setpriv else []


def can_make_unreadable() -> bool:
    return os.geteuid() != 0 or bool(without_root_privileges())


def cli_command(*args: str, measure: bool = False) -> list[str]:
    entry = ["-c", _MEASURED_MAIN] if measure else ["-m", "corpuskit"]
    return [*without_root_privileges(), sys.executable, *entry, *args]


def run_cli(*args: str, measure: bool = False, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(cli_command(*args, measure=measure), capture_output=True, text=True, env=env(), timeout=timeout)


def read_ledger(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "ledger.jsonl").read_text(encoding="utf-8").splitlines()]
