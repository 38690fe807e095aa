"""``entityx extract``: articles in, entities out, in the format asked for."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from entityx.cli.app import app
from entityx.cli.edge import output_stream, say, user_edge
from entityx.cli.options import (
    Format,
    LabelsOption,
    PatternsOption,
    PublishedOption,
    check_labels,
)


def make_writer(fmt: Format, out, several: bool, mentions: bool = False):
    from entityx import writers

    if fmt is Format.json:
        return writers.JsonWriter(out, array=several)
    if fmt is Format.jsonl:
        return writers.JsonlWriter(out)
    if fmt is Format.csv:
        return writers.CsvWriter(out)
    return writers.TableWriter(out, mentions=mentions)


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Article files to read; - reads stdin.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    labels: LabelsOption = "PER,ORG,LOC,DATE",
    published: PublishedOption = None,
    patterns: PatternsOption = None,
    mentions: Annotated[bool, typer.Option("--mentions", help="Table: one row per mention instead of per entity.")] = False,
    summary: Annotated[bool, typer.Option("--summary", help="After the documents, the entities that recur across them.")] = False,
) -> None:
    """Extract the people, organisations, places and dates of French articles.

    Example: entityx extract communique.txt -f json | jq '.entities[] | .text'
    """
    chosen = check_labels(labels)
    from entityx.core import extract_many
    from entityx.readers import InputError, read_text, shown

    failed = []

    def texts():
        for source in inputs:
            try:
                text = read_text(source, published)
            except InputError as exc:
                say(f"Error: {shown(source)}: {exc}")
                failed.append(source)
                continue
            if text.replaced:
                say(f"Warning: {text.source}: {text.replaced} invalid bytes replaced "
                    f"(decoded as {text.encoding})")
            yield text

    documents = []
    with user_edge(), output_stream(output, inputs) as target:
        out = target.out
        writer = make_writer(fmt, out, several=len(inputs) > 1, mentions=mentions)
        try:
            for doc in extract_many(texts(), labels=chosen, patterns=patterns):
                writer.write(doc)
                target.wanted = True  # something to write: now the old file may go
                if summary:
                    documents.append(doc)
        finally:
            writer.close()
        if summary:
            from entityx.report import print_summary

            print_summary(documents, out if fmt is Format.table else sys.stderr)
    if failed:
        raise typer.Exit(1)
