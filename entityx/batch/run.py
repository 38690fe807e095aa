"""Orchestration of ``entityx batch``: inputs, lock, plan, runner, sink, in that order, losing
nothing.

* **Order.** Results are written in input order whatever the runner, so runs are repeatable.
* **Nothing lost.** A file that cannot be read, decoded or processed becomes a document with
  an ``error`` and the batch goes on. Before anything is written, a run refuses: a path that
  does not exist, zero input documents, an output that is also an input, an output another
  batch is writing (``OUT.lock``), and a resume that would drop documents whose inputs are no
  longer given (unless ``drop_missing``).
* **Atomic output.** A fresh run writes ``OUT.partial`` and renames it to ``OUT`` only when it
  completes. Documents are appended a chunk at a time and made durable before the next, and
  signals wait for the end of a write, so the file only ever holds whole documents; a full
  disk stops the run with what was written complete, ready for ``--resume``.
* **Resume.** ``--resume`` continues ``OUT.partial`` if an interrupted fresh run left one, else
  ``OUT`` in place, skipping the documents it already holds (see :mod:`entityx.batch.plan`).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from functools import partial
from pathlib import Path

from entityx.batch.errors import BatchError, BatchUsageError
from entityx.batch.events import Advanced, Finished, Listener, Report, Started, Warned, ignore
from entityx.batch.inputs import Inputs
from entityx.batch.lock import exclusive
from entityx.batch.plan import Plan, in_input_order, make_plan, pending
from entityx.batch.pool import Interrupts, processes
from entityx.batch.runner import Runner, chunk_size, chunked
from entityx.batch.work import process
from entityx.readers import shown
from entityx.sinks import FORMATS, Sink, SinkError, StreamSink, open_sink

__all__ = ["output_format", "run_batch"]


STDOUT = Path("-")


def output_format(output: Path) -> str:
    """``jsonl``, ``csv``, ``sqlite`` or ``parquet``, from the output's suffix (``-``: JSONL on stdout)."""
    if output == STDOUT:
        return "jsonl"
    fmt = FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise BatchUsageError(f"{output}: the output must end in {', '.join(FORMATS)}")
    return fmt


def run_batch(
    paths: list[str],
    output: Path,
    *,
    glob: str = "*.txt",
    jsonl: bool = False,
    jobs: int = 1,
    resume: bool = False,
    drop_missing: bool = False,
    labels: list[str] | tuple[str, ...] = ("PER", "ORG", "LOC", "DATE"),
    published: str | None = None,
    patterns: Path | None = None,
    kb: Path | None = None,
    date_style: str = "entityx",
    on_event: Listener = ignore,
    runner: Runner | None = None,
    overwrite: bool = False,
    keep_text: bool = True,
    text: bool = False,
    min_confidence: float = 0.0,
) -> Report:
    """Extract entities from every input into ``output`` (.jsonl, .csv, .sqlite or .db).

    Args:
        paths: folders (walked for ``glob``), files, JSONL corpora (``.jsonl``, ``.ndjson`` or
            any file with ``jsonl``), ``-`` for stdin. ``output`` ``-`` streams JSONL to stdout.
        jobs: worker processes of the default runner; also sizes the chunks.
        resume: keep the documents already in the output, do the rest.
        drop_missing: let a resume drop documents whose inputs are no longer given.
        on_event: told of :class:`Started`, :class:`Advanced`, :class:`Warned` and
            :class:`Finished`.
        runner: where chunks are processed (see :mod:`entityx.batch.runner`); by default
            ``jobs`` forked processes.
        overwrite: let a fresh run replace a SQLite database that entityx did not make.
        keep_text: store each document's text in a SQLite output (full-text search).
        text: read ``.jsonl``/``.ndjson`` files as one document each, not as corpora.
        min_confidence: leave out mentions whose confidence is lower.

    The output's path is followed through symlinks: the file it names is written, the link
    stays.

    Raises:
        BatchUsageError: the output is also an input, or has an unknown suffix.
        BatchError: no input, the output is locked, cannot be written or resumed, or a worker
            process died.
        KeyboardInterrupt: on Ctrl-C or SIGTERM, once what was written is complete.
    """
    started = time.monotonic()
    fmt = output_format(output)
    if output == STDOUT and resume:
        raise BatchUsageError("--resume needs an output file to resume (-o -, stdout, cannot be read back)")
    settings = {
        "labels": sorted(labels),
        "published": published,
        "patterns": hashlib.sha256(Path(patterns).read_bytes()).hexdigest() if patterns else None,
    }
    if kb is not None:  # outputs written before the option resume as they were
        settings["kb"] = hashlib.sha256(Path(kb).read_bytes()).hexdigest()
    if date_style != "entityx":  # outputs written before the option resume as they were
        settings["date_style"] = date_style
    if not keep_text and fmt == "sqlite":
        settings["text"] = False
    if min_confidence:
        settings["min_confidence"] = min_confidence
    real = output if output == STDOUT else Path(os.path.realpath(output))
    if output != STDOUT:
        check_writable(real, output)
    inputs = Inputs(paths, glob, jsonl, published, text)
    try:
        if output != STDOUT:
            refuse_same_file(inputs, real)
        total, meta = 0, {}
        for item in inputs:  # counted, and the meta keys of a corpus gathered, in one pass
            total += 1
            if item.text is not None and item.text.meta:
                meta.update(dict.fromkeys(item.text.meta))
        if not total:
            where = ", ".join(shown(p) for p in paths)
            raise BatchError(f"no input document in {where} (--glob {glob}); {output} left as it was")
        with nullcontext() if output == STDOUT else exclusive(output):
            report = Report(output)
            try:
                sink = StreamSink(stdout()) if output == STDOUT else \
                    open_sink(real, fmt, settings, resume, overwrite, list(meta), keep_text)
            except SinkError as exc:
                raise BatchError(str(exc)) from None
            try:
                plan = make_plan(inputs, sink.records, total)
                keep(plan, report, output, drop_missing)
            except BaseException:
                sink.close(complete=False)
                raise
            try:
                sink.arrange(plan.kept)
                work = partial(process, published=published, labels=tuple(labels),
                               patterns=patterns, kb=kb, date_style=date_style, min_confidence=min_confidence)
                chunks = chunked(pending(inputs, plan), chunk_size(plan.todo, jobs))
                own = nullcontext(runner) if runner else processes(min(jobs, plan.todo), patterns, kb)
                with own as run:
                    write(run(work, chunks), sink, report, plan, on_event)
            except (OSError, SinkError) as exc:
                advice = ("what was written is complete: run again with --resume once the cause is fixed"
                          if getattr(sink, "resumable", True) else
                          "nothing was kept: run again once the cause is fixed")
                raise BatchError(f"{stopped(exc, output)}; {advice}") from None
            except BrokenProcessPool:
                raise BatchError("a worker process died (out of memory?); run again with --resume") from None
            finally:
                sink.close(complete=False)
                report.output = output if sink.path == real else sink.path
                report.seconds = time.monotonic() - started
                on_event(Finished(report))
    finally:
        inputs.close()
    return report


