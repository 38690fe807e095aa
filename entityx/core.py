"""The library's entry points: text in, :class:`~entityx.model.Document` out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path

from entityx.grouping import group_mentions
from entityx.model import LABELS, Document, Mention, Text
from entityx.pipeline import load_pipeline
from entityx.temporal import Reference, reference_from_text

# A long text is processed in pieces cut at paragraph breaks, and pieces in batches of
# bounded length: the NER's working memory grows with a batch's total length, so a 4 MB
# text peaks near 370 MiB like a short one. (An acronym defined in one piece is not linked
# in the next: pieces are 20,000 characters, longer than nearly every article.)
CHUNK = 20_000  # characters per spaCy Doc at most
BATCH = 40_000  # characters per nlp.pipe batch at most


def chunks(text: str, size: int = CHUNK) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering ``text``, cut at a paragraph, line, sentence or space."""
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = max(window.rfind(sep) + len(sep) for sep in ("\n\n", "\n", ". ", " "))
        cut = cut if cut > size // 2 else size
        yield start, window[:cut]
        start += cut
    yield start, text[start:]


def extract(
    text: str,
    published: str | None = None,
    *,
    labels: Iterable[str] = LABELS,
    patterns: Path | None = None,
    kb: Path | None = None,
) -> Document:
    """Entities of one French text.

    Args:
        text: the decoded article.
        published: its publication date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); when
            None, the article's own ``date`` header or dateline is used, if any.
        labels: which labels to keep (``MISC`` on request).
        patterns: extra entity-ruler patterns (JSONL) to apply.
        kb: a JSONL file of organisations (the knowledge base's format) merged with the
            built-in knowledge base.

    Example:
        >>> doc = extract("Le 5 septembre 2024, la DGSN a arrêté trois suspects à Tanger.")
        >>> [(m.text, m.label) for m in doc.entities]
        [('5 septembre 2024', 'DATE'), ('DGSN', 'ORG'), ('Tanger', 'LOC')]
    """
    return next(extract_many([Text(text, published)], labels=labels, patterns=patterns, kb=kb))


def extract_many(
    inputs: Iterable[Text],
    *,
    labels: Iterable[str] = LABELS,
    patterns: Path | None = None,
    batch_size: int = 32,
    kb: Path | None = None,
) -> Iterator[Document]:
    """:func:`extract` over many inputs, streamed through one ``nlp.pipe``, in order."""
    nlp = load_pipeline(patterns, kb)
    labels = frozenset(labels)

    def pieces():
        for number, item in enumerate(inputs):
            published = item.published
            if published is None:
                published = reference_from_text(item.text)
            Reference.parse(published)  # a malformed date is refused before any work
            for offset, piece in chunks(item.text, min(CHUNK, nlp.max_length)):
                doc = nlp.make_doc(piece)
                # "" rather than None: the article was already searched for its date, so a
                # later piece must not take a dateline of its own for one.
                doc._.published = published or ""
                yield doc, (number, offset, item, published)

    processed = (
        pair
        for batch in _batches(pieces(), batch_size)
        for pair in nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
    )
    for _, parts in groupby(processed, key=lambda pair: pair[1][0]):
        mentions = []
        for doc, (_, offset, item, published) in parts:
            mentions.extend(_mentions(doc, offset, labels))
        yield Document(
            source=item.source, encoding=item.encoding, published=published,
            entities=mentions, groups=group_mentions(mentions, item.text),
        )


def _batches(pieces, most: int) -> Iterator[list]:
    """Lists of (doc, context) of at most ``most`` docs and, but for one long doc, BATCH
    characters."""
    batch, size = [], 0
    for piece in pieces:
        if batch and (len(batch) == most or size + len(piece[0].text) > BATCH):
            yield batch
            batch, size = [], 0
        batch.append(piece)
        size += len(piece[0].text)
    if batch:
        yield batch


def _mentions(doc, offset: int, labels: frozenset[str]) -> list[Mention]:
    return [
        Mention(
            text=ent.text, label=ent.label_, start=ent.start_char + offset,
            end=ent.end_char + offset, norm=ent._.norm if ent.label_ == "DATE" else None,
            kb_id=ent.kb_id_ or None, source=ent._.source or "model", canonical=ent._.canonical,
        )
        for ent in doc.ents
        if ent.label_ in labels
    ]
