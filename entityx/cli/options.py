"""Options several commands share, checked before any work so a mistake is a usage error (2)."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class Format(str, Enum):
    table = "table"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    timeml = "timeml"
    html = "html"


class DateStyle(str, Enum):
    entityx = "entityx"
    timeml = "timeml"


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


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
    from entityx.dates import Reference

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
    return value.resolve()


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
DateStyleOption = Annotated[
    DateStyle,
    typer.Option("--date-style", help="DATE spans and values: entityx (the annotation guidelines) "
                 "or timeml (TimeBank 1.2: determiner inside, one span per range endpoint)."),
]
PatternsOption = Annotated[
    Path | None,
    typer.Option("--patterns", callback=check_patterns,
                 help="Extra names as spaCy entity-ruler patterns (JSONL)."),
]

MinConfidenceOption = Annotated[
    float,
    typer.Option("--min-confidence", min=0.0, max=1.0,
                 help="Leave out mentions whose confidence (the calibrated probability that span and "
                      "label are right) is below this."),
]


def check_token(token: str | None) -> None:
    """An empty token (``--token ""``, or a variable set to nothing) is a usage error: it must
    never mean "no authentication"."""
    given = token if token is not None else os.environ.get("ENTITYX_TOKEN")
    if given is not None and not given.strip():
        raise typer.BadParameter("the token is empty (an unset variable?): give a real token, or none "
                                 "at all to serve without one", param_hint="'--token' / ENTITYX_TOKEN")
