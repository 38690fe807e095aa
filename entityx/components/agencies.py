"""``entityx_agencies``: the knowledge base of agencies and institutions, as ORG spans.

Long forms and variants match on lower case, with and without accents and with either
apostrophe; acronyms match case-sensitively; ``{PLACE}`` templates (courts, prosecution
offices) match a capitalised place name. Each span carries the entry's id as ``kb_id``
and its canonical name as ``Span._.canonical`` (for a template, the name as written). A
knowledge-base name overrides the statistical model where they overlap, and the longest
name wins; acronyms listed as ambiguous count only where the document names the body.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from entityx.components.spans import agreement, entity_at, merge_sourced, set_ents, span_text
from entityx.components.tokens import pattern_docs
from entityx.knowledge import Agency, agencies, fold, lexicon, read_agencies
from entityx.spanvalues import set_value

PLACE_WORDS = 3  # a {PLACE} is one to three capitalised words: "Rabat", "Béni Mellal"
PLACEHOLDER = "Ville"  # a place after a template head, while the head is tokenised


def spellings(name: str) -> set[str]:
    """The written forms one name is matched under: accents and apostrophes vary in the press."""
    forms = {name, name.replace("'", "’"), name.replace("’", "'")}
    return forms | {fold(f) for f in forms} | {fold(f).replace("'", "’") for f in forms}


def _by_span(found: list[tuple[str, int, int, int | None]]) -> dict[tuple[int, int, int | None], tuple[str, ...]]:
    """The knowledge-base ids matched on each span: several when a name or a template head
    is shared by bodies of several countries (the ``Cour de cassation`` of each)."""
    spans: dict[tuple[int, int, int | None], list[str]] = {}
    named = {(start, end) for _, start, end, place in found if place is None}
    for kb, start, end, place in found:
        if place is not None and (start, end) in named:
            continue  # a body's own name beats a template: "Préfecture de police de Paris"
        ids = spans.setdefault((start, end, place), [])
        if kb not in ids:
            ids.append(kb)
    return {key: tuple(ids) for key, ids in spans.items()}


def _inside_longer_name(span: Span, cover: list[Span | None]) -> bool:
    """Whether the model already tagged a longer body ending with this name, as in
    "Secrétariat général d'Interpol" or "Commission de l'Union africaine": flat, longest. A
    sentence's article alone before the name ("La Jemaah Islamiyah") is no longer name."""
    ent = cover[span.end - 1]
    if ent is not None and ent.label_ == "ORG" and ent.start < span.start - 1 and ent.end == span.end \
            and ent[0].is_title:
        return fold(span.doc[span.start - 1].text) in lexicon()["linking_words"]
    return False


class Agencies:
    """Phrase matchers over every name, acronym and template head of the knowledge base,
    built once; ``to_disk`` writes the entries it was built from (``agencies.jsonl``)."""

    def __init__(self, nlp: Language, kb: str | None = None) -> None:
        self.nlp, self.kb, self.entries = nlp, kb, None

    def _ready(self) -> None:
        """Built on first use, so that a saved pipeline loads its own copy (``from_disk``)
        without needing the user's file again."""
        if self.entries is None:
            self._build(agencies(Path(self.kb) if self.kb else None))

    def _build(self, entries: tuple[Agency, ...]) -> None:
        vocab = self.nlp.vocab
        self.entries = entries
        self.by_id = {a.id: a for a in entries}
        self.names = PhraseMatcher(vocab, attr="LOWER")
        self.acronyms = PhraseMatcher(vocab, attr="ORTH")
        self.weak_acronyms = PhraseMatcher(vocab, attr="ORTH")
        self.templates = PhraseMatcher(vocab, attr="LOWER")
        patterns = []  # (matcher, id, text): every text tokenized at once, from the cache
        for entry in entries:
            names = [f for f in entry.long_forms if "{PLACE}" not in f]
            patterns += [(self.names, entry.id, f) for f in sorted(set().union(*(spellings(n) for n in names)))]
            patterns += [(self.acronyms, entry.id, a) for a in entry.acronyms]
            patterns += [(self.weak_acronyms, entry.id, a) for a in entry.ambiguous_acronyms]
            heads = {f for t in entry.templates for f in spellings(t.split("{PLACE}")[0].strip())}
            # Tokenised before a place, as in a text: "d'" is one token before "Agadir", two alone.
            patterns += [(self.templates, entry.id, h + ("" if h.endswith(("'", "’")) else " ") + PLACEHOLDER)
                         for h in sorted(heads)]
        docs = pattern_docs(self.nlp, [text for _, _, text in patterns])
        docs = [doc[:-1].as_doc() if matcher is self.templates else doc
                for (matcher, _, _), doc in zip(patterns, docs)]
        grouped = {}
        for (matcher, kb_id, _), doc in zip(patterns, docs):
            grouped.setdefault((id(matcher), kb_id), (matcher, []))[1].append(doc)
        for (_, kb_id), (matcher, pattern) in grouped.items():
            matcher.add(kb_id, pattern)

    def _templated(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """(key, start, end, where the place starts): a template head followed by its place,
        as many capitalised words as there are."""
        found = []
        for key, start, end in self.templates(doc):
            stop = end
            while stop < len(doc) and stop - end < PLACE_WORDS and doc[stop].is_title:
                stop += 1
            if stop > end:
                found.append((key, start, stop, end))
        return found

    def __call__(self, doc: Doc) -> Doc:
        self._ready()
        strings = doc.vocab.strings
        found = [(strings[k], s, e, None) for k, s, e in self.names(doc)]
        found += [(strings[k], s, e, None) for k, s, e in self.acronyms(doc)]
        named = {kb for kb, *_ in found}
        found += [(strings[k], s, e, None) for k, s, e in self.weak_acronyms(doc) if strings[k] in named]
        found += [(strings[k], s, e, place) for k, s, e, place in self._templated(doc)]
        ents = list(doc.ents)
        spans, cover = [], entity_at(doc, ents)
        for (start, end, place), ids in _by_span(found).items():
            if len(ids) == 1 and place is None:
                span = Span(doc, start, end, label="ORG", kb_id=ids[0])
                set_value(span, "canonical", self.by_id[ids[0]].name)
            else:  # a choice for entityx_links: the place's country, or the document's
                span = Span(doc, start, end, label="ORG")
                set_value(span, "candidates", ids)
                if place is not None:
                    set_value(span, "place", span_text(doc[place:end]))
                    set_value(span, "canonical", span_text(span))  # a templated name is its own body
            spans.append(span)
        new = [(s, agreement(s, "kb", cover)) for s in spans if not _inside_longer_name(s, cover)]
        if new:
            set_ents(doc, merge_sourced(ents, new, len(doc)), ents)
        return doc

    def to_disk(self, path, exclude=()) -> None:
        self._ready()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        lines = (json.dumps(asdict(a), ensure_ascii=False) for a in self.entries)
        (path / "agencies.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def from_disk(self, path, exclude=()) -> Agencies:
        file = Path(path) / "agencies.jsonl"
        self._build(read_agencies(file))
        return self


@Language.factory("entityx_agencies", assigns=["doc.ents", "span._.canonical", "span._.source"],
                  default_config={"kb": None})
def make_agencies(nlp: Language, name: str, kb: str | None) -> Agencies:
    """``kb``: a JSONL file of organisations in the knowledge base's format, merged with
    the built-in one (a user id overrides a built-in one)."""
    return Agencies(nlp, kb)
