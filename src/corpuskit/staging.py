"""Write a folder completely or not at all, one build at a time.

Output goes to a hidden staging folder beside OUT; ``commit`` swaps it into
place (an atomic exchange where the OS has one), so a failed or killed build
leaves the previous OUT untouched.

Beside OUT live, for the length of one build:

- ``.OUT.lock``        an exclusive ``flock`` held for the whole build, with the
  holder's pid: a second build into the same OUT refuses to start;
- ``.OUT.staging-PID`` the new OUT being written;
- ``.OUT.work-PID``    scratch (the record spill), never published;
- ``.OUT.old-PID``     only where the OS has no atomic exchange: the previous
  OUT during the two renames that replace it.

A build killed outright (SIGKILL, power loss) leaves some of these behind; the
next build into the same OUT removes them once it holds the lock, and puts a
previous OUT back if the kill fell between the two renames.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
from pathlib import Path

from .errors import BuildError

try:
    import fcntl
except ImportError:  # not POSIX: builds are not locked
    fcntl = None  # type: ignore[assignment]

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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _fsync_path(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot sync a directory; the rename is still atomic
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    """Flush every file and folder under ``root`` to disk (so a swap after a
    power cut never exposes a folder whose files are still in the page cache)."""
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            _fsync_path(Path(dirpath) / name)
        _fsync_path(Path(dirpath))


class BuildLock:
    """An exclusive lock on OUT: ``.OUT.lock`` beside it, ``flock``-ed, holding the pid.

    The kernel drops a ``flock`` when its holder dies however it dies, so a
    killed build never leaves OUT locked.  The file is removed on release; a
    build that opened it just before is told by the inode check and retries.
    """

    def __init__(self, out: Path):
        self.out = Path(out).absolute()
        self.path = self.out.parent / f".{self.out.name}.lock"
        self._fd: int | None = None
        self.held = False  # False also where the filesystem cannot lock

    def acquire(self) -> None:
        if fcntl is None:
            return
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise BuildError(f"cannot write {self.out}: cannot create the lock {self.path}: {exc.strerror or exc}") from exc
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = self._read_pid(fd)
                os.close(fd)
                raise BuildError(
                    f"another build is writing {self.out} (pid {holder or 'unknown'}); "
                    f"wait for it to finish or choose another --out (lock: {self.path})"
                ) from None
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
                    return  # a filesystem without locks: build unlocked (staging names are per-pid)
                raise BuildError(f"cannot lock {self.path}: {exc.strerror or exc}") from exc
            try:
                ours = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                ours = False
            if ours:
                break
            os.close(fd)  # the previous holder removed the file between our open and flock
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        self.held = True

    @staticmethod
    def _read_pid(fd: int) -> int | None:
        try:
            text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.unlink(self.path)  # while still holding it: see the class docstring
        except OSError:
            pass
        os.close(self._fd)
        self._fd = None
        self.held = False


class StagingDir:
    def __init__(self, out: Path):
        self.out = Path(out).absolute()
        parent = self.out.parent
        self.path = parent / f".{self.out.name}.staging-{os.getpid()}"
        self.work = parent / f".{self.out.name}.work-{os.getpid()}"  # scratch, never published
        self.lock = BuildLock(self.out)
        self.committed = False

    def __enter__(self) -> StagingDir:
        parent = self.out.parent
        if not parent.is_dir():
            raise BuildError(f"cannot write {self.out}: the folder {parent} does not exist")
        if self.out.exists() and not self.out.is_dir():
            raise BuildError(f"cannot write {self.out}: it exists and is not a folder")
        self.lock.acquire()
        try:
            self.recover_leftovers()
            for p in (self.path, self.work):
                if p.exists():
                    shutil.rmtree(p)
                p.mkdir()
        except OSError as exc:
            self.lock.release()
            raise BuildError(f"cannot write {self.out}: {exc.strerror or exc}") from exc
        except BaseException:
            self.lock.release()
            raise
        return self

    def leftovers(self) -> list[tuple[str, int, Path]]:
        """(kind, pid, path) of every staging/work/old folder of OUT that a build left beside it."""
        pattern = re.compile(rf"\.{re.escape(self.out.name)}\.(staging|work|old)-([0-9]+)")
        found = []
        for entry in os.scandir(self.out.parent):
            match = pattern.fullmatch(entry.name)
            if match:
                found.append((match.group(1), int(match.group(2)), Path(entry.path)))
        return sorted(found, key=lambda item: item[2].name)

    def recover_leftovers(self) -> list[Path]:
        """Remove what killed builds left; put back a previous OUT a kill left aside.

        Holding the lock means no other build of this OUT is running, so every
        leftover is dead; without a lock (a filesystem that has none) only those
        whose pid is dead are touched.
        """
        removed = []
        for kind, pid, path in self.leftovers():
            if not self.lock.held and pid != os.getpid() and _pid_alive(pid):
                continue
            if kind == "old" and not self.out.exists():
                # killed between "OUT → old" and "staging → OUT": the old one is OUT
                os.rename(path, self.out)
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        return removed

    def commit(self) -> None:
        """Put the staged folder in OUT's place."""
        fsync_tree(self.path)
        if self.out.exists():
            if not _exchange(self.path, self.out):
                old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
                os.rename(self.out, old)
                os.rename(self.path, self.out)
                self.path = old
            _fsync_path(self.out.parent)
            self.committed = True
            shutil.rmtree(self.path, ignore_errors=True)  # now holds the previous OUT
        else:
            os.rename(self.path, self.out)
            _fsync_path(self.out.parent)
            self.committed = True

    def __exit__(self, *exc_info) -> None:
        try:
            shutil.rmtree(self.work, ignore_errors=True)
            if not self.committed:
                shutil.rmtree(self.path, ignore_errors=True)
        finally:
            self.lock.release()
