"""A batch runner on a Dask cluster: the same orchestration, sinks and guarantees as locally.

The client reads the inputs (workers may be on other machines and not see its files): a
chunk travels as the bytes of its files or the texts of its JSONL lines, and the worker
decodes and hashes them exactly as a local worker would, so documents, output and journal are
byte-identical to a local run's, and either can resume the other's. At most ``window`` chunks
are in flight and results are handed back in input order (a reorder buffer of futures), so
the client's memory does not grow with the corpus. A task whose worker dies is recomputed
elsewhere by the scheduler (up to ``distributed.scheduler.allowed-failures`` times); a task
that raises is retried ``RETRIES`` times.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path

from entityx.batch.inputs import Item
from entityx.batch.runner import Runner, Work
from entityx.cluster.client import ClusterError, connect
from entityx.cluster.worker import LOCK, Preload, Shipped
from entityx.readers import InputError, read_bytes
from entityx.sinks import Outcome

RETRIES = 2
AHEAD = 2  # chunks in flight per worker thread: one running, one waiting


@contextmanager
def open_runner(address: str) -> Iterator[tuple[Runner, int]]:
    """(runner, worker threads) on the cluster at ``address`` (see :func:`connect`)."""
    with connect(address) as client:
        yield dask_runner(client), workers(client)


def dask_runner(client) -> Runner:
    """A runner sending chunks to the workers of ``client`` (a ``distributed.Client``)."""
    return partial(run_on, client)


def workers(client) -> int:
    """Worker threads of the cluster, waiting for a first worker to join."""
    client.wait_for_workers(1)
    return sum(client.nthreads().values())


def run_on(client, work: Work, chunks: Iterable[list[Item]]) -> Iterator[list[Outcome]]:
    """``work`` of each chunk on the cluster, in the order of the chunks."""
    remote = ship(work)
    files = getattr(remote, "keywords", {})
    client.register_plugin(Preload(files.get("patterns"), files.get("kb")))
    window = AHEAD * max(1, workers(client))
    pending = deque()
    try:
        for chunk in chunks:
            task = [with_content(item) for item in chunk]
            pending.append(client.submit(run_chunk, remote, task, retries=RETRIES, pure=False))
            if len(pending) >= window:
                yield result(pending.popleft())
        while pending:
            yield result(pending.popleft())
    finally:
        if pending:
            client.cancel(list(pending))


def ship(work: Work) -> Work:
    """``work`` with its file options (``Path`` keywords: ``--patterns``, ``--kb``) sent as content."""
    if not isinstance(work, partial):
        return work
    files = {key: Shipped(value) for key, value in work.keywords.items() if isinstance(value, Path)}
    return partial(work.func, *work.args, **{**work.keywords, **files})


def with_content(item: Item) -> Item:
    """The item with its file's bytes, or the reason they cannot be read, as a worker would say."""
    if item.text is not None or item.error is not None:
        return item
    try:
        return replace(item, data=read_bytes(item.path, regular_only=True))
    except InputError as exc:
        return replace(item, error=str(exc))


def run_chunk(work: Work, chunk: list[Item]) -> list[Outcome]:
    """On a worker: one chunk at a time per process, whatever its number of threads."""
    with LOCK:
        return work(chunk)


def result(future) -> list[Outcome]:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001  (any Dask failure ends the run, resumably)
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())  # one line, whatever Dask says
        raise ClusterError(f"the Dask cluster failed ({reason}); run again with --resume") from None
