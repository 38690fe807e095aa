"""Output formats, one writer a format, each fed documents one at a time.

Machine formats (JSON, JSONL, CSV) are written as plain text, flushed after every
document, and never pass through Rich; only the human table does.
"""

from __future__ import annotations

import csv
import json
import re
from typing import IO

from entityx.model import Document

# ``source`` is the document's; ``mention_source`` says what found the mention.
CSV_FIELDS = ["source", "group", "label", "text", "start", "end", "norm", "kb_id", "mention_source"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def dumps(doc: Document) -> str:
    return json.dumps(doc.to_dict(), ensure_ascii=False)


class Lazy(list):
    """A list the JSON encoder walks without it being built: each item is made as it is
    written, so a document of a million mentions is never held twice (as objects and as
    dicts, then as one string)."""

    def __init__(self, items: list, convert) -> None:
        super().__init__()
        self.items, self.convert = items, convert

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return (self.convert(item) for item in self.items)


def write_json(doc: Document, out: IO[str], indent: int | None = None) -> None:
    """``doc`` as ``json.dumps(doc.to_dict())`` writes it, streamed in pieces."""
    data = doc.to_dict(shallow=True)
    data["entities"] = Lazy(doc.entities, lambda m: m.to_dict())
    data["groups"] = Lazy(doc.groups, lambda g: g.to_dict())
    encoder = json.JSONEncoder(ensure_ascii=False, indent=indent)
    pieces = []
    for piece in encoder.iterencode(data):
        pieces.append(piece)
        if len(pieces) == 4096:
            out.write("".join(pieces))
            pieces.clear()
    out.write("".join(pieces))


class JsonWriter:
    """One object for a single input; an array, closed even on interruption, for several."""

    def __init__(self, out: IO[str], array: bool) -> None:
        self.out, self.array, self.count = out, array, 0

    def write(self, doc: Document) -> None:
        if self.array:
            self.out.write("[\n" if self.count == 0 else ",\n")
            write_json(doc, self.out)
        else:
            write_json(doc, self.out, indent=2)
            self.out.write("\n")
        self.count += 1
        self.out.flush()

    def close(self) -> None:
        if self.array:
            self.out.write("[]\n" if self.count == 0 else "\n]\n")
            self.out.flush()


class JsonlWriter:
    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, doc: Document) -> None:
        write_json(doc, self.out)
        self.out.write("\n")
        self.out.flush()

    def close(self) -> None:
        pass


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would make it a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) and text != "-" else text


class CsvWriter:
    """One row per mention (RFC 4180). A document with an error gets one row saying so, and
    one without any entity a row with its source alone, so every document has a row."""

    def __init__(self, out: IO[str], header: bool = True) -> None:
        self.out = out
        self.rows = csv.writer(out, lineterminator="\r\n")
        if header:
            self.rows.writerow(CSV_FIELDS + ["error"])

    def write(self, doc: Document) -> None:
        for m in doc.entities:
            values = {**m.to_dict(), "source": doc.source, "mention_source": m.source}
            self.rows.writerow([safe_cell(values[f]) for f in CSV_FIELDS] + [""])
        if doc.error is not None or not doc.entities:
            blank = [""] * (len(CSV_FIELDS) - 1)
            self.rows.writerow([safe_cell(doc.source), *blank, safe_cell(doc.error)])
        self.out.flush()

    def close(self) -> None:
        pass


def console(out: IO[str]):
    """A Rich console on ``out`` for tables. A closed pipe raises ``BrokenPipeError`` like every
    other format (Rich would exit 1 on its own), so ``| head`` ends every format alike."""
    from rich.console import Console

    class Quiet(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    return Quiet(file=out, highlight=False)


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def visible(text: str):
    """``text`` for a terminal, as a Rich ``Text`` (never markup): control characters (ANSI and
    OSC escapes, line breaks, bidirectional overrides) are shown as ``\\x1b``-style escapes
    rather than obeyed. Machine formats keep the text exact."""
    from rich.text import Text

    return Text(CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text))


class TableWriter:
    """Rich tables for people: grouped entities by default, every mention on request."""

    def __init__(self, out: IO[str], mentions: bool = False) -> None:
        self.console = console(out)
        self.mentions = mentions

    def write(self, doc: Document) -> None:
        from rich.table import Table

        def row(*cells: str) -> None:
            table.add_row(*(visible(c) for c in cells))

        title = visible(f"{doc.source}  ·  {doc.encoding}  ·  published {doc.published or 'unknown'}")
        if self.mentions:
            table = Table(title=title, title_justify="left")
            for column in ("label", "text", "start", "end", "norm", "group"):
                table.add_column(column, justify="right" if column in ("start", "end") else "left")
            for m in doc.entities:
                row(m.label, m.text, str(m.start), str(m.end), m.norm or "", m.group or "")
        else:
            table = Table(title=title, title_justify="left")
            for column in ("name", "label", "aliases", "mentions", "value"):
                table.add_column(column, justify="right" if column == "mentions" else "left")
            for g in doc.groups:
                others = [a for a in g.aliases if a != g.name]
                row(g.name, g.label, ", ".join(others), str(g.mentions), ", ".join(g.norms) or (g.kb_id or ""))
        self.console.print(table)

    def close(self) -> None:
        pass
