"""The text a Doc was made from, kept with it: ``Doc.text`` joins every token again at each
call, and the components read a document's text more than once. (Retokenising never
changes a doc's text, so the kept text stays true.) No spaCy import: the library's entry
points use it before the pipeline is loaded."""

from __future__ import annotations

TEXT = "entityx.text"  # Doc.user_data key


def remember_text(doc, text: str):
    """``doc``, with ``text`` (what it was made from) kept in its user data."""
    doc.user_data[TEXT] = text
    return doc


def text_of(doc) -> str:
    """``doc.text``, built once."""
    text = doc.user_data.get(TEXT)
    if text is None:
        text = doc.user_data[TEXT] = doc.text
    return text
