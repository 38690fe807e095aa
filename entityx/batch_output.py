"""Where ``entityx batch`` writes: whole documents only, durable, and resumable.

JSONL and CSV keep exactly the format of ``extract``; which bytes hold which input is kept
in a journal beside them (``OUT.journal``: source, content hash, byte end and CRC32 of each
document), checked on resume so that a torn tail or a mismatched journal is cut off, never
trusted. SQLite output (``sqlite_out``) keeps the same facts in its own tables.
"""

from __future__ import annotations

import json
import os
import zlib
from io import StringIO
from pathlib import Path
from typing import NamedTuple

from entityx.model import Document
from entityx.writers import CsvWriter, dumps

FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".sqlite": "sqlite", ".db": "sqlite"}


class BatchError(Exception):
    """The batch cannot start or go on (output unusable, worker died); the message says why."""


class Record(NamedTuple):
    """A document already in the output, as resuming needs it; ``where`` locates it there."""

    source: str
    hash: str | None
    entities: int
    failed: bool
    where: object


def open_output(output: Path, fmt: str, settings: dict, resume: bool):
    """The output to write: ``OUT.partial`` for a fresh run (or to continue one), else ``OUT``."""
    partial_path = output.with_name(output.name + ".partial")
    if not output.parent.is_dir():
        raise BatchError(f"{output.parent}: no such folder")
    if resume and not partial_path.exists() and Path(f"{partial_path}.journal").exists():
        os.replace(f"{partial_path}.journal", f"{output}.journal")  # a rename cut short
    target = partial_path if not resume or partial_path.exists() or not output.exists() else output
    fresh = not resume or not target.exists()
    try:
        if fmt == "sqlite":
            from entityx.sqlite_out import SqliteOut

            return SqliteOut(target, output, settings, fresh)
        return LinesOut(target, output, fmt, settings, fresh)
    except OSError as exc:
        raise BatchError(f"{target}: {exc.strerror or exc}") from None


def check_settings(path: Path, stored: dict, settings: dict) -> None:
    """Refuse to resume with options that would make documents differ from those already there."""
    changed = [key for key in settings if stored.get(key) != settings[key]]
    if changed:
        raise BatchError(
            f"cannot resume {path}: it was made with other options ({', '.join(changed)}); "
            "give the same options, or run without --resume"
        )


