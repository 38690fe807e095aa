"""Client mode: with ``ENTITYX_URL`` set, ``entityx extract`` asks a running ``entityx serve``.

The point is a start-up of a fraction of a second, so this module imports nothing of
spaCy and little of anything: for ``http://`` it speaks the one exchange it needs (a POST
with a Content-Length, an answer with a Content-Length or in chunks) over a socket,
because ``http.client`` imports the e-mail parser and OpenSSL, which cost as much start-up
as the rest of the command (measured with ``python -X importtime``; see bench/serve.py).
``https://`` goes through ``http.client``. Inputs are still read and decoded here, so
``source`` and ``encoding`` are the local file's, and the output is the local pipeline's.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from entityx.model import CONTRACT, LABELS, Document, Group, Mention, Text

TIMEOUT = 300.0


class RemoteError(Exception):
    """The server cannot be reached or refused a request; the message says which and why."""


class PlainHttp:
    """Keep-alive HTTP/1.1 over a socket; reconnects once when the server closed an idle one."""

    def __init__(self, host: str, port: int | None, timeout: float) -> None:
        self.address, self.timeout, self.file = (host, port or 80), timeout, None

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        head = f"POST {path} HTTP/1.1\r\nHost: {self.address[0]}:{self.address[1]}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        message = (head + f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1") + body
        while True:
            fresh = self.file is None
            try:
                if fresh:
                    self.file = socket.create_connection(self.address, self.timeout).makefile("rwb")
                self.file.write(message)
                self.file.flush()
                status = self.file.readline()
            except OSError:
                if fresh:
                    raise
                status = b""
            if status or fresh:
                return self.read_answer(status)
            self.close()  # an idle keep-alive connection the server had closed: once more

    def read_answer(self, status_line: bytes) -> tuple[int, bytes]:
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
            raise OSError(f"not an HTTP answer: {status_line[:80]!r}")
        headers = {}
        while (line := self.file.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            data = b""
            while size := int(self.file.readline().split(b";")[0], 16):
                data += self.file.read(size)
                self.file.readline()
            while self.file.readline() not in (b"\r\n", b"\n", b""):
                pass
        elif "content-length" in headers:
            data = self.file.read(int(headers["content-length"]))
        else:
            data = self.file.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        return int(parts[1]), data

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


class TlsHttp:
    """``https://`` through the standard library's client (which needs OpenSSL anyway)."""

    def __init__(self, host: str, port: int | None, timeout: float) -> None:
        import http.client

        self.connection = http.client.HTTPSConnection(host, port, timeout=timeout)

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        import http.client

        try:
            self.connection.request("POST", path, body, headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except http.client.HTTPException as exc:
            raise OSError(str(exc)) from None

    def close(self) -> None:
        self.connection.close()


class Remote:
    """An entityx server: JSON in, JSON out, errors as :class:`RemoteError`."""

    def __init__(self, url: str, token: str | None = None, timeout: float = TIMEOUT) -> None:
        parts = urlsplit(url)
        try:
            port = parts.port  # a port that is no number in 0-65535 is a ValueError
        except ValueError:
            port = -1
        if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
            raise RemoteError(f"ENTITYX_URL must be http(s)://host[:port], not {url!r}")
        kind = TlsHttp if parts.scheme == "https" else PlainHttp
        self.url, self.prefix = url, parts.path.rstrip("/")
        self.connection = kind(parts.hostname, port, timeout)
        self.headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def post(self, path: str, payload: dict) -> dict:
        body = json.dumps(payload, ensure_ascii=False).encode()
        try:
            status, data = self.connection.post(self.prefix + path, body, self.headers)
        except (OSError, ValueError) as exc:
            self.connection.close()
            raise RemoteError(f"cannot reach the entityx server at {self.url}: {exc}") from None
        try:
            answer = json.loads(data)
        except ValueError:
            answer = {"error": data[:200].decode("utf-8", "replace")}
        if status != 200:
            reason = answer.get("error", answer) if isinstance(answer, dict) else answer
            raise RemoteError(f"the server at {self.url} answered {status}: {reason}")
        return answer

    def close(self) -> None:
        self.connection.close()


def document_of(data: dict, item: Text) -> Document:
    """The :class:`Document` of a JSON contract object, with the local input's names."""
    return Document(
        source=item.source, encoding=item.encoding, published=data["published"],
        entities=[mention_of(m) for m in data["entities"]],
        groups=[Group(**{k: v for k, v in g.items() if k in Group.__dataclass_fields__}) for g in data["groups"]],
        error=data.get("error"), published_from=data.get("published_from"), meta=item.meta,
    )


def mention_of(data: dict) -> Mention:
    """A mention of the JSON contract (a server of the release before says ``source`` only)."""
    fields = {k: v for k, v in data.items() if k in CONTRACT}
    fields.setdefault("origin", data.get("source"))
    return Mention(**fields)


def extract_many(
    inputs: Iterable[Text],
    *,
    labels: Iterable[str] = LABELS,
    patterns: Path | None = None,
    kb: Path | None = None,
    date_style: str | None = None,
    url: str | None = None,
    token: str | None = None,
    min_confidence: float = 0.0,
) -> Iterator[Document]:
    """:func:`entityx.extract_many`, done by the server at ``url`` (default ``ENTITYX_URL``,
    token ``ENTITYX_TOKEN``), one request per input so that output streams; ``date_style``
    is sent only when given, so that a server without it still answers."""
    for option, value in (("--patterns", patterns), ("--kb", kb)):
        if value is not None:
            raise RemoteError(f"{option} cannot be used in client mode: the server has its own "
                              "pipeline (give it to entityx serve, or unset ENTITYX_URL)")
    remote = Remote(url or os.environ["ENTITYX_URL"], token or os.environ.get("ENTITYX_TOKEN"))
    try:
        for item in inputs:
            payload = {"text": item.text, "labels": list(labels)}
            if date_style is not None:
                payload["date_style"] = date_style
            if min_confidence:
                payload["min_confidence"] = min_confidence
            if item.published is not None:
                payload["published"] = item.published
            yield document_of(remote.post("/v1/extract", payload), item)
    finally:
        remote.close()
