"""Result lists as CSV downloads: RFC 4180, UTF-8, every cell made safe for spreadsheets by
:func:`entityx.writers.safe_cell` (a leading ``=``, ``+``, ``-`` or ``@`` is never a formula)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from fastapi.responses import Response

from entityx.writers import safe_cell

CSV_LIMIT = 100_000  # rows of one download; a larger list is cut (the X-Entityx-Truncated header)


def csv_bytes(rows: Iterable[dict], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return out.getvalue().encode("utf-8")


def csv_response(rows: list[dict], columns: list[str], name: str) -> Response:
    """A download named ``name``.csv; cut at ``CSV_LIMIT`` rows, which a header says."""
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    if len(rows) > CSV_LIMIT:
        rows = rows[:CSV_LIMIT]
        headers["X-Entityx-Truncated"] = str(CSV_LIMIT)
    return Response(csv_bytes(rows, columns), media_type="text/csv; charset=utf-8", headers=headers)


def file_name(*parts: str) -> str:
    """A download's name from ``parts``: letters, digits, ``-`` and ``_`` only (an entity id
    holds ``:`` and spaces, a header must not hold quotes)."""
    return "-".join("".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in p) for p in parts)
