"""What a batch reads: every input document, in a stable order, streamed.

Paths are listed once (folders walked in sorted order, a path given twice counted once);
JSONL corpora are read a line at a time each time the inputs are iterated, so a corpus of any
size never sits in memory whole. JSONL on stdin is spooled to a temporary file first, as the
inputs are read twice (once to plan, once to work).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from pathlib import Path

from entityx.batch.errors import BatchError
from entityx.model import Text
from entityx.readers import InputError, read_bytes, read_corpus, shown


@dataclass(frozen=True)
class Item:
    """One input document: a file to read (``path``), a JSONL text already read, or an error.
    ``source`` names it in the output (a file name that is not UTF-8 is written ``\\xff``).
    ``data`` holds the file's bytes when they were read elsewhere (a cluster's client)."""

    source: str
    text: Text | None = None
    error: str | None = None
    path: str | None = None
    data: bytes | None = field(default=None, repr=False)


def file_item(path: str, error: str | None = None) -> Item:
    return Item(shown(path), error=error, path=path)


@dataclass(frozen=True)
class Corpus:
    """A JSONL file of documents; ``spooled`` is where stdin was copied, for ``-``."""

    source: str
    spooled: str | None = None


class Inputs:
    """The input documents of a batch; iterate as often as needed, the order is the same."""

    def __init__(self, paths: list[str], glob: str, jsonl: bool, published: str | None) -> None:
        self.published = published
        self.entries: list[Item | Corpus] = []
        self._spool = None
        missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
        if missing:
            raise BatchError(f"{shown(missing[0])}: no such file or folder; nothing was written")
        seen = set()
        for path in paths:
            found = walk(Path(path), glob) if path != "-" and Path(path).is_dir() else [file_item(path)]
            for item in found:
                if item.path in seen:
                    continue
                seen.add(item.path)
                as_jsonl = (jsonl or item.path == "-") and item.error is None
                self.entries.append(self.corpus(item.path) if as_jsonl else item)

    def files(self) -> Iterator[str]:
        """Every file the inputs read (folders walked, corpora, stdin's copy)."""
        for entry in self.entries:
            if isinstance(entry, Corpus):
                yield entry.spooled or entry.source
            elif entry.path and entry.error is None:
                yield entry.path

    def corpus(self, source: str) -> Corpus:
        if source != "-":
            return Corpus(source)
        self._spool = tempfile.NamedTemporaryFile(prefix="entityx-stdin-", suffix=".jsonl")  # noqa: SIM115
        shutil.copyfileobj(sys.stdin.buffer, self._spool)
        self._spool.flush()
        return Corpus(source, self._spool.name)

    def __iter__(self) -> Iterator[Item]:
        for entry in self.entries:
            if isinstance(entry, Item):
                yield entry
            else:
                yield from corpus_items(entry, self.published)

    def close(self) -> None:
        """Remove the copy of stdin, if any."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None


def walk(folder: Path, glob: str) -> list[Item]:
    """Files under ``folder`` whose name matches ``glob``, sorted by path; a sub-folder that
    cannot be listed is an error item rather than silently missing files."""
    found = []

    def unlisted(exc: OSError) -> None:
        found.append(file_item(exc.filename, error=f"cannot list folder: {exc.strerror}"))

    for root, _, names in os.walk(folder, onerror=unlisted):
        found.extend(file_item(str(Path(root, name))) for name in names if fnmatch(name, glob))
    return sorted(found, key=lambda item: Path(item.path).parts)


def corpus_items(corpus: Corpus, published: str | None) -> Iterator[Item]:
    """The documents of one JSONL file (``meta.published`` first, then ``--published``)."""
    records = read_corpus(corpus.spooled or corpus.source)
    try:
        for record in records:
            if isinstance(record, InputError):
                yield Item(named(record.where, corpus), error=named(str(record), corpus))
            else:
                text = replace(record, published=record.published or published)
                if corpus.spooled and text.source.startswith(corpus.spooled + ":"):
                    text = replace(text, source=named(text.source, corpus))
                yield Item(text.source, text=text)
    except InputError as exc:
        yield Item(shown(corpus.source), error=str(exc))


def named(message: str, corpus: Corpus) -> str:
    """A message about the spooled copy of stdin, naming ``-`` instead."""
    return message.replace(corpus.spooled, "-", 1) if corpus.spooled else message


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(item: Item) -> str | None:
    """Content hash of an input; None when there is no content (unreadable, bad JSONL line)."""
    if item.error is not None:
        return None
    if item.text is not None:
        return digest(json.dumps([item.text.text, item.text.published]).encode())
    try:
        return digest(read_bytes(item.path))
    except InputError:
        return None
