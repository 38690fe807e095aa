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
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from pathlib import Path

from entityx.batch.errors import BatchError
from entityx.model import Text
from entityx.readers import (
    SNIFF,
    InputError,
    looks_binary,
    read_bytes,
    read_corpus,
    shown,
    special_kind,
)

CORPORA = (".jsonl", ".ndjson")  # read as JSONL corpora unless told --text


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

    def __init__(self, paths: list[str], glob: str, jsonl: bool, published: str | None, text: bool = False) -> None:
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
                corpus = jsonl or item.path == "-" or not text and item.path.lower().endswith(CORPORA)
                as_jsonl = corpus and item.error is None
                self.entries.append(self.corpus(item.path) if as_jsonl else item)

    def files(self) -> Iterator[str]:
        """Every file the inputs read (folders walked, corpora, stdin's copy)."""
        for entry in self.entries:
            if isinstance(entry, Corpus):
                yield entry.spooled or entry.source
            elif entry.path and entry.error is None:
                yield entry.path

    def corpus(self, source: str) -> Corpus | Item:
        """A JSONL corpus to read (twice: to plan, to work), or an error item. stdin is copied
        to a temporary file first; another file must be a regular one."""
        if source != "-":
            try:
                mode = os.stat(source).st_mode
            except OSError:
                return Corpus(source)  # named when read
            if stat.S_ISREG(mode):
                return Corpus(source)
            return file_item(source, error=f"not a regular file ({special_kind(mode)}); "
                                           "pipe it to stdin (-) instead")
        self._spool = tempfile.NamedTemporaryFile(prefix="entityx-stdin-", suffix=".jsonl")  # noqa: SIM115
        try:
            first = True
            while chunk := sys.stdin.buffer.read(1 << 20):
                if first and looks_binary(chunk[:SNIFF]):
                    raise BatchError("-: binary data on stdin, not JSONL; nothing was written")
                first = False
                self._spool.write(chunk)
            self._spool.flush()
        except OSError as exc:
            self.close()
            raise BatchError(f"cannot keep a copy of stdin in {tempfile.gettempdir()}: "
                             f"{exc.strerror or exc}; set TMPDIR to a folder with room") from None
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
    """Files under ``folder`` whose name matches ``glob``, sorted by path. Walked with a stack,
    not recursion, so no depth is too deep; a sub-folder that cannot be listed, and a match
    that is no regular file (a FIFO would block, a device never ends), are error items rather
    than silently missing or hanging."""
    found, stack = [], [str(folder)]
    while stack:
        root = stack.pop()
        try:
            with os.scandir(root) as entries:
                for entry in entries:
                    if entry.is_dir():
                        stack.append(entry.path)
                    elif fnmatch(entry.name, glob):
                        found.append(file_item(entry.path, error=special(entry)))
        except OSError as exc:
            found.append(file_item(root, error=f"cannot list folder: {exc.strerror}"))
    return sorted(found, key=lambda item: Path(item.path).parts)


def special(entry: os.DirEntry) -> str | None:
    """Why a folder entry cannot be an input, or None (a broken link fails when read)."""
    try:
        mode = entry.stat().st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else f"not a regular file ({special_kind(mode)}); skipped"


def corpus_items(corpus: Corpus, published: str | None) -> Iterator[Item]:
    """The documents of one JSONL file (``meta.published`` first, then ``--published``)."""
    records = read_corpus(corpus.spooled or corpus.source)
    try:
        for record in records:
            if isinstance(record, InputError):
                yield Item(named(record.where, corpus), error=named(str(record), corpus))
            else:
                text = record if record.published or not published else \
                    replace(record, published=published, published_from="option")
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
        parts = [item.text.text, item.text.published] + ([item.text.meta] if item.text.meta else [])
        return digest(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode())
    try:
        return digest(read_bytes(item.path, regular_only=True))
    except InputError:
        return None
