"""Reports other than documents: evaluation scores, the knowledge base, corpus summaries."""

from __future__ import annotations

import json
from collections import Counter
from typing import IO

from entityx.evaluate import Scores
from entityx.knowledge import Agency, agencies, fold
from entityx.model import Document
from entityx.writers import console, visible


def _console(out: IO[str]):
    return console(out)


def print_scores(scores: Scores, fmt: str, errors: bool, out: IO[str], title: str = "entityx eval") -> None:
    """Per-label and micro P/R/F1 (strict and lenient), the DATE norm share, and errors."""
    result = scores.table()
    if fmt != "table":
        if errors:
            result["errors"] = scores.errors
        out.write(json.dumps(result, ensure_ascii=False, indent=None if fmt == "jsonl" else 2) + "\n")
        return
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in ("label", "P", "R", "F1", "lenient P", "lenient R", "lenient F1", "gold"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, r in result["labels"].items():
        if not r["support"] and not r["predicted"]:  # neither in the gold nor found: nothing to score
            table.add_row(label, *("–" * 6), "0")
            continue
        table.add_row(label, *(f"{r[k]:.3f}" for k in ("precision", "recall", "f1", "lenient_precision",
                                                       "lenient_recall", "lenient_f1")), str(r["support"]))
    console = _console(out)
    console.print(table)
    if result["norm_total"]:
        console.print(f"DATE norm exact: {result['norm_exact']}/{result['norm_total']} "
                      f"= {result['norm_accuracy']:.3f}", markup=False)
    if errors:
        for e in scores.errors:
            out.write(f"{e['kind']}\t{e['label']}\t{e['id']}\t{e['text']}\t{e['context']}\n")


def search_agencies(query: str | None, country: str | None, kind: str | None, kb=None) -> list[Agency]:
    """Entries whose names, variants or acronyms contain every word of ``query``."""
    words = fold(query or "").split()
    found = []
    for a in agencies(kb):
        haystack = fold(" | ".join((a.id, *a.long_forms, *a.acronyms, *a.ambiguous_acronyms, *a.templates)))
        if all(w in haystack for w in words) and (not country or a.country.lower() == country.lower()) \
                and (not kind or a.kind == kind):
            found.append(a)
    return found


def readable(name: str) -> str:
    """A templated name as a reader reads it: ``Cour d'appel de (ville)``, one per city."""
    return name.replace("{PLACE}", "(ville)")


def print_agencies(found: list[Agency], fmt: str, out: IO[str]) -> None:
    records = [
        {"id": a.id, "name": readable(a.name),
         "acronyms": [*a.acronyms, *a.ambiguous_acronyms], "variants": [readable(v) for v in a.variants],
         "templates": [readable(t) for t in a.templates], "country": a.country, "kind": a.kind}
        for a in found
    ]
    if fmt == "json":
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "jsonl":
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{len(found)} organisations", title_justify="left")
    for column in ("id", "name", "acronyms", "country", "kind"):
        table.add_column(column, no_wrap=column in ("id", "country", "kind"), overflow="fold")  # nothing cut
    for r in records:
        shown = r["id"] + (":(ville)" if r["templates"] else "")  # one id per city: fr-cour-appel:lyon
        table.add_row(*(Text(v) for v in (shown, r["name"], ", ".join(r["acronyms"]), r["country"], r["kind"])))
    _console(out).print(table)


def recurring(documents: list[Document]) -> list[tuple[str, str, int]]:
    """(name, label, number of documents) of entities found in two documents or more; an
    agency is counted by its knowledge-base id, anything else by its name and label."""
    counts: Counter = Counter()
    names: dict = {}
    for doc in documents:
        keys = set()
        for g in doc.groups:
            key = ("kb", g.kb_id) if g.kb_id and g.label != "DATE" else (g.label, fold(g.name))
            keys.add(key)
            names.setdefault(key, (g.name, g.label))
        counts.update(keys)
    rows = [(*names[k], n) for k, n in counts.items() if n > 1]
    return sorted(rows, key=lambda r: (-r[2], r[1], r[0]))


def print_summary(documents: list[Document], out: IO[str]) -> None:
    from rich.table import Table

    rows = recurring(documents)
    table = Table(title=f"Recurring entities across {len(documents)} documents", title_justify="left")
    for column in ("name", "label", "documents"):
        table.add_column(column, justify="right" if column == "documents" else "left")
    for name, label, n in rows:
        table.add_row(visible(name), label, str(n))
    _console(out).print(table if rows else "No entity appears in more than one document.")
