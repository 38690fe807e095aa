"""Documents as a flat table, one row per mention: the one definition of the columns of
CSV, Parquet, SQLite's ``mentions`` and Dask DataFrames.

A row is its document's columns (``source``, ``encoding``, ``published``,
``published_from``, ``error``), then the mention's, named and typed after
:class:`~entityx.model.Mention`'s fields (a field added to the contract becomes a column
without a change here), then its entity's ``name`` and ``salience``, so that a row can be read
alone. The mention's provenance is ``origin``. As in CSV, every document has a row: one
that failed, or has no mention, is one row with null mention columns (and its ``error``).
A document's ``meta`` (a JSONL corpus line's) is kept whole as JSON (``meta``) and each of
its keys as a column ``meta_<key>`` where the format takes them (SQLite, Parquet).
"""

from __future__ import annotations

import json
import re
from dataclasses import fields

from entityx.model import CONTRACT, Document, Mention

DOCUMENT_COLUMNS = {"source": "string", "encoding": "string", "published": "string",
                    "published_from": "string", "error": "string"}
GROUP_COLUMNS = {"name": "string", "salience": "double"}
KINDS = {"int": "int64", "float | None": "double", "str | None": "string", "str": "string"}
DAYS = {"earliest", "latest"}  # ISO days: a date type where the format has one


def mention_columns() -> dict[str, str]:
    """Column -> kind (``string``, ``int64``, ``double``, ``date``) of the mention's part."""
    types = {f.name: f.type for f in fields(Mention)}
    return {name: "date" if name in DAYS else KINDS.get(str(types[name]), "string") for name in CONTRACT}


def columns(document: bool = True, meta: list[str] = ()) -> dict[str, str]:
    """Column -> kind of a whole row (``document=False``: the mention's and entity's part)."""
    head = {**DOCUMENT_COLUMNS, **{meta_column(k): "string" for k in meta}} if document else {}
    return {**head, **mention_columns(), **GROUP_COLUMNS}


def meta_column(key: str) -> str:
    """The column of a meta key: ``meta_`` and the key in lower-case letters, digits and
    underscores (SQL column names ignore case: ``Title`` and ``title`` are one column)."""
    return "meta_" + re.sub(r"\W", "_", key.lower(), flags=re.ASCII)


def meta_value(value) -> str | None:
    """A meta value as a cell: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) or value is None else json.dumps(value, ensure_ascii=False)


def document_row(doc: Document, meta: list[str] = ()) -> dict:
    row = {"source": doc.source, "encoding": doc.encoding, "published": doc.published,
           "published_from": doc.published_from, "error": doc.error}
    given = doc.meta or {}
    for key in meta:  # keys that share a column (``Title``, ``title``): the first with a value
        column = meta_column(key)
        if row.get(column) is None:
            row[column] = meta_value(given.get(key))
    return row


def rows(doc: Document, document: bool = True, every_document: bool = True, meta: list[str] = ()) -> list[dict]:
    """The rows of one document, in mention order (``every_document=False``: a document
    without mention has a row only if it failed)."""
    head = document_row(doc, meta) if document else {}
    groups = {g.id: g for g in doc.groups}
    found = []
    for m in doc.entities:
        group = groups.get(m.group)
        found.append({**head, **{name: getattr(m, name) for name in CONTRACT},
                      "name": group.name if group else None, "salience": group.salience if group else None})
    if not found and (every_document or doc.error is not None):
        found.append({**head, **dict.fromkeys(mention_columns()), **dict.fromkeys(GROUP_COLUMNS)})
    return found


def arrow_schema(document: bool = True, meta: list[str] = ()):
    """The pyarrow schema of the rows (nullable as the contract; days as dates)."""
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "double": pa.float64(), "date": pa.date32()}
    return pa.schema([(name, types[kind]) for name, kind in columns(document, meta).items()])
