"""Helpers shared by the components: replacing entities while keeping the rest, in linear time."""

from __future__ import annotations

import numpy
from spacy.attrs import LOWER
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from entityx.knowledge import fold


def lower_keys(vocab, words) -> numpy.ndarray:
    """Hashes of the lower-case forms of ``words`` as written and folded, for :func:`where`."""
    forms = {f for w in words for f in (w.lower(), fold(w), w.lower().replace("'", "’"))}
    return numpy.array(sorted(vocab.strings.add(f) for f in forms), dtype="uint64")


def where(doc: Doc, keys: numpy.ndarray) -> list[int]:
    """Indexes of the tokens whose lower-case form is one of ``keys``: one array test instead
    of a Python loop over every token."""
    if not len(doc):
        return []
    return numpy.flatnonzero(numpy.isin(doc.to_array([LOWER]).ravel(), keys)).tolist()


def entity_at(doc: Doc) -> list[Span | None]:
    """The entity covering each token (None outside entities): overlap tests without a scan."""
    cover: list[Span | None] = [None] * len(doc)
    for ent in doc.ents:
        cover[ent.start : ent.end] = [ent] * len(ent)
    return cover


def overlapping(cover: list[Span | None], start: int, end: int) -> list[Span]:
    """The distinct entities over tokens ``start:end``, in order."""
    return list(dict.fromkeys(e for e in cover[start:end] if e is not None))


def merge_ents(doc: Doc, new: list[Span]) -> None:
    """Set ``doc.ents`` to ``new`` (longest first among themselves) plus the old entities
    that overlap none of them: the later component wins where they conflict."""
    new = filter_spans(new)
    taken = [False] * len(doc)
    for span in new:
        taken[span.start : span.end] = [True] * len(span)
    kept = [e for e in doc.ents if not any(taken[e.start : e.end])]
    doc.ents = sorted(kept + new, key=lambda s: s.start)


def sourced(span: Span, source: str) -> Span:
    """``span`` with ``Span._.source`` set: where its label came from. (Extensions are
    stored by character range, so only a span that is kept may be sourced.)"""
    span._.source = source
    return span


def agreement(span: Span, source: str, cover: list[Span | None]) -> str:
    """``source``, or ``model+source`` when the model had the very same span with the same
    label: two independent kinds of evidence agree."""
    old = cover[span.start] if span.start < len(cover) else None
    same = old is not None and (old.start, old.end, old.label_) == (span.start, span.end, span.label_)
    return f"model+{source}" if same and (old._.source or "model").startswith("model") else source


def merge_sourced(doc: Doc, new: list[tuple[Span, str]]) -> None:
    """:func:`merge_ents` of (span, source) pairs, sourcing the spans that are kept."""
    sources = {(s.start, s.end, s.label_): source for s, source in new}
    merge_ents(doc, [s for s, _ in new])
    for ent in doc.ents:
        source = sources.get((ent.start, ent.end, ent.label_))
        if source is not None:
            ent._.source = source
