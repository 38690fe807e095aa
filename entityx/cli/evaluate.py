"""``entityx eval``: score entityx against gold annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from entityx.cli.app import app
from entityx.cli.edge import fail, output_stream, say, user_edge
from entityx.cli.options import (
    DateStyle,
    DateStyleOption,
    KbOption,
    LabelsOption,
    MinConfidenceOption,
    PatternsOption,
    ReportFormat,
    check_labels,
)


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL, one document a line: {\"id\", \"text\", \"meta\": {\"published\"}, "
                                       "\"spans\": [{\"start\", \"end\", \"label\", \"norm\"?, \"ignore\"?}]} "
                                       "(offsets in characters, end exclusive; see the README's Evaluate).")],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="table, json or jsonl.")] = ReportFormat.table,
    labels: LabelsOption = "PER,ORG,LOC,DATE",
    errors: Annotated[bool, typer.Option("--errors", help="List every false positive and false negative.")] = False,
    absolute_dates: Annotated[bool, typer.Option("--absolute-dates", help="Score only dates written with figures (gold that leaves relative dates untagged, e.g. WiNER-fr).")] = False,
    predictions: Annotated[Path | None, typer.Option("--predictions", help="Also write the predictions (JSONL) here.")] = None,
    patterns: PatternsOption = None,
    date_style: DateStyleOption = DateStyle.entityx,
    kb_file: KbOption = None,
    min_confidence: MinConfidenceOption = 0.0,
) -> None:
    """Score entityx against gold annotations: strict and lenient P/R/F1, DATE norms.

    Example: entityx eval ../shared/eval/winer-fr-2016.jsonl --labels PER,ORG,LOC
    """
    chosen = check_labels(labels)
    from entityx.evaluate import GoldError, evaluate, read_gold
    from entityx.report import print_scores

    with user_edge():
        warnings: list[str] = []
        try:
            docs = read_gold(gold, warnings)
        except OSError as exc:
            raise fail(f"{gold}: {exc.strerror or exc}") from None
        except GoldError as exc:  # names FILE:LINE itself
            raise fail(str(exc)) from None
        for warning in warnings:
            say(f"Warning: {warning}")
        scores, predicted = evaluate(docs, chosen, patterns=patterns, absolute_dates=absolute_dates,
                                     kb=kb_file, date_style=date_style.value, min_confidence=min_confidence)
        if predictions is not None:
            import json

            with output_stream(predictions, [str(gold)], wanted=True) as output:
                output.out.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in predicted)
        with output_stream(None) as stdout:
            print_scores(scores, fmt.value, errors, stdout.out)
