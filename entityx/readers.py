"""Reading inputs: files, stdin, folders and JSONL documents, decoded honestly.

French articles come in UTF-8 (with or without BOM), and often still in Windows-1252 or
Latin-1. Bytes are decoded strictly in that order, and the encoding used is reported; a
binary file is refused rather than turned into garbage.
"""

from __future__ import annotations

import codecs
import html
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from entityx.jsonl import JsonlError, read_jsonl
from entityx.model import Text

SNIFF = 8192


class InputError(Exception):
    """An input that cannot be read as text; the message says why, for the user."""


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of ``data``; a BOM is removed, nothing else is changed."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name).lstrip("\ufeff"), name
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid {name} ({exc.reason} at byte {exc.start})") from None
    if _looks_binary(data[:SNIFF]):
        raise InputError("binary file, not text")
    return decode_text(data)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of text bytes without a BOM: UTF-8, else Windows-1252, else Latin-1."""
    for name in ("utf-8", "cp1252"):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(b < 32 and b not in (9, 10, 12, 13) for b in head)
    return bool(head) and controls / len(head) > 0.05


def read_bytes(source: str) -> bytes:
    """The bytes of a path, or of stdin for ``-``, with a plain reason on failure."""
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise InputError(reason(exc)) from None


def reason(exc: OSError) -> str:
    """What went wrong reading a file, in a user's words."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory (use `entityx batch` for folders)"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)


def read_text(source: str, published: str | None = None) -> Text:
    """One input as :class:`Text`; markup is stripped from ``.html`` files."""
    return text_of(source, read_bytes(source), published)


def text_of(source: str, data: bytes, published: str | None = None) -> Text:
    """The :class:`Text` of bytes read from ``source`` (whose name says if it is HTML)."""
    text, encoding = decode(data)
    if source.lower().endswith((".html", ".htm")):
        text = strip_html(text)
    return Text(text, published, source=source, encoding=encoding)


TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]+>", re.IGNORECASE | re.DOTALL)
BLOCK = re.compile(r"</?(?:p|div|br|h[1-6]|li|tr|article|section|header|footer)\b[^>]*>", re.IGNORECASE)


def strip_html(markup: str) -> str:
    """Visible text of an HTML page: block tags become line breaks, entities are decoded."""
    text = BLOCK.sub("\n", markup)
    text = html.unescape(TAG.sub("", text))
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def read_corpus(source: str) -> Iterator[Text | InputError]:
    """Documents of a JSONL file (``{"id", "text", "meta"}`` a line; ``-`` is stdin), streamed
    a line at a time; a bad line yields an :class:`InputError` naming it, and reading goes on.
    Each line is decoded like a file (UTF-8, else Windows-1252, else Latin-1)."""
    used = {}

    def decode_line(data: bytes) -> str:
        text, used["encoding"] = decode_text(data)
        return text

    try:
        for number, record in read_jsonl(source, decode=decode_line, keep_going=True):
            if isinstance(record, JsonlError):
                yield InputError(f"{source}:{number}: not a JSONL document ({record.reason})")
                continue
            body = record.get("text") if isinstance(record, dict) else None
            if not isinstance(body, str):
                why = "no 'text' string" if isinstance(record, dict) else "not an object"
                yield InputError(f"{source}:{number}: not a JSONL document ({why})")
                continue
            meta = record.get("meta") or {}
            published = meta.get("published") if isinstance(meta, dict) else None
            name = str(record.get("id", f"{source}:{number}"))
            yield Text(body, published, source=name, encoding=used["encoding"])
    except OSError as exc:
        raise InputError(reason(exc)) from None
