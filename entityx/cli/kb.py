"""``entityx kb``: list or search the knowledge base of agencies and institutions."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from entityx.cli.app import app
from entityx.cli.edge import user_edge
from entityx.cli.options import ReportFormat


@app.command()
def kb(
    query: Annotated[str | None, typer.Argument(help="Words to look for in names, variants and acronyms.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="ISO 3166 code, or 'international'.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="police, intelligence, justice, ministry, …")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="table, json or jsonl.")] = ReportFormat.table,
) -> None:
    """List or search the built-in knowledge base of agencies and institutions.

    Example: entityx kb sûreté --country MA
    """
    from entityx.report import print_agencies, search_agencies

    with user_edge():
        print_agencies(search_agencies(query, country, kind), fmt.value, sys.stdout)
