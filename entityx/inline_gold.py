"""Gold written inline, for hand-annotated texts: ``[Lyon]{LOC}``, ``[hier]{DATE=2024-09-04}``.

Writing gold inline keeps offsets right by construction. :func:`parse` turns a marked-up
string into the plain text and the spans of the annotation guidelines; ``{DATE}`` with no
value means the date's norm cannot be known (no ``norm`` key). :func:`read_marked` reads a
whole marked-up document: ``published: YYYY[-MM[-DD]]``, a blank line, then the article.
"""

from __future__ import annotations

import re
from pathlib import Path

MARK = re.compile(r"\[([^\[\]]+)\]\{(PER|ORG|LOC|DATE|MISC)(?:=([^{}]*))?\}")
PUBLISHED = re.compile(r"published: (\d{4}(?:-\d{2}(?:-\d{2})?)?)")
LABELS = frozenset({"PER", "ORG", "LOC", "DATE"})


def parse(marked: str) -> tuple[str, list[dict]]:
    """Plain text and gold spans of a marked-up string."""
    text, spans, last, offset = [], [], 0, 0
    for m in MARK.finditer(marked):
        before = marked[last : m.start()]
        text.append(before)
        offset += len(before)
        surface, label, norm = m.group(1), m.group(2), m.group(3)
        span = {"start": offset, "end": offset + len(surface), "label": label, "text": surface}
        if norm:
            span["norm"] = norm
        spans.append(span)
        text.append(surface)
        offset += len(surface)
        last = m.end()
    text.append(marked[last:])
    plain = "".join(text)
    if re.search(r"[\[\]]|\{(PER|ORG|LOC|DATE|MISC)", plain):
        raise ValueError(f"stray markup in: {plain[:80]!r}")
    return plain, spans


def read_marked(path: Path) -> dict:
    """One gold document (``id``, ``text``, ``meta.published``, ``spans``) from a marked-up
    file; raises ValueError naming the file when it is malformed."""
    raw = path.read_text(encoding="utf-8")
    head, sep, body = raw.partition("\n\n")
    match = PUBLISHED.fullmatch(head.strip())
    if not sep or not match:
        raise ValueError(f"{path.name}: first line must be 'published: YYYY[-MM[-DD]]', then a blank line")
    # Leading spaces are kept: a ' date YYYY-MM' header opens some articles.
    try:
        text, spans = parse(body.rstrip())
    except ValueError as exc:
        raise ValueError(f"{path.name}: {exc}") from None
    check(path.name, text, spans)
    return {"id": path.stem, "text": text, "meta": {"published": match.group(1)}, "spans": spans}


def check(name: str, text: str, spans: list[dict]) -> None:
    """Refuse a span that does not match the text, overlaps another, or has bad edges."""
    previous = None
    for span in spans:
        where = f"{name}: {span['label']} {span['text']!r} at {span['start']}"
        if span["label"] not in LABELS:
            raise ValueError(f"{where}: label outside {sorted(LABELS)}")
        if text[span["start"] : span["end"]] != span["text"]:
            raise ValueError(f"{where}: span text differs from text[start:end]")
        if span["text"] != span["text"].strip():
            raise ValueError(f"{where}: span has leading or trailing whitespace")
        if previous is not None and span["start"] < previous["end"]:
            raise ValueError(f"{where}: overlaps {previous['text']!r}")
        previous = span
