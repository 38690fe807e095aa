"""The output contract: what entityx returns for one document, as plain data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

LABELS = ("PER", "ORG", "LOC", "DATE")
ALL_LABELS = (*LABELS, "MISC")


@dataclass
class Mention:
    """One entity mention; ``start``/``end`` are character offsets, end exclusive."""

    text: str
    label: str
    start: int
    end: int
    norm: str | None = None
    kb_id: str | None = None
    source: str | None = None
    group: str | None = None
    canonical: str | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "canonical"}


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

    def to_dict(self) -> dict:
        data = {
            "source": self.source,
            "encoding": self.encoding,
            "published": self.published,
            "entities": [m.to_dict() for m in self.entities],
            "groups": [g.to_dict() for g in self.groups],
        }
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
