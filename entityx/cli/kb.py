"""``entityx kb``: list or search the knowledge base of agencies and institutions."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from entityx.cli.app import app
from entityx.cli.edge import output_stream, user_edge
from entityx.cli.options import KbOption, ReportFormat
from entityx.knowledge import AGENCY_KINDS

Kind = Enum("Kind", {kind: kind for kind in sorted(AGENCY_KINDS)}, type=str)


def check_country(value: str | None) -> str | None:
    """An ISO 3166 alpha-2 code the knowledge base uses, or ``international``: anything else
    would list nothing, silently."""
    if value is None:
        return None
    from entityx.knowledge import agencies, geography

    known = {c["iso"] for c in geography()["country_list"]} | {"INTERNATIONAL"}
    if value.upper() not in known:
        used = sorted({a.country for a in agencies()})
        raise typer.BadParameter(f"{value!r} is no ISO 3166 code; the knowledge base has "
                                 f"{', '.join(used)}")
    return value


@app.command()
def kb(
    query: Annotated[str | None, typer.Argument(help="Words to look for in names, variants and acronyms.")] = None,
    country: Annotated[str | None, typer.Option("--country", callback=check_country, help="ISO 3166 code, or 'international'.")] = None,
    kind: Annotated[Kind | None, typer.Option("--kind", help="The kind of organisation.")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="table, json or jsonl.")] = ReportFormat.table,
    kb_file: KbOption = None,
) -> None:
    """List or search the knowledge base of agencies and institutions (with --kb, yours too).

    Example: entityx kb sûreté --country MA
    """
    from entityx.report import print_agencies, search_agencies

    with user_edge(), output_stream(None) as stdout:
        found = search_agencies(query, country, kind.value if kind else None, kb_file)
        print_agencies(found, fmt.value, stdout.out)
