"""One batch at a time on an output: an exclusive ``flock`` on ``OUT.lock`` beside it.

The kernel releases the lock when the holder dies, however it dies, so a crash never leaves
a stale lock behind. The file holds the holder's pid, for the message a second run gives.
The holder removes the file when done; a run that locked a file removed meanwhile (another
run ended between its open and its lock) tries again on the new one.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from entityx.batch.errors import BatchError


@contextmanager
def exclusive(output: Path) -> Iterator[Path]:
    """Hold the lock of ``output`` for the block.

    Raises:
        BatchError: another batch holds it (the message names its pid), or the lock file
            cannot be created (the output's folder is not writable).
    """
    path = Path(f"{output}.lock")
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
            raise BatchError(
                f"{output} is being written by another entityx batch (pid {holder}); "
                "wait for it to end"
            ) from None
        if same_file(fd, path):
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield path
    finally:
        with suppress(OSError):
            os.unlink(path)
        os.close(fd)


def same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False
