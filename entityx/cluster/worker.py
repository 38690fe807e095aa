"""What runs on a Dask worker: the pipeline built once per process, texts in, documents out.

Tasks ship plain data only (texts, options, the content of a patterns file): the spaCy
``Language`` is never pickled. Each worker process builds it on first use, or as soon as it
joins through :class:`Preload`, and keeps it (``load_pipeline`` is cached), like a local batch
worker. A file option travels as its content (:class:`Shipped`), since workers may not see
the client's files. One lock per process: a worker started with several threads runs its
tasks one at a time, since one ``Language`` in a ``memory_zone`` is not thread-safe.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from distributed import WorkerPlugin

from entityx.core import extract_many
from entityx.model import LABELS, Document, Text
from entityx.pipeline import load_pipeline

LOCK = threading.Lock()


class Shipped(os.PathLike):
    """A file of the client sent as its content: wherever it is unpickled, it is the path of
    a copy in a temporary folder, written once per process."""

    def __init__(self, path: Path | str) -> None:
        self.name, self.content = Path(path).name, Path(path).read_bytes()

    def __fspath__(self) -> str:
        return str(local_copy(self.name, self.content))

    def __repr__(self) -> str:
        return f"Shipped({self.name!r}, sha256={hashlib.sha256(self.content).hexdigest()[:12]})"


@cache
def local_copy(name: str, content: bytes) -> Path:
    path = Path(tempfile.mkdtemp(prefix="entityx-")) / name
    path.write_bytes(content)
    return path


@dataclass(frozen=True)
class Options:
    """What changes the documents, sent with every task (a patterns or kb file is a few kB)."""

    labels: tuple[str, ...] = LABELS
    patterns: Shipped | None = None
    kb: Shipped | None = None
    date_style: str = "entityx"

    @classmethod
    def of(cls, labels=LABELS, patterns: Path | str | None = None, kb: Path | str | None = None,
           date_style: str = "entityx") -> Options:
        return cls(tuple(labels), Shipped(patterns) if patterns is not None else None,
                   Shipped(kb) if kb is not None else None, date_style)


def extract_texts(texts: list[Text], options: Options) -> list[Document]:
    """Documents of ``texts`` in order, inside one spaCy memory zone; a chunk that fails is
    retried text by text, so only the culprit becomes a failed document."""
    with LOCK:
        return _extract(texts, options)


def _extract(texts: list[Text], options: Options) -> list[Document]:
    nlp = load_pipeline(options.patterns, options.kb)
    try:
        with nlp.memory_zone():
            return list(extract_many(texts, labels=options.labels, patterns=options.patterns,
                                     kb=options.kb, date_style=options.date_style))
    except Exception as exc:  # noqa: BLE001  (whatever goes wrong is recorded, never fatal)
        if len(texts) > 1:
            return [doc for text in texts for doc in _extract([text], options)]
        message = f"cannot process ({type(exc).__name__}): {exc}"
        return [failed(text, message) for text in texts]


def failed(text: Text, message: str) -> Document:
    return Document(
        source=text.source, encoding=text.encoding, published=text.published,
        entities=[], error=message,
    )


class Preload(WorkerPlugin):
    """Builds the pipeline when a worker joins (or a nanny restarts it), not in its first task."""

    def __init__(self, patterns: Shipped | None = None, kb: Shipped | None = None) -> None:
        self.patterns, self.kb = patterns, kb
        self.name = f"entityx-pipeline-{patterns!r}-{kb!r}"

    def setup(self, worker=None) -> None:
        load_pipeline(self.patterns, self.kb)
