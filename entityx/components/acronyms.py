"""``entityx_acronyms``: acronyms defined in the text, linked to their long forms.

``Long Form (ACR)`` and ``ACR (Long Form)`` define an acronym; every bare ``ACR`` in the
document then becomes an entity of the long form's label, with its ``kb_id`` and
``Span._.canonical``, also for organisations the knowledge base does not know.

French long forms skip function words (``Direction Générale de la Sûreté Nationale`` for
DGSN) and some acronyms take letters from inside a word (``Office anti-stupéfiants`` for
OFAST), so the letters are matched word by word: every content word gives its initial,
function words may be skipped, and a word may give further letters in order.
"""

from __future__ import annotations

import re
from functools import cache

import numpy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from entityx.components.serial import DataComponent
from entityx.components.spans import merge_sourced, set_ents
from entityx.knowledge import fold
from entityx.spanvalues import set_value, value

ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&]*[A-Z0-9][A-Za-z0-9&]*$")
BREAKS = {",", ";", ":", "(", ")", "[", "]", "«", "»", '"', ".", "!", "?"}


def is_acronym(text: str) -> bool:
    """Two to ten characters, mostly capitals: ``DGSN``, ``ONUDC``, ``G5``, ``FBI``."""
    return 2 <= len(text) <= 10 and bool(ACRONYM.match(text)) and sum(c.isupper() for c in text) * 2 > len(text)


def spells(acronym: str, words: list[str], function_words: frozenset[str]) -> bool:
    """Whether ``words`` (a candidate long form) spell ``acronym``; ``function_words`` may be
    skipped."""
    letters = fold("".join(c for c in acronym if c.isalnum()))
    words = [fold(w) for w in words]
    if not words or words[0] in function_words or not letters or words[0][0] != letters[0]:
        return False

    @cache
    def go(i: int, j: int) -> bool:
        if j == len(words):
            return i == len(letters)
        word = words[j]
        if word in function_words and go(i, j + 1):
            return True
        if i == len(letters) or word[0] != letters[i]:
            return False
        # The word gives its initial, then possibly more letters from inside, in order.
        i, k = i + 1, 1
        if go(i, j + 1):
            return True
        while i < len(letters):
            k = word.find(letters[i], k) + 1
            if not k:
                return False
            i += 1
            if go(i, j + 1):
                return True
        return False

    return go(0, 0)


def _positions(doc: Doc, orths: numpy.ndarray, text: str) -> list[int]:
    """Indexes of the tokens written ``text``, by one array test."""
    return numpy.flatnonzero(orths == doc.vocab.strings.add(text)).tolist()


def definitions(doc: Doc, function_words: frozenset[str], ents: list[Span] | None = None,
                orths: numpy.ndarray | None = None) -> list[tuple[str, Span]]:
    """(acronym, long form span) for each definition in the document."""
    ents = list(doc.ents) if ents is None else ents
    orths = doc.to_array([ORTH]).ravel() if orths is None else orths
    found = []
    for open_paren in (doc[i] for i in _positions(doc, orths, "(")):
        close = next((t.i for t in doc[open_paren.i + 1 : open_paren.i + 16] if t.text == ")"), None)
        if close is None:
            continue
        inside = doc[open_paren.i + 1 : close]
        if len(inside) == 1 and is_acronym(inside.text):
            long_form = _long_form_before(doc, open_paren.i, inside.text, function_words, ents)
            if long_form is not None:
                found.append((inside.text, long_form))
        elif open_paren.i > 0 and is_acronym(doc[open_paren.i - 1].text) and len(inside) > 1:
            acronym = doc[open_paren.i - 1].text
            if spells(acronym, [t.text for t in inside], function_words):
                found.append((acronym, inside))
    return found


def _long_form_before(doc: Doc, paren: int, acronym: str, function_words: frozenset[str],
                      ents: list[Span]) -> Span | None:
    """The words before ``(ACR)`` that spell it; failing that, an organisation the model or
    the knowledge base found right there with the same initial (press releases shorten
    long names: "Office central de lutte contre la cybercriminalité (OCLCTIC)")."""
    limit = max(0, paren - 3 * len(acronym) - 4)
    for start in range(paren - 1, limit - 1, -1):
        if doc[start].text in BREAKS or "\n" in doc[start].text_with_ws:
            break
        if spells(acronym, [t.text for t in doc[start:paren]], function_words):
            return doc[start:paren]
    before = next((e for e in ents if e.end == paren and e.label_ == "ORG"), None)
    if before is not None and fold(before.text[0]) == fold(acronym[0]):
        return before
    return None


class Acronyms(DataComponent):
    files = ("lexicon.json",)

    def __init__(self, lexicon: str | None = None) -> None:
        self.setup_packaged({"lexicon.json": lexicon})

    def setup(self, words: dict, geo: dict | None = None) -> None:
        self.function_words = words["acronym_function_words"]

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        ents, orths, new = list(doc.ents), doc.to_array([ORTH]).ravel(), []
        for acronym, long_form in definitions(doc, self.function_words, ents, orths):
            uses = _positions(doc, orths, acronym)
            label, kb_id, canonical = self._identity(ents, long_form, uses)
            if not any(e.start <= long_form.start and long_form.end <= e.end and e.kb_id_ == kb_id for e in ents):
                new.append(_span(doc, long_form.start, long_form.end, label, kb_id, canonical))
            new.extend(_span(doc, i, i + 1, label, kb_id, canonical) for i in uses)
        if new:
            set_ents(doc, merge_sourced(ents, [(s, "acronym") for s in new], len(doc)), ents)
        return doc

    @staticmethod
    def _identity(ents: list[Span], long_form: Span, uses: list[int]) -> tuple[str, str, str]:
        """Label, kb_id and canonical name shared by a long form and its acronym: from the
        knowledge base if either is in it, else from an entity already covering the long
        form, else ORG (most defined acronyms name one)."""
        covering = [e for e in ents if e.start <= long_form.start and long_form.end <= e.end]
        known = [e for e in covering if e.kb_id_] or [e for e in ents if e.kb_id_ and e.start in uses]
        if known or covering:
            ent = (known or covering)[0]
            return ent.label_, ent.kb_id_, value(ent, "canonical") or ent.text
        labels = [e.label_ for e in ents if e.start < long_form.end and long_form.start < e.end]
        label = "LOC" if labels and all(lab == "LOC" for lab in labels) else "ORG"
        return label, "", long_form.text


def _span(doc: Doc, start: int, end: int, label: str, kb_id: str, canonical: str) -> Span:
    span = Span(doc, start, end, label=label, kb_id=kb_id)
    set_value(span, "canonical", canonical)
    return span


@Language.factory("entityx_acronyms", assigns=["doc.ents", "span._.canonical", "span._.source"],
                  default_config={"lexicon": None})
def make_acronyms(nlp: Language, name: str, lexicon: str | None) -> Acronyms:
    """``lexicon``: a lexicon.json to use instead of the packaged one."""
    return Acronyms(lexicon)
