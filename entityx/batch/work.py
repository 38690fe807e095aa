"""The work on one chunk of inputs, wherever it runs: read, decode, extract, hash.

:func:`process` is what a runner calls, in this process, a forked worker or a remote one: it
takes a list of :class:`~entityx.batch.inputs.Item` and returns an
:class:`~entityx.sinks.Outcome` for each, in order. It never raises for a bad input: a file
that cannot be read, decoded or processed becomes a document with an ``error``.
"""

from __future__ import annotations

from entityx.batch.inputs import Item, digest, fingerprint
from entityx.core import extract_many
from entityx.model import Document, Text
from entityx.pipeline import load_pipeline
from entityx.readers import InputError, read_bytes, text_of
from entityx.sinks import Outcome


def process(chunk: list[Item], published: str | None, **options) -> list[Outcome]:
    """(document, content hash) of each item, in order; ``options`` are those of
    :func:`~entityx.core.extract_many` (labels, patterns, kb, date_style)."""
    loaded = [load(item, published) for item in chunk]
    texts = [text for text, _ in loaded if isinstance(text, Text)]
    docs = iter(extract_all(texts, options))
    outcomes = []
    for text, content_hash in loaded:
        if isinstance(text, Text):
            doc = next(docs)
            outcomes.append(Outcome(doc, content_hash, warning(text, doc), text.text))
        else:
            outcomes.append(Outcome(text, content_hash))
    return outcomes


def warning(text: Text, doc: Document) -> str | None:
    """What the user should know of this document, in one line, or None."""
    found = [f"{text.replaced} invalid bytes replaced (decoded as {text.encoding})"] if text.replaced else []
    found += doc.warnings
    return f"{text.source}: {'; '.join(found)}" if found else None


def load(item: Item, published: str | None) -> tuple[Text | Document, str | None]:
    """The item's text and hash, or a failed Document saying why it cannot be read."""
    if item.error is not None:
        return failure(item.source, item.error), None
    if item.text is not None:
        return item.text, fingerprint(item)
    content_hash = None
    try:
        data = item.data if item.data is not None else read_bytes(item.path, regular_only=True)
        content_hash = digest(data)
        return text_of(item.path, data, published), content_hash
    except InputError as exc:
        return failure(item.source, str(exc)), content_hash


def extract_all(texts: list[Text], options: dict) -> list[Document]:
    """Documents of ``texts`` inside one spaCy memory zone (strings and lexemes of the chunk are
    freed after it); if the chunk fails, each text is retried alone so only the culprit fails."""
    nlp = load_pipeline(options.get("patterns"), options.get("kb"))  # the cached pipeline
    try:
        with nlp.memory_zone():
            return list(extract_many(texts, **options))
    except Exception as exc:  # noqa: BLE001  (whatever goes wrong is recorded, never fatal)
        if len(texts) > 1:
            return [doc for text in texts for doc in extract_all([text], options)]
        message = f"cannot process ({type(exc).__name__}): {exc}"
        return [failure(text.source, message, text) for text in texts]


def failure(source: str, message: str, text: Text | None = None) -> Document:
    """A failed input's document: what is known of it (its meta: id, title, url…) is kept."""
    return Document(
        source=source,
        encoding=text.encoding if text else None,
        published=text.published if text else None,
        published_from=text.published_from if text and text.published else None,
        entities=[],
        meta=text.meta if text else None,
        error=message,
    )
