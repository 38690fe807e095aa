"""Documents as a flat table, one row per mention, for columnar tools (Parquet, DataFrames).

Each row carries its document's columns (``source``, ``encoding``, ``published``,
``error``) then the mention's, named and typed after :class:`~entityx.model.Mention`'s
fields, so a field added to the contract becomes a column without a change here. A mention's
own ``source`` (its provenance) is ``mention_source``, apart from the document's ``source``.
As in the CSV output, every document has a row: one that failed, or has no mention, is one
row with null mention columns (and its ``error``), so rows with a ``label`` are the mentions.
"""

from __future__ import annotations

from dataclasses import fields

from entityx.model import Document, Mention

DOCUMENT_COLUMNS = {"source": "string", "encoding": "string", "published": "string", "error": "string"}
RENAMED = {"source": "mention_source"}
HIDDEN = {"canonical"}  # not part of the JSON contract (see Mention.to_dict)


def mention_fields() -> list[tuple[str, str]]:
    """(field, column) of each Mention field in the JSON contract, in declaration order."""
    return [(f.name, RENAMED.get(f.name, f.name)) for f in fields(Mention) if f.name not in HIDDEN]


def mention_columns() -> dict[str, str]:
    """Column name -> kind (``string`` or ``int64``) of the mention's part of a row."""
    kinds = {f.name: "int64" if f.type in ("int", int) else "string" for f in fields(Mention)}
    return {column: kinds[name] for name, column in mention_fields()}


def columns(document: bool = True) -> dict[str, str]:
    """Column name -> kind of a whole row (``document=False``: the mention's part only)."""
    return {**(DOCUMENT_COLUMNS if document else {}), **mention_columns()}


def rows(doc: Document, document: bool = True, every_document: bool = True) -> list[dict]:
    """The rows of one document, in mention order (``every_document=False``: a document
    without mention has a row only if it failed)."""
    head = (
        {"source": doc.source, "encoding": doc.encoding, "published": doc.published, "error": doc.error}
        if document
        else {}
    )
    pairs = mention_fields()
    found = [{**head, **{column: getattr(m, name) for name, column in pairs}} for m in doc.entities]
    if not found and (every_document or doc.error is not None):
        found.append({**head, **{column: None for _, column in pairs}})
    return found


def arrow_schema(document: bool = True):
    """The pyarrow schema of the rows (strings and 64-bit integers, nullable as the contract)."""
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64()}
    return pa.schema([(name, types[kind]) for name, kind in columns(document).items()])
