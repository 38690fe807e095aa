"""The output contract: what entityx returns for one document, as plain data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

LABELS = ("PER", "ORG", "LOC", "DATE")
ALL_LABELS = (*LABELS, "MISC")


@dataclass(slots=True)  # slots: a long document holds a million of them
class Mention:
    """One entity mention; ``start``/``end`` are character offsets, end exclusive."""

    text: str
    label: str
    start: int
    end: int
    norm: str | None = None  # a DATE's ISO 8601 value
    earliest: str | None = None  # the first and last day it covers (YYYY-MM-DD)
    latest: str | None = None
    kb_id: str | None = None  # knowledge-base id: a body, an instance (…:lyon), geonames:ID
    country: str | None = None  # ISO 3166 code of a place or body, when known
    lat: float | None = None
    lon: float | None = None
    origin: str | None = None  # where the label came from: "model", "kb", "gazetteer", ...
    group: str | None = None
    confidence: float | None = None  # the calibrated probability that span and label are right
    canonical: str | None = field(default=None, repr=False)
    score: float | None = field(default=None, repr=False)  # the NER's score, for calibrating

    @property
    def source(self) -> str | None:
        """The old name of :attr:`origin` (kept for one release)."""
        return self.origin

    def to_dict(self) -> dict:
        data = {f: getattr(self, f) for f in CONTRACT}
        data["source"] = self.origin  # the old name of "origin", kept for one release
        return data


CONTRACT = [f for f in Mention.__dataclass_fields__ if f not in ("canonical", "score")]


@dataclass
class Group:
    """One real-world entity of a document: all its mentions under one id."""

    id: str
    label: str
    name: str
    aliases: list[str]
    mentions: int
    first: int
    salience: float
    kb_id: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    norms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        if self.label != "DATE":
            del data["norms"]
        return data


@dataclass
class Document:
    """Everything entityx found in one input."""

    source: str
    encoding: str | None
    published: str | None
    entities: list[Mention]
    groups: list[Group] = field(default_factory=list)
    error: str | None = None
    published_from: str | None = None  # option, meta, header, dateline, html-meta, byline, filename
    meta: dict | None = None  # what a JSONL corpus line said of the document, passed on as it was
    warnings: list[str] = field(default_factory=list, repr=False)  # for a person; not in the contract

    def to_dict(self, shallow: bool = False) -> dict:
        """Plain data; ``shallow`` leaves ``entities`` and ``groups`` as they are (a writer
        that streams them converts each one as it goes)."""
        data = {
            "source": self.source,
            "encoding": self.encoding,
            "published": self.published,
            "published_from": self.published_from,
        }
        if self.meta is not None:
            data["meta"] = self.meta
        data["entities"] = self.entities if shallow else [m.to_dict() for m in self.entities]
        data["groups"] = self.groups if shallow else [g.to_dict() for g in self.groups]
        if self.error is not None:
            data["error"] = self.error
        return data


@dataclass
class Text:
    """One input: a decoded text and what is known about it."""

    text: str
    published: str | None = None
    source: str = "-"
    encoding: str | None = "utf-8"
    replaced: int = 0  # invalid bytes replaced by U+FFFD while decoding, for a warning
    meta: dict | None = None  # a JSONL line's meta, passed on to the document
    published_from: str | None = None  # where ``published`` was found, when it was given
    hints: dict | None = None  # publication dates found outside the text: html-meta, filename