def write(results, sink: Sink, report: Report, plan: Plan, on_event: Listener) -> None:
    """Write each chunk of results as it comes; a signal waits for the end of a write."""
    with Interrupts() as interrupts:
        on_event(Started(plan.todo, report.skipped))  # after the runner started: a fork pool
        for done in results:  # forks before a listener's threads
            with interrupts.protected():
                sink.write(done)
                for outcome in done:
                    doc = outcome.document
                    report.count(len(doc.entities), len(doc.groups), doc.error is not None)
            on_event(Advanced(len(done)))
            for outcome in done:
                if outcome.warning:
                    on_event(Warned(outcome.warning))
        with interrupts.protected():
            sink.arrange(in_input_order(plan, sink.records))
            sink.close(complete=True)


def keep(plan: Plan, report: Report, output: Path, drop_missing: bool) -> None:
    """Count the documents a resume keeps; refuse to drop documents whose inputs are gone."""
    if plan.missing and not drop_missing:
        raise BatchError(
            f"--resume would drop {len(plan.missing)} documents of {output} whose inputs are no "
            f"longer given (first: {plan.missing[0].source}); give those inputs again, or add "
            "--drop-missing to drop them"
        )
    for record in plan.kept:
        report.count(record.entities, record.groups, record.failed)
    report.skipped = report.documents


def stdout():
    """stdout, or the error that says it is closed."""
    if sys.stdout is None:
        raise BatchError("stdout is closed; give -o FILE or redirect it")
    return sys.stdout


def check_writable(real: Path, output: Path) -> None:
    """Refuse, before any work, an output that could not be written at the end."""
    if real.is_dir():
        raise BatchError(f"{output}: is a directory; give a file name ending in "
                         f"{', '.join(FORMATS)}")
    if not real.parent.is_dir():
        raise BatchError(f"{output}: no such folder {real.parent}")
    if not os.access(real.parent, os.W_OK | os.X_OK):
        raise BatchError(f"{output}: the folder {real.parent} is not writable")


def refuse_same_file(inputs: Inputs, output: Path) -> None:
    """An output that is also an input would destroy it: refuse, whatever the names."""
    candidates = [output, output.with_name(output.name + ".partial")]
    outputs = [os.stat(p) for p in candidates if p.exists()]
    if not outputs:
        return
    for path in inputs.files():
        try:
            status = os.stat(path)
        except OSError:
            continue
        if any(os.path.samestat(status, out) for out in outputs):
            raise BatchUsageError(f"{output} is also an input ({shown(path)}); choose another output")


def stopped(exc: OSError | SinkError, output: Path) -> str:
    """Why writing stopped, naming the output once."""
    if isinstance(exc, SinkError):
        return str(exc)
    return f"{output}: {exc.strerror or exc}"
