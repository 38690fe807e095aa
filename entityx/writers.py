"""Output formats, one writer a format, each fed documents one at a time.

Machine formats (JSON, JSONL, CSV) are written as plain text, flushed after every
document, and never pass through Rich; only the human table does.
"""

from __future__ import annotations

import csv
import json
import re
from typing import IO

from entityx import flat
from entityx.model import Document

# The document's columns, then the mention's and its entity's (entityx.flat), then the
# document's meta as JSON and its error. ``mention_source`` is ``origin``'s old name, kept for
# one release.
CSV_FIELDS = ["source", "published", "published_from", *flat.mention_columns(), *flat.GROUP_COLUMNS,
              "mention_source", "meta", "error"]
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
    """One pretty-printed object per input, one after another: the same shape for one input
    or many (a sequence of JSON texts, which ``jq`` reads as it is; ``-f jsonl`` puts each
    on one line)."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, doc: Document) -> None:
        write_json(doc, self.out, indent=2)
        self.out.write("\n")
        self.out.flush()

    def close(self) -> None:
        pass


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
    """A cell a spreadsheet shows as text: a leading = + - @ would make it a formula. (A
    number, such as a negative longitude, is a number: it stays as it is.)"""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, int | float):
        return text
    return "'" + text if text.startswith(FORMULA_START) and text != "-" else text


class CsvWriter:
    """One row per mention (RFC 4180). A document with an error gets one row saying so, and
    one without any entity a row with its source alone, so every document has a row."""

    def __init__(self, out: IO[str], header: bool = True) -> None:
        self.out = out
        self.rows = csv.writer(out, lineterminator="\r\n")
        if header:
            self.rows.writerow(CSV_FIELDS)

    def write(self, doc: Document) -> None:
        meta = None if doc.meta is None else json.dumps(doc.meta, ensure_ascii=False)
        for row in flat.rows(doc):
            row.update(mention_source=row["origin"], meta=meta)
            self.rows.writerow([safe_cell(row[f]) for f in CSV_FIELDS])
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
    """Rich tables for people: grouped entities by default, every mention on request. Values
    (ISO dates, ids) are never cut: names wrap instead."""

    def __init__(self, out: IO[str], mentions: bool = False) -> None:
        self.console = console(out)
        self.mentions = mentions

    def write(self, doc: Document) -> None:
        from rich.table import Table

        def row(*cells: str) -> None:
            table.add_row(*(visible(c) for c in cells))

        title = visible(f"{doc.source}  ·  {doc.encoding}  ·  published {doc.published or 'unknown'}"
                        + (f" ({doc.published_from})" if doc.published_from else ""))
        table = Table(title=title, title_justify="left")
        if self.mentions:
            header, rows = MENTION_TABLE, [mention_cells(m) for m in doc.entities]
        else:
            header, rows = GROUP_TABLE, [group_cells(g) for g in doc.groups]
        for column in header:
            whole = column not in ("name", "aliases", "text")  # values and labels: never cut
            widest = max((len(r[header.index(column)]) for r in rows), default=0)
            table.add_column(column, justify="right" if column in ("start", "end", "mentions") else "left",
                             no_wrap=whole, overflow="fold", min_width=max(widest, len(column)) if whole else None)
        for cells in rows:
            row(*cells)
        self.console.print(table)

    def close(self) -> None:
        pass


class TsvWriter:
    """The table's rows as tab-separated lines, for ``grep``, ``cut`` and ``sort``: a header,
    then one line per entity (``--mentions``: per mention), the document's source first. Tabs
    and line breaks inside a value are written as spaces."""

    def __init__(self, out: IO[str], mentions: bool = False) -> None:
        self.out, self.mentions = out, mentions
        self.out.write("\t".join(["source", *(MENTION_TABLE if mentions else GROUP_TABLE)]) + "\n")

    def write(self, doc: Document) -> None:
        rows = [mention_cells(m) for m in doc.entities] if self.mentions else [group_cells(g) for g in doc.groups]
        for cells in rows:
            self.out.write("\t".join(re.sub(r"[\t\r\n]", " ", c) for c in (doc.source, *cells)) + "\n")
        self.out.flush()

    def close(self) -> None:
        pass


GROUP_TABLE = ["name", "label", "aliases", "mentions", "norm", "kb_id"]
MENTION_TABLE = ["label", "text", "start", "end", "norm", "kb_id", "group"]


def group_cells(g) -> list[str]:
    others = [a for a in g.aliases if a != g.name]
    return [g.name, g.label, ", ".join(others), str(g.mentions), ", ".join(g.norms), g.kb_id or ""]


def mention_cells(m) -> list[str]:
    return [m.label, m.text, str(m.start), str(m.end), m.norm or "", m.kb_id or "", m.group or ""]
