"""Write a folder completely or not at all.

Output goes to a hidden staging folder beside OUT; ``commit`` swaps it into
place (an atomic exchange where the OS has one), so a failed or killed build
leaves the previous OUT untouched.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

from .errors import BuildError

_RENAME_EXCHANGE = 2  # renameat2 flag (Linux ≥ 3.15)
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the OS cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


class StagingDir:
    def __init__(self, out: Path):
        self.out = Path(out).absolute()
        parent = self.out.parent
        self.path = parent / f".{self.out.name}.staging-{os.getpid()}"
        self.work = parent / f".{self.out.name}.work-{os.getpid()}"  # scratch, never published
        self.committed = False

    def __enter__(self) -> StagingDir:
        parent = self.out.parent
        if not parent.is_dir():
            raise BuildError(f"cannot write {self.out}: the folder {parent} does not exist")
        if self.out.exists() and not self.out.is_dir():
            raise BuildError(f"cannot write {self.out}: it exists and is not a folder")
        try:
            for p in (self.path, self.work):
                if p.exists():
                    shutil.rmtree(p)
                p.mkdir()
        except OSError as exc:
            raise BuildError(f"cannot write {self.out}: {exc.strerror or exc}") from exc
        return self

    def commit(self) -> None:
        """Put the staged folder in OUT's place."""
        if self.out.exists():
            if not _exchange(self.path, self.out):
                old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
                os.rename(self.out, old)
                os.rename(self.path, self.out)
                self.path = old
            shutil.rmtree(self.path, ignore_errors=True)  # now holds the previous OUT
        else:
            os.rename(self.path, self.out)
        self.committed = True

    def __exit__(self, *exc_info) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        if not self.committed:
            shutil.rmtree(self.path, ignore_errors=True)
