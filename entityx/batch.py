"""``entityx batch``: thousands of articles in, one output file out, in parallel, losing nothing.

Why it is built this way:

* **Order.** Inputs are listed first (each PATH in turn, folders walked in sorted order) and
  results are written in that order whatever ``--jobs`` is, so runs are repeatable.
* **Nothing lost.** A file that cannot be read, decoded or processed becomes a document with
  an ``error`` (a CSV row with the error column) and the batch goes on.
* **Atomic output.** A fresh run writes ``OUT.partial`` and renames it to ``OUT`` only when it
  completes: an existing output survives until then, even a killed run. Documents are appended
  a chunk at a time and made durable (fsync, or one SQLite transaction) before the next, and
  signals wait for the end of a write, so the file only ever holds whole documents.
* **Resume.** ``--resume`` continues ``OUT.partial`` if an interrupted fresh run left one, else
  ``OUT`` in place. A document is skipped when the output already holds one with the same
  source (path or JSONL id) and content hash; a changed input is redone and its old record
  removed, and records of inputs no longer given are removed, so the result has the same
  documents as an uninterrupted run (the same order too, unless inputs changed meanwhile).
  How the output knows what it holds is in ``batch_output``.
* **Parallelism.** The pipeline is loaded once in the parent and workers are forked from it
  (``fork``: fast, memory shared copy-on-write; spaCy's ``spawn`` path reloads and is slow).
  Workers read and decode the files themselves and get chunks of documents; each chunk runs in
  an ``nlp.memory_zone()``, which keeps spaCy's string store and vocabulary from growing with
  every new word, so memory stays flat.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import math
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from fnmatch import fnmatch
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Self

from entityx.batch_output import FORMATS, BatchError, open_output
from entityx.core import extract_many
from entityx.model import Document, Text
from entityx.pipeline import load_pipeline
from entityx.readers import InputError, read_bytes, read_jsonl, text_of

CHUNK = 32  # documents per task: one nlp.pipe batch, one write, one fsync
PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True)
class Item:
    """One input document: a file to read (``source``), a JSONL text already read, or an error."""

    source: str
    text: Text | None = None
    error: str | None = None


@dataclass
class Report:
    """Totals of the output once the run ends (documents kept from before included)."""

    documents: int = 0
    entities: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0

    def count(self, entities: int, failed: bool) -> None:
        self.documents += 1
        self.entities += entities
        self.failed += failed


def run_batch(
    paths: list[str],
    output: Path,
    *,
    glob: str = "*.txt",
    jsonl: bool = False,
    jobs: int = 1,
    resume: bool = False,
    quiet: bool = False,
    labels: list[str] | tuple[str, ...] = ("PER", "ORG", "LOC", "DATE"),
    published: str | None = None,
    patterns: Path | None = None,
    date_style: str = "entityx",
) -> Report:
    """Extract entities from every input into ``output`` (.jsonl, .csv, .sqlite or .db).

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
        "patterns": digest(Path(patterns).read_bytes()) if patterns else None,
    }
    if date_style != "entityx":  # outputs written before the option resume as they were
        settings["date_style"] = date_style
    items = collect(paths, glob, jsonl, published)
    report = Report()
    sink = open_output(output, fmt, settings, resume)
    try:
        todo = plan(items, sink, report)
        work = partial(process, labels=tuple(labels), patterns=patterns, published=published,
                       date_style=date_style)
        with Interrupts() as interrupts, workers(jobs, len(todo), patterns) as run:
            results = run(work, chunked(todo, jobs))
            with progress(len(todo), not quiet and sys.stderr.isatty()) as advance:
                for done in results:
                    with interrupts.protected():
                        sink.write(done)
                        for doc, _ in done:
                            report.count(len(doc.entities), doc.error is not None)
                        advance(len(done))
            with interrupts.protected():
                sink.close(complete=True)
    except BrokenProcessPool:
        raise BatchError(
            "a worker process died (out of memory?); run again with --resume"
        ) from None
    finally:
        sink.close(complete=False)
        report.seconds = time.monotonic() - started
        print(summary(report, sink.path), file=sys.stderr, flush=True)
    return report


# ------------------------------------------------------------------------------------ inputs


def collect(paths: list[str], glob: str, jsonl: bool, published: str | None) -> list[Item]:
    """Every input document in a stable order; ``-`` is JSONL on stdin, a path given twice counts once."""
    items, seen = [], set()
    for path in paths:
        found = walk(Path(path), glob) if path != "-" and Path(path).is_dir() else [Item(path)]
        for item in found:
            if item.source in seen:
                continue
            seen.add(item.source)
            as_jsonl = (jsonl or item.source == "-") and item.error is None
            items.extend(jsonl_items(item.source, published) if as_jsonl else [item])
    return items


def walk(folder: Path, glob: str) -> list[Item]:
    """Files under ``folder`` whose name matches ``glob``, sorted by path; a sub-folder that
    cannot be listed is an error item rather than silently missing files."""
    found = []

    def unlisted(exc: OSError) -> None:
        found.append(Item(exc.filename, error=f"cannot list folder: {exc.strerror}"))

    for root, _, names in os.walk(folder, onerror=unlisted):
        found.extend(Item(str(Path(root, name))) for name in names if fnmatch(name, glob))
    return sorted(found, key=lambda item: Path(item.source).parts)


