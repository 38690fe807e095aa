"""One JSON Lines reader for every such file entityx reads: corpora, patterns, gold, knowledge.

Lines are split on ``\\n`` bytes only (a JSON string may hold U+2028, which ``str.splitlines``
would cut), read one at a time so a corpus of any size streams, and every problem is named
``FILE:LINE: …`` the same way whoever reads the file.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO


class JsonlError(ValueError):
    """A line that is not what the reader wants; ``str()`` is ``FILE:LINE: reason``."""

    def __init__(self, where: str, line: int, reason: str) -> None:
        super().__init__(f"{where}:{line}: {reason}")
        self.where, self.line, self.reason = where, line, reason


def strict_utf8(data: bytes) -> str:
    """UTF-8 or an error saying where it is not (``UnicodeDecodeError`` becomes ValueError)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte 0x{data[exc.start]:02x} at column {exc.start + 1})") from None


def read_jsonl(
    source: str | Path,
    stream: BinaryIO | None = None,
    *,
    decode: Callable[[bytes], str] = strict_utf8,
    keep_going: bool = False,
) -> Iterator[tuple[int, Any]]:
    """(line number, value) of each non-blank line of ``source`` (``-`` is stdin).

    Args:
        source: the file, named in errors as given.
        stream: read this binary stream instead of opening ``source``.
        decode: bytes of one line to text; a ``ValueError`` it raises names that line.
        keep_going: yield a :class:`JsonlError` as the value of a bad line and read on,
            rather than raising it.

    Raises:
        OSError: the file cannot be opened.
        JsonlError: a line is not UTF-8 or not JSON (unless ``keep_going``).
    """
    name = str(source)
    if stream is None:
        if name == "-":
            stream = sys.stdin.buffer
        else:
            with open(source, "rb") as opened:
                yield from read_jsonl(name, opened, decode=decode, keep_going=keep_going)
            return
    for number, raw in enumerate(stream, 1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        raw = raw.rstrip(b"\r\n")
        if not raw.strip():
            continue
        try:
            value = json.loads(decode(raw))
        except json.JSONDecodeError as exc:
            error = JsonlError(name, number, f"not JSON ({exc.msg} at column {exc.colno})")
        except ValueError as exc:
            error = JsonlError(name, number, str(exc))
        else:
            yield number, value
            continue
        if not keep_going:
            raise error
        yield number, error
