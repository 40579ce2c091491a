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
_MEASURED_MAIN = (
    "import resource, sys\n"
    "from corpuskit.cli import main\n"
    "try:\n"
    "    rc = main(sys.argv[1:])\n"
    "finally:\n"
    "    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
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
