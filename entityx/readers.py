"""Reading inputs: files, stdin, folders and JSONL documents, decoded honestly.

French articles come in UTF-8 (with or without BOM), and often still in Windows-1252 or
Latin-1. UTF-8 is tried first; a UTF-8 file with a few bad bytes stays UTF-8 (the bad bytes
become U+FFFD, and ``Text.replaced`` counts them for a warning), the rest is Windows-1252 or
Latin-1, reported as what it is. A binary file is refused rather than turned into garbage.
"""

from __future__ import annotations

import codecs
import html
import os
import re
import stat
import sys
from collections.abc import Iterator
from typing import NamedTuple

from entityx.jsonl import JsonlError, read_jsonl
from entityx.model import Text

SNIFF = 8192
STREAM_LIMIT = 128 * 2**20  # bytes read from stdin or a pipe at most: a larger text is a file


class InputError(Exception):
    """An input that cannot be read as text; the message says why, for the user. ``where``
    names the JSONL line (``FILE:LINE``) of a bad corpus line."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.where = where


class Decoded(NamedTuple):
    """Decoded bytes: the text, the encoding used, and how many invalid bytes were replaced."""

    text: str
    encoding: str
    replaced: int = 0


def decode(data: bytes) -> Decoded:
    """The text of ``data``; a BOM is removed, nothing else is changed."""
    if data.startswith(codecs.BOM_UTF8):
        text, _, replaced = decode_text(data[len(codecs.BOM_UTF8) :], legacy=False)
        return Decoded(text, "utf-8-sig", replaced)
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(bom):
            try:
                return Decoded(data.decode("utf-16").lstrip("\ufeff"), "utf-16")
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid utf-16 ({exc.reason} at byte {exc.start})") from None
    if looks_binary(data[:SNIFF]):
        raise InputError("binary file, not text")
    return decode_text(data)


def decode_text(data: bytes, legacy: bool = True) -> Decoded:
    """Text bytes without a BOM: UTF-8; UTF-8 with its few invalid bytes replaced (U+FFFD) when
    most of its non-ASCII text is valid UTF-8 (one bad byte must not make the whole article
    mojibake); else Windows-1252 if it uses a letter only Windows-1252 has (0x80-0x9F: ’ € œ),
    else Latin-1."""
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    if not legacy or valid > replaced:
        return Decoded(text, "utf-8", replaced)
    if WINDOWS_ONLY.search(data):
        try:
            return Decoded(data.decode("cp1252"), "cp1252")
        except UnicodeDecodeError:
            pass
    return Decoded(data.decode("latin-1"), "latin-1")


WINDOWS_ONLY = re.compile(b"[\x80-\x9f]")


def looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(b < 32 and b not in (9, 10, 12, 13) for b in head)
    return bool(head) and controls / len(head) > 0.05


def read_bytes(source: str, regular_only: bool = False) -> bytes:
    """The bytes of a path, or of stdin for ``-``, with a plain reason on failure.

    A regular file is read whole. stdin and pipes (a FIFO, ``<(command)``) are read up to
    :data:`STREAM_LIMIT` bytes, and refused as soon as their first bytes look binary; a FIFO
    nobody writes to reads as empty rather than waiting forever. Devices (``/dev/zero``)
    are refused, and with ``regular_only`` (batch, which reads each input twice) every input
    that is not a regular file."""
    if source == "-":
        if sys.stdin is None:
            raise InputError("stdin is closed")
        return read_stream(sys.stdin.buffer, "stdin")
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO without a writer must not block
    except OSError as exc:
        raise InputError(reason(exc)) from None
    try:
        kind = os.fstat(fd).st_mode
        if stat.S_ISDIR(kind):
            raise InputError(reason(IsADirectoryError()))
        if not stat.S_ISREG(kind) and (regular_only or stat.S_ISCHR(kind) or stat.S_ISBLK(kind)):
            raise InputError(f"not a regular file ({special_kind(kind)})")
        os.set_blocking(fd, True)
        with os.fdopen(os.dup(fd), "rb") as file:
            return file.read() if stat.S_ISREG(kind) else read_stream(file, "a pipe")
    except OSError as exc:
        raise InputError(reason(exc)) from None
    finally:
        os.close(fd)


def read_stream(stream, what: str) -> bytes:
    """Bytes of a binary stream up to :data:`STREAM_LIMIT`; binary data refused early."""
    chunks, size = [], 0
    while chunk := stream.read(1 << 20):
        if size < SNIFF and looks_binary((b"".join(chunks) + chunk)[:SNIFF]):
            raise InputError("binary data, not text")
        chunks.append(chunk)
        size += len(chunk)
        if size > STREAM_LIMIT:
            raise InputError(f"{what} gives more than {STREAM_LIMIT // 2**20} MiB; save the text "
                             "to a file and give its path")
    return b"".join(chunks)


def special_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"


def reason(exc: OSError) -> str:
    """What went wrong reading a file, in a user's words."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory (use `entityx batch` for folders)"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)


