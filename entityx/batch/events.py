"""What a batch tells its caller as it goes: the library prints nothing, the CLI renders these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Report:
    """Totals of the output once the run ends (documents kept from before included)."""

    output: Path
    documents: int = 0
    mentions: int = 0
    entities: int = 0  # the documents' entities (groups of mentions), each document's counted
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0

    def count(self, mentions: int, entities: int, failed: bool) -> None:
        self.documents += 1
        self.mentions += mentions
        self.entities += entities
        self.failed += failed


@dataclass(frozen=True)
class Started:
    """The work is planned: ``todo`` documents to process, ``skipped`` already in the output."""

    todo: int
    skipped: int


@dataclass(frozen=True)
class Advanced:
    """``documents`` more are written, durably."""

    documents: int


@dataclass(frozen=True)
class Warned:
    """Something the user should know that is no failure (bad bytes replaced in a file)."""

    message: str


@dataclass(frozen=True)
class Finished:
    """The run ended (completed, failed or interrupted); ``report`` says what the output holds."""

    report: Report


Event = Started | Advanced | Warned | Finished
Listener = Callable[[Event], None]


def ignore(event: Event) -> None:
    """The listener of a caller that wants no news."""