class LinesOut:
    """JSONL or CSV output, appended a chunk of whole documents at a time, with its journal.

    The journal's first line holds the options and where documents start (after the CSV
    header); each next line is one document: source, hash, byte end, CRC32, entities, failed.
    Data is fsynced before its journal lines, so the journal never names bytes not on disk.
    """

    def __init__(self, path: Path, final: Path, fmt: str, settings: dict, fresh: bool) -> None:
        self.path, self.final, self.fmt = path, final, fmt
        self.journal_path = Path(f"{path}.journal")
        self.records: list[Record] = []
        self.data = self.journal = None
        if fresh:
            header = self.render_header()
            self.head = {"settings": settings, "start": len(header)}
            replace_file(self.path, header)
            self.save_journal()
        else:
            self.recover(settings)
        self.end = self.records[-1].where[1] if self.records else self.head["start"]

    def render_header(self) -> bytes:
        if self.fmt != "csv":
            return b""
        out = StringIO()
        CsvWriter(out)
        return out.getvalue().encode()

    def render(self, doc: Document) -> bytes:
        if self.fmt == "jsonl":
            return (dumps(doc) + "\n").encode()
        out = StringIO()
        CsvWriter(out, header=False).write(doc)
        return out.getvalue().encode()

    def recover(self, settings: dict) -> None:
        """Records whose bytes check out, in order; what follows the last one is cut off."""
        try:
            lines = self.journal_path.read_bytes().split(b"\n")
            self.head = json.loads(lines[0])
            position, kept = self.head["start"], len(lines[0]) + 1
            if len(lines) < 2 or position > self.path.stat().st_size:
                raise ValueError("incomplete")
        except (OSError, ValueError, KeyError, TypeError):
            raise BatchError(
                f"cannot resume {self.path}: its journal {self.journal_path.name} is missing or "
                "damaged; run without --resume"
            ) from None
        check_settings(self.path, self.head["settings"], settings)
        with open(self.path, "rb") as data:
            for line in lines[1:-1]:  # the last piece has no newline: complete or not, it goes
                try:
                    entry = json.loads(line)
                    data.seek(position)
                    blob = data.read(entry["end"] - position)
                    where = (position, entry["end"], zlib.crc32(blob))
                    record = Record(
                        entry["source"], entry["hash"], entry["entities"], entry["failed"], where
                    )
                except (ValueError, KeyError, TypeError):
                    break
                if len(blob) != where[1] - where[0] or where[2] != entry["crc"]:
                    break
                self.records.append(record)
                position, kept = where[1], kept + len(line) + 1
        os.truncate(self.path, position)
        os.truncate(self.journal_path, kept)

    def drop(self, stale: list[Record]) -> None:
        """Copy the output without ``stale`` records beside it, then rename it over the old one.
        A crash between this rename and the journal's is caught by the CRCs on resume."""
        if not stale:
            return
        gone = {record.where for record in stale}
        temporary = Path(f"{self.path}.tmp")
        with open(self.path, "rb") as old, open(temporary, "wb") as new:
            new.write(old.read(self.head["start"]))
            kept, self.records = self.records, []
            for record in kept:
                if record.where not in gone:
                    start, end, crc = record.where
                    old.seek(start)
                    self.records.append(
                        record._replace(where=(new.tell(), new.tell() + end - start, crc))
                    )
                    new.write(old.read(end - start))
            durable(new)
        os.replace(temporary, self.path)
        self.save_journal()

    def save_journal(self) -> None:
        lines = [json.dumps(self.head) + "\n"] + [entry(record) for record in self.records]
        replace_file(self.journal_path, "".join(lines).encode())

    def write(self, done: list[tuple[Document, str | None]]) -> None:
        """Append whole documents, durably: data first, then the journal lines naming them."""
        if self.data is None:
            # Kept open from chunk to chunk, closed by close().
            self.data = open(self.path, "ab")  # noqa: SIM115
            self.journal = open(self.journal_path, "ab")  # noqa: SIM115
        entries = []
        for doc, hash_ in done:
            blob = self.render(doc)
            self.data.write(blob)
            where = (self.end, self.end + len(blob), zlib.crc32(blob))
            entries.append(
                entry(Record(doc.source, hash_, len(doc.entities), doc.error is not None, where))
            )
            self.end = where[1]
        durable(self.data)
        self.journal.write("".join(entries).encode())
        durable(self.journal)

    def close(self, complete: bool) -> None:
        """Close; a complete run's ``OUT.partial`` becomes ``OUT`` (data first, then journal)."""
        for out in (self.data, self.journal):
            if out is not None:
                out.close()
        self.data = self.journal = None
        if complete and self.path != self.final:
            os.replace(self.path, self.final)
            os.replace(self.journal_path, f"{self.final}.journal")
            self.path, self.journal_path = self.final, Path(f"{self.final}.journal")


def entry(record: Record) -> str:
    fields = {
        "source": record.source,
        "hash": record.hash,
        "end": record.where[1],
        "crc": record.where[2],
        "entities": record.entities,
        "failed": record.failed,
    }
    return json.dumps(fields, ensure_ascii=False) + "\n"


def durable(out) -> None:
    out.flush()
    os.fsync(out.fileno())


def replace_file(path: Path, content: bytes) -> None:
    """Write ``path`` whole or not at all: a temporary file beside it, fsynced, renamed over it."""
    temporary = Path(f"{path}.tmp")
    with open(temporary, "wb") as out:
        out.write(content)
        durable(out)
    os.replace(temporary, path)