def jsonl_items(source: str, published: str | None) -> list[Item]:
    """The documents of one JSONL file (``meta.published`` first, then ``--published``)."""
    try:
        records = list(read_jsonl(source))
    except InputError as exc:
        return [Item(source, error=str(exc))]
    return [
        Item(source, error=str(r))
        if isinstance(r, InputError)
        else Item(r.source, text=replace(r, published=r.published or published))
        for r in records
    ]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(item: Item) -> str | None:
    """Content hash of an input; None when there is no content (unreadable, bad JSONL line)."""
    if item.error is not None:
        return None
    if item.text is not None:
        return digest(json.dumps([item.text.text, item.text.published]).encode())
    try:
        return digest(read_bytes(item.source))
    except InputError:
        return None


def plan(items: list[Item], sink, report: Report) -> list[Item]:
    """Items still to do. Each record in the output is matched to at most one input with the same
    source and hash; unmatched records (changed or dropped inputs) are removed."""
    if not sink.records:
        return items
    keys = [(item.source, fingerprint(item)) for item in items]
    wanted, kept, stale = Counter(keys), Counter(), []
    for record in sink.records:
        key = (record.source, record.hash)
        if wanted[key] > kept[key]:
            kept[key] += 1
            report.count(record.entities, record.failed)
        else:
            stale.append(record)
    sink.drop(stale)
    report.skipped = report.documents
    todo = []
    for item, key in zip(items, keys):
        if kept[key]:
            kept[key] -= 1
        else:
            todo.append(item)
    return todo


# -------------------------------------------------------------------------------------- work


def process(
    chunk: list[Item], labels: tuple[str, ...], patterns: Path | None, published: str | None,
    date_style: str = "entityx",
) -> list[tuple[Document, str | None]]:
    """(document, content hash) of each item, in order; runs in a worker."""
    loaded = [load(item, published) for item in chunk]
    texts = [text for text, _ in loaded if isinstance(text, Text)]
    docs = iter(extract_all(texts, labels, patterns, date_style))
    return [(next(docs) if isinstance(text, Text) else text, hash_) for text, hash_ in loaded]


def load(item: Item, published: str | None) -> tuple[Text | Document, str | None]:
    """The item's text and hash, or a failed Document saying why it cannot be read."""
    if item.error is not None:
        return failure(item.source, item.error), None
    if item.text is not None:
        return item.text, fingerprint(item)
    hash_ = None
    try:
        data = read_bytes(item.source)
        hash_ = digest(data)
        return text_of(item.source, data, published), hash_
    except InputError as exc:
        return failure(item.source, str(exc)), hash_


def extract_all(
    texts: list[Text], labels: tuple[str, ...], patterns: Path | None, date_style: str = "entityx"
) -> list[Document]:
    """Documents of ``texts`` inside one spaCy memory zone (strings and lexemes of the chunk are
    freed after it); if the chunk fails, each text is retried alone so only the culprit fails."""
    nlp = load_pipeline(patterns)  # positional, as core calls it: the same cached pipeline
    try:
        with nlp.memory_zone():
            return list(extract_many(texts, labels=labels, patterns=patterns, date_style=date_style))
    except Exception as exc:  # noqa: BLE001  (whatever goes wrong is recorded, never fatal)
        if len(texts) > 1:
            return [doc for text in texts for doc in extract_all([text], labels, patterns, date_style)]
        message = f"cannot process ({type(exc).__name__}): {exc}"
        return [failure(text.source, message, text) for text in texts]


def failure(source: str, message: str, text: Text | None = None) -> Document:
    return Document(
        source=source,
        encoding=text.encoding if text else None,
        published=text.published if text else None,
        entities=[],
        error=message,
    )


def chunked(items: list[Item], jobs: int) -> list[list[Item]]:
    """Tasks of at most CHUNK documents, small enough that every worker gets several."""
    size = max(1, min(CHUNK, math.ceil(len(items) / (4 * jobs))))
    return [items[i : i + size] for i in range(0, len(items), size)]


@contextmanager
def workers(jobs: int, tasks: int, patterns: Path | None) -> Iterator[Callable]:
    """A ``map`` whose results come in input order: this process for one job (no subprocess),
    else workers forked after the parent loaded the pipeline, so none loads it again."""
    jobs = min(jobs, tasks)
    if jobs <= 1:
        yield map
        return
    load_pipeline(patterns)
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


def ordered(pool: ProcessPoolExecutor, ahead: int, work: Callable, tasks: list) -> Iterator:
    """Results of ``work`` over ``tasks`` in order, with ``ahead`` tasks queued. The first
    submissions fork the workers now, before the progress bar starts a thread. Unlike
    ``pool.map``, an interruption cancels no future (Python 3.11 then fails in its manager
    thread when the workers are terminated)."""
    pending = deque(pool.submit(work, task) for task in tasks[:ahead])

    def results() -> Iterator:
        for task in tasks[len(pending) :]:
            yield pending.popleft().result()
            pending.append(pool.submit(work, task))
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


# ---------------------------------------------------------------------------------- terminal


@contextmanager
def progress(total: int, show: bool) -> Iterator[Callable[[int], None]]:
    """A function advancing a Rich progress bar on stderr; it does nothing when hidden."""
    if not show or not total:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("documents"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} docs/s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("batch", total=total, rate="…")

        def advance(n: int) -> None:
            bar.advance(task, n)
            speed = bar.tasks[0].speed
            bar.update(task, rate=f"{speed:.1f}" if speed else "…")

        yield advance


def summary(report: Report, output: Path) -> str:
    done = report.documents - report.skipped
    rate = done / report.seconds if report.seconds else 0.0
    already = f" ({report.skipped} already there)" if report.skipped else ""
    return (
        f"{plural(report.documents, 'document')}{already}, {plural(report.entities, 'entity', 'entities')}, "
        f"{report.failed} failed, {report.seconds:.1f} s ({rate:.1f} docs/s) -> {output}"
    )


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"
