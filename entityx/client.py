"""Client mode: with ``ENTITYX_URL`` set, ``entityx extract`` asks a running ``entityx serve``.

The point is a start-up of a fraction of a second, so this module imports only the
standard library (``http.client``, not httpx) and nothing of spaCy; it needs nothing
beyond the core install. Inputs are still read and decoded here, so ``source`` and
``encoding`` are the local file's and the output is the one the local pipeline would give.
"""

from __future__ import annotations

import http.client
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from entityx.model import LABELS, Document, Group, Mention, Text

TIMEOUT = 300.0


class RemoteError(Exception):
    """The server cannot be reached or refused a request; the message says which and why."""


class Remote:
    """One keep-alive connection to an entityx server."""

    def __init__(self, url: str, token: str | None = None, timeout: float = TIMEOUT) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RemoteError(f"ENTITYX_URL must be http(s)://host[:port], not {url!r}")
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        self.url, self.prefix = url, parts.path.rstrip("/")
        self.connection = kind(parts.hostname, parts.port, timeout=timeout)
        self.headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def post(self, path: str, payload: dict) -> dict:
        body = json.dumps(payload, ensure_ascii=False).encode()
        try:
            self.connection.request("POST", self.prefix + path, body, self.headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()
            raise RemoteError(f"cannot reach the entityx server at {self.url}: {exc}") from None
        try:
            answer = json.loads(data)
        except ValueError:
            answer = {"error": data[:200].decode("utf-8", "replace")}
        if response.status != 200:
            raise RemoteError(f"the server at {self.url} answered {response.status}: "
                              f"{answer.get('error', answer) if isinstance(answer, dict) else answer}")
        return answer

    def close(self) -> None:
        self.connection.close()


def document_of(data: dict, item: Text) -> Document:
    """The :class:`Document` of a JSON contract object, with the local input's names."""
    return Document(
        source=item.source, encoding=item.encoding, published=data["published"],
        entities=[Mention(**m) for m in data["entities"]],
        groups=[Group(**g) for g in data["groups"]], error=data.get("error"),
    )


def extract_many(
    inputs: Iterable[Text],
    *,
    labels: Iterable[str] = LABELS,
    patterns: Path | None = None,
    date_style: str | None = None,
    url: str | None = None,
    token: str | None = None,
) -> Iterator[Document]:
    """:func:`entityx.extract_many`, done by the server at ``url`` (default ``ENTITYX_URL``,
    token ``ENTITYX_TOKEN``), one request per input so that output streams; ``date_style``
    is sent only when given, so that a server without it still answers."""
    if patterns is not None:
        raise RemoteError("--patterns cannot be used in client mode: the server has its own "
                          "pipeline (unset ENTITYX_URL)")
    remote = Remote(url or os.environ["ENTITYX_URL"], token or os.environ.get("ENTITYX_TOKEN"))
    try:
        for item in inputs:
            payload = {"text": item.text, "labels": list(labels)}
            if date_style is not None:
                payload["date_style"] = date_style
            if item.published is not None:
                payload["published"] = item.published
            yield document_of(remote.post("/v1/extract", payload), item)
    finally:
        remote.close()
