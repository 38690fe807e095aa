"""The ``entityx`` command: parse options, read inputs, call the library, write.

Exit codes: 0 success (even with no entity), 1 an input or runtime error, 2 a usage
error, 130 interrupted (143 killed by SIGTERM during a batch). Errors are one ``Error: …`` line on stderr, never a traceback.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def show_version(value: bool) -> None:
    if value:
        from entityx import __version__

        print(f"entityx {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=show_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """People, organisations, places and dates from French news articles."""


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def check_labels(value: str) -> list[str]:
    from entityx.model import ALL_LABELS

    labels = [v.strip().upper() for v in value.split(",") if v.strip()]
    unknown = [v for v in labels if v not in ALL_LABELS]
    if unknown or not labels:
        raise typer.BadParameter(f"choose among {', '.join(ALL_LABELS)} (got {value!r})")
    return labels


def check_published(value: str | None) -> str | None:
    if value is None:
        return None
    from entityx.temporal import Reference

    try:
        Reference.parse(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


def check_patterns(value: Path | None) -> Path | None:
    if value is None:
        return None
    from entityx.patterns import PatternError, read_patterns

    try:
        read_patterns(value)
    except PatternError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


def check_kb(value: Path | None) -> Path | None:
    if value is None:
        return None
    from entityx.knowledge import KnowledgeError, agencies

    try:
        agencies(value.resolve())
    except KnowledgeError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


KbOption = Annotated[
    Path | None,
    typer.Option("--kb", callback=check_kb,
                 help="Your own organisations (JSONL, the knowledge base's format), merged with the built-in ones."),
]
LabelsOption = Annotated[
    str, typer.Option("--labels", help="Comma-separated labels to keep: PER,ORG,LOC,DATE and MISC.")
]
PublishedOption = Annotated[
    str | None,
    typer.Option("--published", callback=check_published,
                 help="Publication date YYYY[-MM[-DD]] that relative dates resolve against."),
]
PatternsOption = Annotated[
    Path | None,
    typer.Option("--patterns", callback=check_patterns,
                 help="Extra names as spaCy entity-ruler patterns (JSONL)."),
]


@contextmanager
def output_stream(path: Path | None):
    """stdout, or ``path`` opened for writing in UTF-8."""
    if path is None:
        yield sys.stdout
        return
    try:
        out = path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        say(f"Error: {path}: {exc.strerror}")
        raise typer.Exit(1) from None
    with out:
        yield out


@contextmanager
def user_edge():
    """Turn interruptions and closed pipes into quiet, meaningful exits."""
    try:
        yield
    except KeyboardInterrupt as exc:
        say("Error: interrupted; what was written so far is complete")
        raise typer.Exit(128 + getattr(exc, "signum", signal.SIGINT)) from None
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from complaining.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(141) from None


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
    kb_file: KbOption = None,
) -> None:
    """Extract the people, organisations, places and dates of French articles.

    Example: entityx extract communique.txt -f json | jq '.entities[] | .text'
    """
    chosen = check_labels(labels)
    from entityx.core import extract_many
    from entityx.readers import InputError, read_text

    failed = []

    def texts():
        for source in inputs:
            try:
                yield read_text(source, published)
            except InputError as exc:
                say(f"Error: {source}: {exc}")
                failed.append(source)

    documents = []
    with user_edge(), output_stream(output) as out:
        writer = make_writer(fmt, out, several=len(inputs) > 1, mentions=mentions)
        try:
            for doc in extract_many(texts(), labels=chosen, patterns=patterns, kb=kb_file):
                writer.write(doc)
                if summary:
                    documents.append(doc)
        finally:
            writer.close()
        if summary:
            from entityx.report import print_summary

            print_summary(documents, out if fmt is Format.table else sys.stderr)
    if failed:
        raise typer.Exit(1)


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(help="Folders, files, or - for JSONL on stdin.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file: .jsonl, .csv, .sqlite or .db.")],
    glob: Annotated[str, typer.Option("--glob", help="File pattern inside folders (also *.md, *.html).")] = "*.txt",
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Inputs are JSONL documents {id, text, meta}.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip documents already in the output.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    labels: LabelsOption = "PER,ORG,LOC,DATE",
    published: PublishedOption = None,
    patterns: PatternsOption = None,
) -> None:
    """Process folders of thousands of articles in parallel, resumably, losing nothing.

    Example: entityx batch archive/ -o entities.sqlite --jobs 2
    """
    chosen = check_labels(labels)
    from entityx.batch import BatchError, run_batch

    with user_edge():
        try:
            report = run_batch(
                paths, output, glob=glob, jsonl=jsonl, jobs=jobs or os.cpu_count() or 1,
                resume=resume, quiet=quiet, labels=chosen, published=published, patterns=patterns,
            )
        except BatchError as exc:
            say(f"Error: {exc}")
            raise typer.Exit(1) from None
    if report.failed:
        raise typer.Exit(1)


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL in the format of the annotation guidelines.")],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="table or json.")] = ReportFormat.table,
    labels: LabelsOption = "PER,ORG,LOC,DATE",
    errors: Annotated[bool, typer.Option("--errors", help="List every false positive and false negative.")] = False,
    absolute_dates: Annotated[bool, typer.Option("--absolute-dates", help="Score only dates written with figures (gold that leaves relative dates untagged, e.g. WiNER-fr).")] = False,
    predictions: Annotated[Path | None, typer.Option("--predictions", help="Also write the predictions (JSONL) here.")] = None,
    patterns: PatternsOption = None,
    kb_file: KbOption = None,
) -> None:
    """Score entityx against gold annotations: strict and lenient P/R/F1, DATE norms.

    Example: entityx eval ../shared/eval/winer-fr-2016.jsonl --labels PER,ORG,LOC
    """
    chosen = check_labels(labels)
    from entityx.evaluate import GoldError, evaluate, read_gold
    from entityx.report import print_scores

    with user_edge():
        try:
            docs = read_gold(gold)
        except (OSError, GoldError) as exc:
            say(f"Error: {gold}: {getattr(exc, 'strerror', None) or exc}")
            raise typer.Exit(1) from None
        scores, predicted = evaluate(docs, chosen, patterns=patterns, absolute_dates=absolute_dates, kb=kb_file)
        if predictions is not None:
            import json

            with output_stream(predictions) as out:
                out.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in predicted)
        print_scores(scores, fmt.value, errors, sys.stdout)


@app.command()
def kb(
    query: Annotated[str | None, typer.Argument(help="Words to look for in names, variants and acronyms.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="ISO 3166 code, or 'international'.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="police, intelligence, justice, ministry, …")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="table, json or jsonl.")] = ReportFormat.table,
    kb_file: KbOption = None,
) -> None:
    """List or search the knowledge base of agencies and institutions (with --kb, yours too).

    Example: entityx kb sûreté --country MA
    """
    from entityx.report import print_agencies, search_agencies

    with user_edge():
        print_agencies(search_agencies(query, country, kind, kb_file.resolve() if kb_file else None), fmt.value, sys.stdout)


def main() -> None:
    app(prog_name="entityx")
