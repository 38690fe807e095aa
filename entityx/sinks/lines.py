"""JSONL and CSV batch output, in exactly the format of ``extract``, with a journal beside it.

The journal (``OUT.journal``) says which bytes hold which input: its first line holds the
options and where documents start (after the CSV header); each next line is one document:
source, content hash, byte end, CRC32, entities, failed. Data is fsynced before its journal
lines, so the journal never names bytes not on disk, and a resume checks every CRC: a torn
tail or a mismatched journal is cut off, never trusted.
"""

from __future__ import annotations

import json
import os
import zlib
from contextlib import suppress
from io import StringIO
from pathlib import Path
from typing import NamedTuple

from entityx.model import Document
from entityx.sinks.base import Outcome, Record, SinkError, check_settings
from entityx.sinks.files import durable, replace_file
from entityx.writers import CsvWriter, dumps


class Bytes(NamedTuple):
    """Where a document lies in a lines output: ``[start, end)`` and the CRC32 of those bytes."""

    start: int
    end: int
    crc: int


class LinesSink:
    """JSONL or CSV output, appended a chunk of whole documents at a time."""

    def __init__(self, path: Path, final: Path, fmt: str, settings: dict, fresh: bool) -> None:
        self.path, self.final, self.fmt = path, final, fmt
        self.journal_path = Path(f"{path}.journal")
        self.records: list[Record[Bytes]] = []
        self.data = self.journal = None
        if fresh:
            header = self.render_header()
            self.head = {"settings": settings, "start": len(header)}
            replace_file(self.path, header)
            self.save_journal()
        else:
            self.recover(settings)
        self.end = self.records[-1].position.end if self.records else self.head["start"]

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
            raise SinkError(
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
                    where = Bytes(position, entry["end"], zlib.crc32(blob))
                    record = Record(
                        entry["source"], entry["hash"], entry["entities"], entry["failed"], where,
                        entry.get("groups", 0),
                    )
                except (ValueError, KeyError, TypeError):
                    break
                if len(blob) != where.end - where.start or where.crc != entry["crc"]:
                    break
                self.records.append(record)
                position, kept = where.end, kept + len(line) + 1
        os.truncate(self.path, position)
        os.truncate(self.journal_path, kept)

    def arrange(self, records: list[Record[Bytes]]) -> None:
        """Make the output hold exactly ``records``, in this order: a copy beside it, then
        renamed over the old one. A crash between this rename and the journal's is caught by
        the CRCs on resume."""
        if records == self.records:
            return
        self.close_files()  # both files are replaced: later appends open the new ones
        temporary = Path(f"{self.path}.tmp")
        with open(self.path, "rb") as old, open(temporary, "wb") as new:
            new.write(old.read(self.head["start"]))
            self.records = []
            for record in records:
                start, end, crc = record.position
                old.seek(start)
                moved = Bytes(new.tell(), new.tell() + end - start, crc)
                self.records.append(Record(*record_fields(record), moved, record.groups))
                new.write(old.read(end - start))
            durable(new)
        os.replace(temporary, self.path)
        self.end = self.records[-1].position.end if self.records else self.head["start"]
        self.save_journal()

    def save_journal(self) -> None:
        lines = [json.dumps(self.head) + "\n"] + [entry(record) for record in self.records]
        replace_file(self.journal_path, "".join(lines).encode())

    def write(self, done: list[Outcome]) -> None:
        """Append whole documents, durably: data first, then the journal lines naming them."""
        if self.data is None:
            # Kept open from chunk to chunk, closed by close().
            self.data = open(self.path, "ab")  # noqa: SIM115
            self.journal = open(self.journal_path, "ab")  # noqa: SIM115
        entries, written = [], []
        for outcome in done:
            doc, content_hash = outcome.document, outcome.content_hash
            blob = self.render(doc)
            self.data.write(blob)
            where = Bytes(self.end, self.end + len(blob), zlib.crc32(blob))
            record = Record(doc.source, content_hash, len(doc.entities), doc.error is not None, where,
                            len(doc.groups))
            written.append(record)
            entries.append(entry(record))
            self.end = where.end
        durable(self.data)
        self.journal.write("".join(entries).encode())
        durable(self.journal)
        self.records.extend(written)

    def close(self, complete: bool) -> None:
        """Close; a complete run's ``OUT.partial`` becomes ``OUT`` (data first, then journal)."""
        self.close_files()
        if complete and self.path != self.final:
            os.replace(self.path, self.final)
            os.replace(self.journal_path, f"{self.final}.journal")
            self.path, self.journal_path = self.final, Path(f"{self.final}.journal")

    def close_files(self) -> None:
        """Close both files. Whatever they still buffer is a failed write's (a full disk):
        it was never named by the journal, so dropping it loses nothing."""
        for out in (self.data, self.journal):
            if out is not None:
                with suppress(OSError):
                    out.close()
        self.data = self.journal = None


def record_fields(record: Record) -> tuple:
    return record.source, record.content_hash, record.entities, record.failed


def entry(record: Record[Bytes]) -> str:
    fields = {
        "source": record.source,
        "hash": record.content_hash,
        "end": record.position.end,
        "crc": record.position.crc,
        "entities": record.entities,
        "groups": record.groups,
        "failed": record.failed,
    }
    return json.dumps(fields, ensure_ascii=False) + "\n"


class StreamSink:
    """JSONL on a stream (``batch -o -``): each chunk written and flushed as it comes, in input
    order. Nothing to resume from, so it keeps no journal and no records."""

    resumable = False

    def __init__(self, out) -> None:
        self.out, self.path, self.records = out, Path("-"), []

    def arrange(self, records: list) -> None:
        """A stream is never resumed: nothing to arrange."""

    def write(self, done: list[Outcome]) -> None:
        self.out.write("".join(dumps(outcome.document) + "\n" for outcome in done))
        self.out.flush()

    def close(self, complete: bool) -> None:
        self.out.flush()
