"""The runner interface: how a batch gets its chunks processed, here or elsewhere.

A runner is an ordered map over chunks of inputs::

    def runner(work: Work, chunks: Iterable[list[Item]]) -> Iterator[list[Outcome]]

It calls ``work(chunk)`` (:func:`entityx.batch.work.process` with the run's options bound:
picklable, so it can be shipped to another process or machine) on every chunk and yields the
results **in the order of the chunks**, as they come, with a bounded number in flight (memory
stays flat whatever the corpus size). It may raise; the batch then stops, and what was written
stays complete. Orchestration (sinks, lock, journal, resume, signals) stays in
:mod:`entityx.batch.run`, whatever the runner: the fork pool of :mod:`entityx.batch.pool`, the
in-process :func:`in_process`, or a cluster's (``run_batch(..., runner=my_runner)``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Protocol

from entityx.batch.inputs import Item
from entityx.sinks import Outcome

CHUNK = 32  # documents per task at most: one nlp.pipe batch, one write, one fsync

Work = Callable[[list[Item]], list[Outcome]]


class Runner(Protocol):
    def __call__(self, work: Work, chunks: Iterable[list[Item]]) -> Iterator[list[Outcome]]:
        """``work`` of each chunk, in the order of the chunks."""


def in_process(work: Work, chunks: Iterable[list[Item]]) -> Iterator[list[Outcome]]:
    """The runner of one job: no subprocess at all."""
    return map(work, chunks)


def chunk_size(documents: int, workers: int) -> int:
    """At most CHUNK documents a task, small enough that every worker gets several."""
    return max(1, min(CHUNK, math.ceil(documents / (4 * workers))))


def chunked(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """``items`` in lists of ``size``, lazily."""
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk
