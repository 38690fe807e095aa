"""``entityx extract``: articles in, entities out, in the format asked for."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from entityx.cli.app import app
from entityx.cli.edge import fail, output_stream, say, user_edge
from entityx.cli.options import (
    DateStyle,
    DateStyleOption,
    Format,
    KbOption,
    LabelsOption,
    MinConfidenceOption,
    PatternsOption,
    PublishedOption,
    check_labels,
)


def make_writer(fmt: Format, out, mentions: bool = False, texts=None):
    from entityx import writers

    if fmt is Format.timeml:
        from entityx.timeml import TimemlWriter

        return TimemlWriter(out, texts)
    if fmt is Format.html:
        from entityx.render_html import HtmlWriter

        return HtmlWriter(out, texts)
    if fmt is Format.json:
        return writers.JsonWriter(out)
    if fmt is Format.jsonl:
        return writers.JsonlWriter(out)
    if fmt is Format.csv:
        return writers.CsvWriter(out)
    if fmt is Format.tsv:
        return writers.TsvWriter(out, mentions=mentions)
    return writers.TableWriter(out, mentions=mentions)


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Article files to read; - reads stdin.")],
    fmt: Annotated[Format | None, typer.Option("--format", "-f", help="Output format (default: table on a terminal, tsv on a pipe or file).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    labels: LabelsOption = "PER,ORG,LOC,DATE",
    published: PublishedOption = None,
    patterns: PatternsOption = None,
    mentions: Annotated[bool, typer.Option("--mentions", help="Table: one row per mention instead of per entity.")] = False,
    summary: Annotated[bool, typer.Option("--summary", help="After the documents, the entities that recur across them.")] = False,
    date_style: DateStyleOption = DateStyle.entityx,
    kb_file: KbOption = None,
    min_confidence: MinConfidenceOption = 0.0,
) -> None:
    """Extract the people, organisations, places and dates of French articles.

    With ENTITYX_URL set (and ENTITYX_TOKEN if needed), a running `entityx serve` does the
    work and the output is the same (client mode).

    Example: entityx extract communique.txt -f json | jq '.entities[] | .text'
    """
    chosen = check_labels(labels)
    if fmt is None:  # a table for a person at a terminal; lines grep and cut read elsewhere
        fmt = Format.table if output is None and sys.stdout is not None and sys.stdout.isatty() else Format.tsv
    from collections import deque

    from entityx.readers import InputError, read_text, shown

    remote_errors: tuple = ()
    if os.environ.get("ENTITYX_URL"):  # client mode: a running `entityx serve` does the work
        from entityx.client import RemoteError, extract_many

        remote_errors = (RemoteError,)
    else:
        from entityx.core import extract_many

    failed, read = [], deque()  # texts read and not yet written, for writers that show them
    shows_text = fmt in (Format.timeml, Format.html)
    style = "timeml" if fmt is Format.timeml else date_style.value  # -f timeml implies it

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
            if shows_text:
                read.append(text.text)
            yield text

    documents = []
    with user_edge(), output_stream(output, inputs) as target:
        out = target.out
        writer = make_writer(fmt, out, mentions=mentions, texts=read)
        try:
            for doc in extract_many(texts(), labels=chosen, patterns=patterns, kb=kb_file,
                                    date_style=style, min_confidence=min_confidence):
                for warning in doc.warnings:
                    say(f"Warning: {doc.source}: {warning}")
                writer.write(doc)
                target.wanted = True  # something to write: now the old file may go
                if summary:
                    documents.append(doc)
        except remote_errors as exc:
            raise fail(str(exc)) from None
        finally:
            writer.close()
        if summary:
            from entityx.report import print_summary

            print_summary(documents, out if fmt is Format.table else sys.stderr)
    if failed:
        raise typer.Exit(1)
