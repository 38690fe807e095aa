"""Where ``entityx batch`` writes: whole documents only, durable, and resumable.

A sink is opened on ``OUT.partial`` for a fresh run (renamed to ``OUT`` when the run completes)
or on what a resume continues. It knows which documents it already holds (``records``, each
located by the sink's own kind of position: a byte range for lines, a row id for SQLite), can
drop some of them, appends chunks of documents durably and closes. Sinks know nothing of
batch; batch drives them.
"""

from __future__ import annotations

import os
from pathlib import Path

from entityx.sinks.base import FORMATS, Outcome, Record, Sink, SinkError, check_settings
from entityx.sinks.lines import LinesSink, StreamSink
from entityx.sinks.parquet import ParquetSink
from entityx.sinks.sqlite import SqliteSink, check_replaceable

__all__ = ["FORMATS", "LinesSink", "Outcome", "ParquetSink", "Record", "Sink", "SinkError", "SqliteSink", "StreamSink", "check_settings", "open_sink"]


def open_sink(output: Path, fmt: str, settings: dict, resume: bool, overwrite: bool = False,
              meta: list[str] = (), keep_text: bool = True) -> Sink:
    """The sink to write: ``OUT.partial`` for a fresh run (or to continue one), else ``OUT``.

    Args:
        output: the final output file.
        fmt: ``jsonl``, ``csv`` or ``sqlite`` (see :data:`FORMATS`).
        settings: the options that shape documents; a resume refuses other ones.
        resume: continue what is there rather than start afresh.
        overwrite: let a fresh run replace a SQLite database entityx did not make.
        meta: the keys of the documents' ``meta`` (a column each in Parquet, which needs
            its columns before the first row; SQLite adds them as they come).
    """
    partial_path = output.with_name(output.name + ".partial")
    if not output.parent.is_dir():
        raise SinkError(f"{output.parent}: no such folder")
    if resume and not partial_path.exists() and Path(f"{partial_path}.journal").exists():
        os.replace(f"{partial_path}.journal", f"{output}.journal")  # a rename cut short
    target = partial_path if not resume or partial_path.exists() or not output.exists() else output
    fresh = not resume or not target.exists()
    if fmt == "sqlite" and fresh and not overwrite:
        check_replaceable(output)
    try:
        if fmt == "sqlite":
            return SqliteSink(target, output, settings, fresh, keep_text)
        if fmt == "parquet":
            return ParquetSink(target, output, settings, fresh, meta)
        return LinesSink(target, output, fmt, settings, fresh)
    except OSError as exc:
        raise SinkError(f"{target}: {exc.strerror or exc}") from None
