"""Output formats, one writer a format, each fed documents one at a time.

Machine formats (JSON, JSONL, CSV) are written as plain text, flushed after every
document, and never pass through Rich; only the human table does.
"""

from __future__ import annotations

import csv
import json
from typing import IO

from entityx.model import Document

CSV_FIELDS = ["source", "group", "label", "text", "start", "end", "norm", "kb_id"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def dumps(doc: Document) -> str:
    return json.dumps(doc.to_dict(), ensure_ascii=False)


class JsonWriter:
    """One object for a single input; an array, closed even on interruption, for several."""

    def __init__(self, out: IO[str], array: bool) -> None:
        self.out, self.array, self.count = out, array, 0

    def write(self, doc: Document) -> None:
        if self.array:
            self.out.write(("[\n" if self.count == 0 else ",\n") + dumps(doc))
        else:
            self.out.write(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2) + "\n")
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
        self.out.write(dumps(doc) + "\n")
        self.out.flush()

    def close(self) -> None:
        pass


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would make it a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) and text != "-" else text


class CsvWriter:
    """One row per mention (RFC 4180); a document with an error gets one row saying so."""

    def __init__(self, out: IO[str], header: bool = True) -> None:
        self.out = out
        self.rows = csv.writer(out, lineterminator="\r\n")
        if header:
            self.rows.writerow(CSV_FIELDS + ["error"])

    def write(self, doc: Document) -> None:
        for m in doc.entities:
            values = {**m.to_dict(), "source": doc.source}  # the document's source, not the mention's
            self.rows.writerow([safe_cell(values[f]) for f in CSV_FIELDS] + [""])
        if doc.error is not None:
            self.rows.writerow([safe_cell(doc.source)] + [""] * (len(CSV_FIELDS) - 1) + [safe_cell(doc.error)])
        self.out.flush()

    def close(self) -> None:
        pass


class TableWriter:
    """Rich tables for people: grouped entities by default, every mention on request."""

    def __init__(self, out: IO[str], mentions: bool = False) -> None:
        from rich.console import Console

        self.console = Console(file=out, highlight=False)
        self.mentions = mentions

    def write(self, doc: Document) -> None:
        from rich.table import Table
        from rich.text import Text

        def row(*cells: str) -> None:
            table.add_row(*(Text(c) for c in cells))  # Text: user words are never markup

        title = f"{doc.source}  ·  {doc.encoding}  ·  published {doc.published or 'unknown'}"
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
