"""``entityx_patterns_source``: mark the spans a user's entity-ruler patterns added.

The pipeline gives every user pattern an id (``entityx-user`` when it has none), and the
entity ruler puts it on its spans as ``Span.id_``: those are the patterns' spans, and one
the model had found already, same span and label, is ``model+patterns``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from entityx.spanvalues import set_value, value


class PatternsSource:
    def __call__(self, doc: Doc) -> Doc:
        for ent in doc.ents:
            if ent.id_:
                agrees = (value(ent, "source") or "").startswith("model")
                set_value(ent, "source", "model+patterns" if agrees else "patterns")
        return doc


@Language.factory("entityx_patterns_source", assigns=["span._.source"])
def make_patterns_source(nlp: Language, name: str) -> PatternsSource:
    return PatternsSource()
