"""One batch at a time on an output, whatever name it is given.

Two locks, both ``flock``, which the kernel releases when the holder dies, however it dies:

* ``REAL.lock`` beside the file the output's path resolves to (symlinks followed), so
  ``out.jsonl`` and a symlink to it share one lock, even before the output exists. It holds
  the holder's pid, for the message a second run gives; the holder removes it when done, and
  a run that locked a file removed meanwhile tries again on the new one.
* the output file itself, when it exists, so that a hard link to it (another path to the same
  inode) is locked too.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from entityx.batch.errors import BatchError


@contextmanager
def exclusive(output: Path) -> Iterator[Path]:
    """Hold the locks of ``output`` for the block; yields the lock file's path.

    Raises:
        BatchError: another batch holds them (the message names its pid when known), or the
            lock file cannot be created (the output's folder is not writable).
    """
    real = Path(os.path.realpath(output))
    with ExitStack() as stack:
        path, fd = stack.enter_context(_lock_file(output, Path(f"{real}.lock")))
        stack.enter_context(_lock_inode(output, real))
        with suppress(OSError):  # the pid only names the holder; a full disk may refuse it
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        yield path


@contextmanager
def _lock_file(output: Path, path: Path) -> Iterator[tuple[Path, int]]:
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise BatchError(f"{output}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise _busy(output, f"pid {holder}") from None
        if same_file(fd, path):
            break
        os.close(fd)
    try:
        yield path, fd
    finally:
        with suppress(OSError):
            os.unlink(path)
        os.close(fd)


@contextmanager
def _lock_inode(output: Path, real: Path) -> Iterator[None]:
    """Lock the existing output file itself. The descriptor stays open to the end: closing
    another descriptor of a SQLite file would drop this process's SQLite locks on it."""
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:  # no output yet (or not readable: its lock file is enough)
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _busy(output, "under another name") from None
        except OSError:  # a file system without flock: the lock file is enough
            pass
        yield
    finally:
        os.close(fd)


def _busy(output: Path, who: str) -> BatchError:
    return BatchError(f"{output} is being written by another entityx batch ({who}); wait for it to end")


def same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False
