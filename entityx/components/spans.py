"""Helpers shared by the components: replacing entities while keeping the rest, in linear time."""

from __future__ import annotations

import numpy
from spacy.attrs import LOWER, ORTH
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from entityx.doctext import text_of
from entityx.knowledge import fold
from entityx.spanvalues import set_value, source_of


def span_text(span: Span) -> str:
    """``span.text``, cut from the doc's text rather than joined from its tokens."""
    return text_of(span.doc)[span.start_char : span.end_char]


def words_of(doc: Doc) -> list[str]:
    """Every token's text, from the string store rather than through a Token each."""
    strings = doc.vocab.strings
    return [strings[key] for key in doc.to_array(ORTH).tolist()] if len(doc) else []


def lower_keys(vocab, words) -> numpy.ndarray:
    """Hashes of the lower-case forms of ``words`` as written and folded, for :func:`where`."""
    forms = {f for w in words for f in (w.lower(), fold(w), w.lower().replace("'", "’"))}
    return numpy.array(sorted(vocab.strings.add(f) for f in forms), dtype="uint64")


def where(doc: Doc, keys: numpy.ndarray) -> list[int]:
    """Indexes of the tokens whose lower-case form is one of ``keys`` (sorted, as
    :func:`lower_keys` makes them): one array test instead of a Python loop over every token."""
    if not len(doc) or not len(keys):
        return []
    lower = doc.to_array(LOWER)
    found = keys[keys.searchsorted(lower) % len(keys)] == lower
    return numpy.flatnonzero(found).tolist()


def entity_at(doc: Doc, ents: list[Span] | None = None) -> list[Span | None]:
    """The entity covering each token (None outside entities): overlap tests without a scan.
    ``ents`` defaults to ``doc.ents`` (pass a list a component already holds: reading
    ``doc.ents`` walks every token)."""
    cover: list[Span | None] = [None] * len(doc)
    for ent in doc.ents if ents is None else ents:
        cover[ent.start : ent.end] = [ent] * len(ent)
    return cover


def overlapping(cover: list[Span | None], start: int, end: int) -> list[Span]:
    """The distinct entities over tokens ``start:end``, in order."""
    return list(dict.fromkeys(e for e in cover[start:end] if e is not None))


def merged(ents, new: list[Span], size: int) -> list[Span]:
    """``new`` (longest first among themselves) plus the entities of ``ents`` that overlap
    none of them: the later component wins where they conflict."""
    new = filter_spans(new)
    taken = [False] * size
    for span in new:
        taken[span.start : span.end] = [True] * len(span)
    kept = [e for e in ents if not any(taken[e.start : e.end])]
    return sorted(kept + new, key=lambda s: s.start)


def sourced(span: Span, source: str) -> Span:
    """``span`` with ``Span._.source`` set: where its label came from. (Extensions are
    stored by character range, so only a span that is kept may be sourced.)"""
    set_value(span, "source", source)
    return span


def agreement(span: Span, source: str, cover: list[Span | None]) -> str:
    """``source``, or ``model+source`` when the model had the very same span with the same
    label: two independent kinds of evidence agree."""
    old = cover[span.start] if span.start < len(cover) else None
    same = old is not None and (old.start, old.end, old.label_) == (span.start, span.end, span.label_)
    return f"model+{source}" if same and source_of(old).startswith("model") else source


def merge_sourced(ents: list[Span], new: list[tuple[Span, str]], size: int) -> list[Span]:
    """:func:`merged` with (span, source) pairs, sourcing the new spans that are kept."""
    result = merged(ents, [s for s, _ in new], size)
    kept = {id(s) for s in result}
    for span, source in new:
        if id(span) in kept:
            set_value(span, "source", source)
    return result


def set_ents(doc: Doc, ents: list[Span], old: list[Span]) -> None:
    """``doc.ents = ents``, where ``old`` is ``doc.ents`` before: only the tokens of
    ``ents`` and those ``old`` covered are written. (spaCy's default resets every other
    token too, one Python step each, to the O they already have.)"""
    kept = {(e.start, e.end) for e in ents}
    gone = [e for e in old if (e.start, e.end) not in kept]  # usually none or a few
    taken = {i for e in ents for i in range(e.start, e.end)} if gone else set()
    freed = {i for e in gone for i in range(e.start, e.end)} - taken
    doc.set_ents(ents, outside=[Span(doc, i, i + 1) for i in sorted(freed)], default="unmodified")


def set_if_changed(doc: Doc, ents: list[Span], old: list[Span]) -> None:
    """:func:`set_ents` unless ``ents`` are ``old``'s spans again, same ranges, labels and
    ids (extension values are kept by range, not on the spans)."""
    if len(ents) != len(old) or any(_what(a) != _what(b) for a, b in zip(ents, old)):
        set_ents(doc, ents, old)


def _what(span: Span) -> tuple:
    return span.start, span.end, span.label, span.kb_id, span.id
