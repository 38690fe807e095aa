"""``entityx_boundaries``: bring the statistical model's spans to the annotation guidelines.

The model often starts a span at an article or a title (``la France``, ``le président
Macron``), wraps an administrative unit around a place (``région du Moyen-Orient``), or
tags a capitalised common word at the start of a sentence or headline (``Lire``,
``Coopération sécuritaire``). Each rule here is general; the words it uses are data
(``data/lexicon.json``).
"""

from __future__ import annotations

from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from entityx.components.serial import DataComponent
from entityx.components.spans import set_if_changed, sourced, span_text
from entityx.knowledge import fold
from entityx.spanvalues import source_of


def _word(token: Token) -> str:
    return fold(token.text)


def _sentence_initial(token: Token) -> bool:
    """True at the start of the text, a line, a sentence or a headline segment."""
    i = token.i
    if i == 0:
        return True
    prev = token.doc[i - 1]
    return prev.is_space or "\n" in prev.whitespace_ or prev.text in {".", "!", "?", ":", "…", "—", "–", "-", "«", '"'}


def _more_common_lowercase(token: Token) -> bool:
    """A capitalised word written in lower case more often than not (by the model's
    frequency-ordered vectors): a common word, not a name."""
    rows = token.vocab.vectors.key2row
    title, lower = rows.get(token.orth), rows.get(token.lower)
    return token.is_title and lower is not None and (title is None or lower < title)


def _is_cut(token: Token) -> bool:
    """A dash with spaces around joins two names, it is never inside one ("France - Albanie");
    and no name runs across a blank line (a headline into the body)."""
    if token.is_space:
        return token.text.count("\n") >= 2
    return token.text in {"-", "–", "—"} and bool(token.whitespace_) and bool(token.doc[token.i - 1].whitespace_)


def _split_at_cuts(ent: Span) -> list[Span]:
    cuts = [t.i for t in ent[1:] if _is_cut(t)]
    if not cuts:
        return [ent]
    bounds = [ent.start, *cuts, ent.end]
    return [sourced(Span(ent.doc, a + (a != ent.start), b, label=ent.label_, kb_id=ent.kb_id_),
                    source_of(ent))
            for a, b in pairwise(bounds) if b > a + (a != ent.start)]


class Boundaries(DataComponent):
    """Trim, relabel or drop the model's entities, rule by rule."""

    files = ("lexicon.json",)

    def __init__(self, lexicon: str | None = None) -> None:
        self.setup_packaged({"lexicon.json": lexicon})

    def setup(self, words: dict, geo: dict | None = None) -> None:
        self.determiners = words["determiners"]
        self.civilities = words["civilities"]
        self.leading = self.determiners | self.civilities
        self.titles = words["titles"]
        self.facilities = words["facility_heads"]
        self.units = words["place_units"]
        self.generic = words["generic"]
        self.headline = words["headline_words"]
        self.abbreviations = words["common_abbreviations"]
        self.linkers = words["linking_words"]

    def __call__(self, doc: Doc) -> Doc:
        old, ents = list(doc.ents), []
        for ent in old:
            for piece in _split_at_cuts(ent):
                fixed = self.fix(piece)
                if fixed is not None:
                    ents.append(fixed)
        set_if_changed(doc, ents, old)
        return doc

    def fix(self, ent: Span) -> Span | None:
        doc, start, end, label = ent.doc, ent.start, ent.end, ent.label_
        first = max(0, start - 2)
        tokens = list(doc[first:end])  # each doc[i] makes a new Token: make them once

        def at(i: int) -> Token:
            return tokens[i - first]

        # Leading articles, prepositions, civilities; and titles before a person.
        while start < end and self._strippable(at(start), label, start < end - 1):
            start += 1
        # An administrative unit before a place: "région du Moyen-Orient", "Province de Béni
        # Mellal" (a word that is also a natural feature, "île", keeps it).
        unit = _word(at(start)) if end - start > 2 else ""
        if label == "LOC" and unit in self.units and (at(start).is_lower or unit not in self.facilities):
            j = start + 1
            while j < end - 1 and _word(at(j)) in self.linkers:
                j += 1
            if j > start + 1:
                start = j
        # A facility or natural feature keeps its type word: "port de Tanger Med".
        if label == "LOC":
            start = self._facility_start(at, start)
        while end > start and (at(end - 1).is_punct or at(end - 1).is_space or _word(at(end - 1)) in self.leading):
            end -= 1
        if start >= end:
            return None
        # A name right after a civility is a person's, whatever else it could be: "M. Tanger".
        source = source_of(ent)
        if start > 0 and _word(at(start - 1)) in self.civilities and at(start).is_title and label != "PER":
            label, source = "PER", "rule"
        if (start, end, label) == (ent.start, ent.end, ent.label_):
            span = ent  # unchanged (no source set: a span without one is the model's)
        else:
            span = Span(doc, start, end, label=label, kb_id=ent.kb_id_)
        if self._not_a_name(span, tokens[start - first : end - first]):
            return None
        return span if span is ent and source == "model" else sourced(span, source)

    def _facility_start(self, at, start: int) -> int:
        j = start
        if j > 0 and _word(at(j - 1)) in self.linkers:
            j -= 1
        if j > 0 and at(j - 1).is_lower and _word(at(j - 1)) in self.facilities:
            return j - 1
        return start

    def _strippable(self, token: Token, label: str, more: bool) -> bool:
        word = _word(token)
        if not more:
            return False
        if word in self.civilities:
            return True
        if word in self.determiners:
            # A capitalised article inside a sentence belongs to the name ("La Haye"), and
            # a capitalised particle to a person's ("De Gendt").
            return token.is_lower or (_sentence_initial(token) and label != "PER")
        return label == "PER" and word in self.titles and not token.is_upper

    def _not_a_name(self, span: Span, tokens: list[Token]) -> bool:
        first, head = tokens[0], _word(tokens[0])
        words = fold(span_text(span))
        if span.label_ == "ORG" and first.is_lower and head in self.titles:
            return True  # a function, not a body: "ministre de l'Intérieur"
        if words in self.headline or head in self.headline and _sentence_initial(first):
            return True
        if not any(t.is_title or t.is_upper or t.like_num for t in tokens):
            return span.label_ != "ORG"  # lower-case specific bodies are ORG; other lower case is not a name
        if len(tokens) == 1 and (words in self.generic and not first.is_upper or len(first.text) == 1):
            return True  # a common word or a lone letter ("Groupe B") names nothing
        if words in self.abbreviations:
            return True  # UTC, NDLR, PIB: abbreviations of common nouns
        return _sentence_initial(first) and _more_common_lowercase(first) \
            and all(t.is_lower or t.is_punct or _word(t) in self.linkers for t in tokens[1:])


@Language.factory("entityx_boundaries", assigns=["doc.ents", "span._.source"],
                  default_config={"lexicon": None})
def make_boundaries(nlp: Language, name: str, lexicon: str | None) -> Boundaries:
    """``lexicon``: a lexicon.json to use instead of the packaged one."""
    return Boundaries(lexicon)
