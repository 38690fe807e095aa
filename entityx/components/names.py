"""Exact look-up of many names in a Doc, without tokenising the names."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from entityx.components.spans import words_of

NON_WORD = re.compile(r"\W")  # a token may end before or after one, inside a name


class NameIndex:
    """Every token run whose text is one of ``names``, exactly (case and accents kept).

    Names are looked up as strings over token boundaries, never tokenised: a PhraseMatcher
    must tokenise each of the gazetteer's ~83,000 forms at start-up (27 s here); this index
    builds in about half a second.
    """

    def __init__(self, names) -> None:
        self.names = frozenset(names)
        # Each name's beginnings that can end a token: before or after a space, dash, quote.
        self.beginnings = frozenset(
            beginning for name in self.names if not name.isalnum() for m in NON_WORD.finditer(name)
            for beginning in (name[:m.start()], name[:m.end()]) if beginning)

    def __call__(self, doc: Doc):
        words, names, beginnings = words_of(doc), self.names, self.beginnings
        for i, text in enumerate(words):
            if text not in names and text not in beginnings:
                continue
            end = i + 1
            while True:
                if text in names:
                    yield i, end
                if end == len(doc) or text not in beginnings:
                    break
                text += doc[end - 1].whitespace_ + words[end]
                end += 1
