"""What every sink shares: the record of a stored document, the protocol, the errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, NamedTuple, Protocol, TypeVar

from entityx.model import Document

FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".sqlite": "sqlite", ".db": "sqlite", ".parquet": "parquet"}

P = TypeVar("P")


class SinkError(Exception):
    """The output cannot be written or resumed; the message says why, for the user."""


class Outcome(NamedTuple):
    """One processed input as a sink stores it: the document and its input's content hash
    (None when the input had no content: unreadable, or a bad JSONL line)."""

    document: Document
    content_hash: str | None
    warning: str | None = None  # for the user, e.g. bad bytes replaced while decoding
    text: str | None = None  # the decoded article, for outputs that keep it (SQLite)


@dataclass(frozen=True)
class Record(Generic[P]):
    """A document already in the output, as resuming needs it; ``position`` locates it there."""

    source: str
    content_hash: str | None
    entities: int  # mentions, as the JSON's "entities"
    failed: bool
    position: P
    groups: int = 0  # entities (groups) of the document; 0 in outputs written before it was kept


class Sink(Protocol[P]):
    """What batch needs of an output."""

    path: Path  # the file written now (``OUT.partial`` or ``OUT``)
    records: list[Record[P]]  # documents there, in order (those written by this run too)

    def arrange(self, records: list[Record[P]]) -> None:
        """Hold exactly ``records`` (some of ``self.records``), in this order."""

    def write(self, done: list[Outcome]) -> None:
        """Append whole documents, durably, before returning."""

    def close(self, complete: bool) -> None:
        """Close; when ``complete``, ``OUT.partial`` becomes ``OUT``."""


def check_settings(path: Path, stored: dict, settings: dict) -> None:
    """Refuse to resume with options that would make documents differ from those already there."""
    changed = [key for key in settings if stored.get(key) != settings[key]]
    if changed:
        raise SinkError(
            f"cannot resume {path}: it was made with other options ({', '.join(changed)}); "
            "give the same options, or run without --resume"
        )
