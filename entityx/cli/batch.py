"""``entityx batch``: folders of articles in parallel into one output file, resumably."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from entityx.cli.app import app
from entityx.cli.edge import fail, user_edge
from entityx.cli.options import (
    DateStyle,
    DateStyleOption,
    KbOption,
    LabelsOption,
    MinConfidenceOption,
    PatternsOption,
    PublishedOption,
    check_labels,
)
from entityx.cli.progress import Progress


def check_dask(value: str | None) -> str | None:
    from entityx.cluster.client import ClusterError, check_address

    try:
        return None if value is None else check_address(value)
    except ClusterError as exc:
        raise typer.BadParameter(str(exc)) from None


@contextmanager
def where(address: str | None, jobs: int):
    """(runner, worker count): the local default for ``jobs``, or a Dask cluster's."""
    if address is None:
        yield None, jobs
        return
    from entityx.cluster.client import require_dask

    require_dask()
    from entityx.cluster.runner import open_runner

    with open_runner(address) as found:
        yield found


def check_output(value: Path) -> Path:
    from entityx.batch import BatchUsageError, output_format

    try:
        output_format(value)
    except BatchUsageError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(help="Folders, files, or - for JSONL on stdin.")],
    output: Annotated[Path, typer.Option("--output", "-o", callback=check_output, help="Output file: .jsonl, .csv, .sqlite, .db or .parquet; - streams JSONL to stdout (not resumable).")],
    glob: Annotated[str, typer.Option("--glob", help="File pattern inside folders (also *.md, *.html).")] = "*.txt",
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Inputs are JSONL documents {id, text, meta} (.jsonl and .ndjson files are, unless --text).")] = False,
    text: Annotated[bool, typer.Option("--text", help="Read .jsonl and .ndjson files as one article each, not as corpora.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip documents already in the output.")] = False,
    drop_missing: Annotated[bool, typer.Option("--drop-missing", help="With --resume: drop documents whose inputs are no longer given (refused otherwise).")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing SQLite database that entityx batch did not make (refused otherwise).")] = False,
    no_text: Annotated[bool, typer.Option("--no-text", help="SQLite: leave the articles' text out (no full-text search in entityx explore).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    labels: LabelsOption = "PER,ORG,LOC,DATE",
    published: PublishedOption = None,
    patterns: PatternsOption = None,
    date_style: DateStyleOption = DateStyle.entityx,
    kb_file: KbOption = None,
    min_confidence: MinConfidenceOption = 0.0,
    dask: Annotated[str | None, typer.Option("--dask", metavar="ADDRESS", callback=check_dask,
                    help="Run on a Dask cluster: tcp://HOST:PORT, or local:N for N worker processes here (instead of --jobs).")] = None,
) -> None:
    """Process folders of thousands of articles in parallel, resumably, losing nothing.

    Example: entityx batch archive/ -o entities.sqlite --jobs 2
    """
    chosen = check_labels(labels)
    from entityx.batch import BatchError, BatchUsageError, run_batch
    from entityx.cluster.client import ClusterError

    carry_on = "" if str(output) == "-" else ": run the same command with --resume to carry on"
    with user_edge(carry_on), Progress(show_bar=not quiet) as progress:
        try:
            with where(dask, jobs or os.cpu_count() or 1) as (runner, workers):
                report = run_batch(
                    paths, output, glob=glob, jsonl=jsonl, jobs=workers, resume=resume,
                    drop_missing=drop_missing, labels=chosen, published=published,
                    patterns=patterns, kb=kb_file, date_style=date_style.value, on_event=progress,
                    runner=runner, overwrite=overwrite, keep_text=not no_text, text=text,
                    min_confidence=min_confidence,
                )
        except BatchUsageError as exc:
            raise fail(str(exc), code=2) from None
        except (BatchError, ClusterError) as exc:
            raise fail(str(exc)) from None
    if report.failed:
        raise typer.Exit(1)
