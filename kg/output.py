"""Atomic writes: a failed or interrupted run never leaves half a file or directory.

* :func:`atomic_file` writes to a temporary file beside the target and renames it
  into place.
* :class:`AtomicDir` builds a whole output directory in a temporary sibling and
  swaps it in at the end; until then the previous contents stay untouched.

The swap of the outermost output (not of a file inside a build directory) is
the command's commit: SIGINT and SIGTERM are held back during it (see
:mod:`kg.interrupt`), so a signal never leaves the output half swapped, and one
that lands after it does not report a finished build as interrupted.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from kg import interrupt
from kg.errors import OutputError, shown

MARKER = ".kg-build"  # written into every build directory
LOCK = ".kg-lock"  # held (flock) by the process writing a temporary directory
STALE_UNLOCKED_SECONDS = 600  # a temporary directory without a lock file is stale after this


def hold_lock(directory: Path) -> int | None:
    """Create ``directory/.kg-lock`` and hold an exclusive lock on it; returns the fd.

    The lock is released when the process ends, however it ends (even SIGKILL),
    so a later run can tell a dead writer's directory from a live one.  Returns
    None where ``fcntl`` is missing (not POSIX).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    fd = os.open(directory / LOCK, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def release_lock(directory: Path, fd: int | None) -> None:
    """Remove the lock file of :func:`hold_lock` and release the lock."""
    with contextlib.suppress(OSError):
        os.unlink(directory / LOCK)
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


def _is_stale(path: Path) -> bool:
    """Whether a temporary directory of kg belongs to no running process."""
    lock = path / LOCK
    if lock.exists():
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            return False
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a live process holds it
        finally:
            os.close(fd)
        return True
    m = re.search(r"\.old-(\d+)$", path.name)
    if m:  # moved aside during a swap by process PID
        try:
            os.kill(int(m.group(1)), 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False
        return False
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    return age > STALE_UNLOCKED_SECONDS


def remove_stale(parent: Path, prefix: str) -> list[Path]:
    """Remove the stale temporary directories ``parent/prefix*`` that kg wrote.

    Only directories holding kg's marker or lock file are candidates, and only
    those no running process owns (see :func:`hold_lock`) are removed.
    """
    removed: list[Path] = []
    try:
        candidates = sorted(parent.glob(glob.escape(prefix) + "*"))
    except OSError:
        return removed
    for path in candidates:
        if path.is_symlink() or not path.is_dir():
            continue
        if not ((path / MARKER).exists() or (path / LOCK).exists()):
            continue
        if _is_stale(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


class _Open:
    depth = 0  # atomic outputs being written; the outermost one is the command's output


def _commit() -> contextlib.AbstractContextManager[None]:
    """Signals held back while the outermost output is swapped in (see the module doc)."""
    return interrupt.committing() if _Open.depth == 1 else contextlib.nullcontext()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_file_target(path: str | os.PathLike[str]) -> Path:
    """``path`` as a Path, if a file can be written there (it is not a directory).

    :func:`atomic_file` checks this itself; a command calls it first too, so that
    a wrong ``--out`` fails before the work rather than after it.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(
            f"cannot write {shown(target)}: it is a directory",
            hint="name a file for the output, e.g. --out pred.jsonl",
        )
    return target


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str], mode: str = "w") -> Iterator[object]:
    """Open a temporary file that replaces ``path`` only when the block succeeds."""
    target = check_file_target(path)
    parent = target.parent if str(target.parent) else Path(".")
    tmp: str | None = None
    _Open.depth += 1
    try:
        try:
            parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
        except OSError as exc:
            raise OutputError(
                f"cannot write {shown(target)}: {exc.strerror}",
                hint="choose a writable output path",
            ) from exc
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else "\n"
        with open(fd, mode, encoding=encoding, newline=newline) as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual file mode
        with _commit():
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise OutputError(
                    f"cannot write {shown(target)}: {exc.strerror}",
                    hint="choose a writable output path",
                ) from exc
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    finally:
        _Open.depth -= 1


class AtomicDir:
    """Build an output directory atomically.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> with AtomicDir(root / "out") as tmp:
    ...     _ = (tmp / "a.txt").write_text("x")
    >>> sorted(p.name for p in (root / "out").iterdir())
    ['.kg-build', 'a.txt']
    """

    def __init__(self, target: str | os.PathLike[str]) -> None:
        self.target = Path(target)
        self.tmp: Path | None = None
        self._lock: int | None = None
        #: stale temporary directories of earlier, killed builds that were removed
        self.removed: list[Path] = []

    def __enter__(self) -> Path:
        target = self.target
        if target.exists() and not target.is_dir():
            raise OutputError(
                f"{shown(target)} exists and is not a directory",
                hint="pass a directory path to --out",
            )
        if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
            raise OutputError(
                f"{shown(target)} is a non-empty directory that kg did not write",
                hint="choose an empty or new directory for --out, so nothing of yours is replaced",
            )
        parent = target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
        except OSError as exc:
            raise OutputError(
                f"cannot create a directory beside {shown(target)}: {exc.strerror}",
                hint="choose a writable location for --out",
            ) from exc
        try:  # until __enter__ returns, __exit__ will not remove the directory
            os.chmod(self.tmp, 0o777 & ~_umask())  # mkdtemp makes 0700
            self._lock = hold_lock(self.tmp)
            (self.tmp / MARKER).write_text("written by union-kg\n", encoding="utf-8")
        except BaseException as exc:
            shutil.rmtree(self.tmp, ignore_errors=True)
            if isinstance(exc, OSError):
                raise OutputError(
                    f"cannot write into a directory beside {shown(target)}: {exc.strerror}",
                    hint="choose a writable location for --out",
                ) from exc
            raise
        # what builds killed with SIGKILL left behind (ours are locked, so never taken)
        self.removed = remove_stale(parent, f".{target.name}.tmp-")
        self.removed += remove_stale(parent, f".{target.name}.old-")
        _Open.depth += 1
        return self.tmp

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self.tmp is not None
        release_lock(self.tmp, self._lock)  # (its file goes: the directory may become the build)
        try:
            if exc_type is None:
                self._swap(self.tmp)
        finally:
            _Open.depth -= 1
            # after a failure (even a signal on the way into the swap); gone once swapped in
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _swap(self, tmp: Path) -> None:
        old: Path | None = None
        with _commit():  # the old build moves aside and the new one in, or neither
            try:
                if self.target.exists():
                    old = self.target.with_name(f".{self.target.name}.old-{os.getpid()}")
                    os.replace(self.target, old)
                os.replace(tmp, self.target)
            except OSError as exc:
                if old is not None and not self.target.exists():
                    os.replace(old, self.target)
                raise OutputError(
                    f"cannot move the new build into {shown(self.target)}: {exc.strerror}",
                    hint="check permissions on the output directory",
                ) from exc
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