def shown(source: str) -> str:
    """A file name as text: bytes that are not UTF-8 (which ``os.fsdecode`` keeps as lone
    surrogates) are written ``\\xff``, so JSON, CSV and SQLite stay valid UTF-8."""
    try:
        return source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte (a JSON "\\ud800")
        return whole(source)


SURROGATE = re.compile("[\ud800-\udfff]")


def whole(text: str) -> str:
    """``text`` with lone surrogates (which no UTF-8 output can hold) replaced by U+FFFD,
    one for one, so offsets do not move."""
    return SURROGATE.sub("\ufffd", text)


def read_text(source: str, published: str | None = None) -> Text:
    """One input as :class:`Text`; markup is stripped from ``.html`` files."""
    return text_of(source, read_bytes(source), published)


def text_of(source: str, data: bytes, published: str | None = None) -> Text:
    """The :class:`Text` of bytes read from ``source`` (whose name says if it is HTML), with
    the publication dates its file name and an HTML page's metadata give."""
    from entityx.dates.published import from_filename

    text, encoding, replaced = decode(data)
    hints = {"filename": from_filename(source)} if source != "-" else {}
    if source.lower().endswith((".html", ".htm")):
        hints["html-meta"] = html_published(text)
        text = strip_html(text)
    hints = {k: v for k, v in hints.items() if v}
    return Text(text, published, source=shown(source), encoding=encoding, replaced=replaced,
                published_from="option" if published else None, hints=hints or None)


HTML_DATES = [  # what a page says of its own publication, most specific first
    re.compile(r"<meta\b[^>]*?(?:property|name|itemprop)\s*=\s*[\"']?(?:og:)?(?:article:published_time|"
               r"datePublished|pubdate|publish-date|date)[\"']?[^>]*?content\s*=\s*[\"']([^\"']+)", re.IGNORECASE),
    re.compile(r"<meta\b[^>]*?content\s*=\s*[\"']([^\"']+)[\"'][^>]*?(?:property|name|itemprop)\s*=\s*[\"']?"
               r"(?:og:)?(?:article:published_time|datePublished|pubdate|publish-date|date)\b", re.IGNORECASE),
    re.compile(r"[\"']datePublished[\"']\s*:\s*[\"']([^\"']+)", re.IGNORECASE),  # JSON-LD
    re.compile(r"<time\b[^>]*?datetime\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE),
]


def html_published(markup: str) -> str | None:
    """The day an HTML page gives as its publication date (``2024-05-08T10:00+02:00`` → the day)."""
    for pattern in HTML_DATES:
        m = pattern.search(markup)
        if m and re.match(r"\d{4}-\d{2}-\d{2}", m.group(1).strip()):
            return m.group(1).strip()[:10]
    return None


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
        text, used["encoding"], used["replaced"] = decode_text(data)
        return text

    try:
        for number, record in read_jsonl(source, decode=decode_line, keep_going=True):
            where = f"{shown(source)}:{number}"
            if isinstance(record, JsonlError):
                yield InputError(f"{where}: not a JSONL document ({record.reason})", where)
                continue
            body = record.get("text") if isinstance(record, dict) else None
            if not isinstance(body, str):
                why = "no 'text' string" if isinstance(record, dict) else "not an object"
                yield InputError(f"{where}: not a JSONL document ({why})", where)
                continue
            meta = record.get("meta")
            meta = meta if isinstance(meta, dict) else None
            published = (meta or {}).get("published")
            name = shown(str(record.get("id", where)))
            yield Text(whole(body), published, source=name, encoding=used["encoding"],
                       replaced=used["replaced"], meta=meta, published_from="meta" if published else None)
    except OSError as exc:
        raise InputError(reason(exc)) from None
