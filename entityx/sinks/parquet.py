"""Parquet batch output (``-o OUT.parquet``, with pyarrow): one row per mention, typed columns.

Rows and columns are those of :mod:`entityx.flat` (the document's ``source``, ``encoding``,
``published``, ``error``, then the mention's ``text``, ``label``, ``start``, ``end``, ``norm``,
``kb_id``, ``group``…); the options of the run are in the file's metadata (``entityx``).
Rows are buffered and written a row group of up to ``ROW_GROUP`` rows at a time, so memory
stays flat. Like every sink, a fresh run writes ``OUT.partial`` and renames it when complete.

Not resumable, on purpose: a Parquet file is only readable once its footer, which locates
every row group, is written at the end, so a killed run leaves no footer to continue from,
and continuing one means rewriting it whole. ``--resume`` is refused rather than half
supported; a run that must be resumable writes ``.jsonl`` (DuckDB and pandas read it too).
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from datetime import date
from pathlib import Path

from entityx import flat
from entityx.sinks.base import Outcome, Record, SinkError
from entityx.sinks.files import durable

ROW_GROUP = 64 * 1024


class ParquetSink:
    """Parquet output; its ``records`` are always empty, since it never resumes."""

    resumable = False

    def __init__(self, path: Path, final: Path, settings: dict, fresh: bool, meta: list[str] = ()) -> None:
        if not fresh:
            raise SinkError(
                f"cannot resume {path}: Parquet output cannot be resumed (its footer is written "
                "only at the end); run without --resume, or write .jsonl to resume"
            )
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise SinkError("Parquet output needs pyarrow: pip install 'entityx[dask]'") from None
        self.pa, self.path, self.final = pa, path, final
        self.records: list[Record[None]] = []
        self.meta = list(meta)  # the JSONL meta keys of the corpus: a column each
        self.schema = flat.arrow_schema(meta=self.meta).with_metadata({"entityx": json.dumps(settings)})
        self.rows: list[dict] = []
        self.out = open(path, "wb")  # noqa: SIM115  (kept open from chunk to chunk)
        self.writer = pq.ParquetWriter(self.out, self.schema, compression="zstd")
        self.failures = (OSError, pa.ArrowException)

    def arrange(self, records: list[Record[None]]) -> None:
        """Nothing to arrange: the output is never resumed, so its order is the input order."""

    def write(self, done: list[Outcome]) -> None:
        for outcome in done:
            for row in flat.rows(outcome.document, meta=self.meta):
                for day in flat.DAYS:  # ISO days as dates
                    if row[day] is not None:
                        row[day] = date.fromisoformat(row[day])
                self.rows.append(row)
        if len(self.rows) >= ROW_GROUP:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            try:
                self.writer.write_table(self.pa.Table.from_pylist(self.rows, schema=self.schema))
            except self.failures as exc:
                raise self.failed(exc) from None
            self.rows = []

    def close(self, complete: bool) -> None:
        """Write what is buffered and the footer; a complete run's ``OUT.partial`` becomes
        ``OUT``. When that fails (a full disk), the file, which has no footer and cannot be
        read, is removed; only a complete run's close raises."""
        if self.writer is None:
            return
        try:
            self.flush()
            self.writer.close()
            durable(self.out)
            self.out.close()
        except (*self.failures, SinkError) as exc:
            with suppress(*self.failures):
                self.writer.close()
            with suppress(OSError):
                self.out.close()
            os.unlink(self.path)
            if complete:
                raise exc if isinstance(exc, SinkError) else self.failed(exc) from None
            return
        finally:
            self.writer = None
        if complete and self.path != self.final:
            os.replace(self.path, self.final)
            self.path = self.final

    def failed(self, exc: Exception) -> SinkError:
        return SinkError(f"{self.path}: {getattr(exc, 'strerror', None) or exc}")
