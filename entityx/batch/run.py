"""Orchestration of ``entityx batch``: inputs, plan, runner, sink, in that order, losing nothing.

* **Order.** Results are written in input order whatever the runner, so runs are repeatable.
* **Nothing lost.** A file that cannot be read, decoded or processed becomes a document with
  an ``error`` and the batch goes on.
* **Atomic output.** A fresh run writes ``OUT.partial`` and renames it to ``OUT`` only when it
  completes. Documents are appended a chunk at a time and made durable before the next, and
  signals wait for the end of a write, so the file only ever holds whole documents.
* **Resume.** ``--resume`` continues ``OUT.partial`` if an interrupted fresh run left one, else
  ``OUT`` in place, skipping the documents it already holds (see :mod:`entityx.batch.plan`).
"""

from __future__ import annotations

import hashlib
import time
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from functools import partial
from pathlib import Path

from entityx.batch.events import Advanced, Finished, Listener, Report, Started, ignore
from entityx.batch.inputs import Inputs
from entityx.batch.plan import make_plan, pending
from entityx.batch.pool import Interrupts, processes
from entityx.batch.runner import Runner, chunk_size, chunked
from entityx.batch.work import process
from entityx.sinks import FORMATS, SinkError, open_sink


class BatchError(Exception):
    """The batch cannot start or go on (output unusable, worker died); the message says why."""


def run_batch(
    paths: list[str],
    output: Path,
    *,
    glob: str = "*.txt",
    jsonl: bool = False,
    jobs: int = 1,
    resume: bool = False,
    labels: list[str] | tuple[str, ...] = ("PER", "ORG", "LOC", "DATE"),
    published: str | None = None,
    patterns: Path | None = None,
    on_event: Listener = ignore,
    runner: Runner | None = None,
) -> Report:
    """Extract entities from every input into ``output`` (.jsonl, .csv, .sqlite or .db).

    Args:
        paths: folders (walked for ``glob``), files, JSONL corpora (``jsonl``), ``-`` for stdin.
        jobs: worker processes of the default runner; also sizes the chunks.
        on_event: told of :class:`Started`, :class:`Advanced` and :class:`Finished`.
        runner: where chunks are processed (see :mod:`entityx.batch.runner`); by default
            ``jobs`` forked processes.

    Raises:
        BatchError: the output cannot be written or resumed, or a worker process died.
        KeyboardInterrupt: on Ctrl-C or SIGTERM, once what was written is complete.
    """
    started = time.monotonic()
    fmt = FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise BatchError(f"{output}: the output must end in {', '.join(FORMATS)}")
    settings = {
        "labels": sorted(labels),
        "published": published,
        "patterns": hashlib.sha256(Path(patterns).read_bytes()).hexdigest() if patterns else None,
    }
    inputs = Inputs(paths, glob, jsonl, published)
    report, sink = Report(output), None
    try:
        sink = open_sink(output, fmt, settings, resume)
        plan = make_plan(inputs, sink.records)
        for record in plan.kept:
            report.count(record.entities, record.failed)
        report.skipped = report.documents
        sink.drop(plan.stale)
        work = partial(process, labels=tuple(labels), patterns=patterns, published=published)
        chunks = chunked(pending(inputs, plan), chunk_size(plan.todo, jobs))
        own = processes(min(jobs, plan.todo), patterns) if runner is None else nullcontext(runner)
        with Interrupts() as interrupts, own as run:
            results = run(work, chunks)  # the fork pool forks now, before a listener's threads
            on_event(Started(plan.todo, report.skipped))
            for done in results:
                with interrupts.protected():
                    sink.write(done)
                    for doc, _ in done:
                        report.count(len(doc.entities), doc.error is not None)
                on_event(Advanced(len(done)))
            with interrupts.protected():
                sink.close(complete=True)
                report.output = sink.path
    except SinkError as exc:
        raise BatchError(str(exc)) from None
    except BrokenProcessPool:
        raise BatchError("a worker process died (out of memory?); run again with --resume") from None
    finally:
        if sink is not None:
            sink.close(complete=False)
            report.output = sink.path
        inputs.close()
        report.seconds = time.monotonic() - started
        on_event(Finished(report))
    return report
