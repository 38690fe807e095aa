"""Helpers shared by the components: replacing entities while keeping the rest."""

from __future__ import annotations

from spacy.tokens import Doc, Span
from spacy.util import filter_spans


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def merge_ents(doc: Doc, new: list[Span]) -> None:
    """Set ``doc.ents`` to ``new`` (longest first among themselves) plus the old entities
    that overlap none of them: the later component wins where they conflict."""
    new = filter_spans(new)
    kept = [e for e in doc.ents if not any(overlaps(e, n) for n in new)]
    doc.ents = sorted(kept + new, key=lambda s: s.start)
