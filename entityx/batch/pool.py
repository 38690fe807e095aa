"""The default runner for several jobs, and signals that never cut a write in half.

The pipeline is loaded once in the parent and workers are forked from it (``fork``: fast,
memory shared copy-on-write; spaCy's ``spawn`` path reloads and is slow). Workers read and
decode the files themselves; each chunk runs in an ``nlp.memory_zone()`` (see
:mod:`entityx.batch.work`), so memory stays flat.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Self

from entityx.batch.runner import Runner, Work, in_process
from entityx.pipeline import load_pipeline

PR_SET_PDEATHSIG = 1  # linux/prctl.h


@contextmanager
def processes(jobs: int, patterns: Path | None, kb: Path | None = None) -> Iterator[Runner]:
    """A runner over ``jobs`` forked workers (this process alone for one job); the workers are
    stopped when the block ends, at once if it ends by an exception."""
    if jobs <= 1:
        yield in_process
        return
    load_pipeline(patterns, kb)
    pool = ProcessPoolExecutor(
        jobs, mp_context=get_context("fork"), initializer=quiet_worker, initargs=(os.getpid(),)
    )
    try:
        yield partial(ordered, pool, 2 * jobs)
    except BaseException:
        processes = list(pool._processes.values())  # no public way to stop them before Python 3.14
        pool.shutdown(wait=False)
        for process in processes:
            process.terminate()
        raise
    pool.shutdown()


def ordered(
    pool: ProcessPoolExecutor, ahead: int, work: Work, chunks: Iterable[list]
) -> Iterator[list]:
    """Results of ``work`` over ``chunks`` in order, with ``ahead`` tasks queued. The first
    submissions fork the workers now, before a progress bar starts a thread. Unlike
    ``pool.map``, an interruption cancels no future (Python 3.11 then fails in its manager
    thread when the workers are terminated)."""
    chunks = iter(chunks)
    pending = deque(pool.submit(work, chunk) for chunk in islice(chunks, ahead))

    def results() -> Iterator[list]:
        for chunk in chunks:
            yield pending.popleft().result()
            pending.append(pool.submit(work, chunk))
        while pending:
            yield pending.popleft().result()

    return results()


def quiet_worker(parent: int) -> None:
    """Ctrl-C reaches the whole process group: workers leave it to the parent, which stops them.
    They also die with the parent, even killed outright; else they would wait on it forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


class Stopped(KeyboardInterrupt):
    """Ctrl-C or a kill; ``signum`` says which, for the exit code (128 + signal)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class Interrupts:
    """SIGINT and SIGTERM raise :class:`Stopped`, but never in the middle of a write:
    inside :meth:`protected` they wait until the block is done."""

    def __enter__(self) -> Self:
        self.writing, self.pending = False, None
        self.saved = {}
        if threading.current_thread() is threading.main_thread():
            self.saved = {s: signal.signal(s, self.handle) for s in (signal.SIGINT, signal.SIGTERM)}
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self.saved.items():
            signal.signal(signum, handler)

    def handle(self, signum, frame) -> None:
        if self.writing:
            self.pending = signum
        else:
            raise Stopped(signum)

    @contextmanager
    def protected(self) -> Iterator[None]:
        self.writing = True
        try:
            yield
        finally:
            self.writing = False
        if self.pending is not None:
            raise Stopped(self.pending)
