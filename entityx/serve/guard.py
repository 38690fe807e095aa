"""The checks every request passes before the app reads its body (token, then size), and the
security headers every answer carries.

A plain ASGI wrapper rather than FastAPI dependencies: FastAPI parses a JSON body before
it runs dependencies, so a client without the token could still make the server read
10 MiB, and a body is only known to be too large once it has been read whole. Here a
missing token is refused before a byte of body is read, a declared ``Content-Length``
over the limit is refused at once, and a chunked body is counted as it streams in.
"""

from __future__ import annotations

import json
import secrets

PROTECTED = "/v1/"
# The server's own scripts and styles only: even a missed escape could not run a script.
POLICY = (b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          b"connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [  # on every answer: the page's, the docs', the API's
    (b"content-security-policy", POLICY),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class Guard:
    def __init__(self, app, token: str | None, max_bytes: int) -> None:
        self.app, self.token, self.max_bytes = app, token, max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = with_headers(send)
        headers = dict(scope["headers"])
        if self.token and scope["path"].startswith(PROTECTED) and not self.authorized(headers):
            await refuse(send, 401, "missing or wrong bearer token (Authorization: Bearer …)",
                         [(b"www-authenticate", b"Bearer")])
            return
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await refuse(send, 400, "Content-Length is not a number")
                return
            if int(declared) > self.max_bytes:
                await refuse(send, 413, f"request body over the limit of {self.max_bytes} bytes")
                return
        body, complete = await self.read_body(receive)
        if not complete:
            if body is not None:
                await refuse(send, 413, f"request body over the limit of {self.max_bytes} bytes")
            return
        await self.app(scope, replay(body, receive), send)

    def authorized(self, headers: dict[bytes, bytes]) -> bool:
        scheme, _, credential = headers.get(b"authorization", b"").partition(b" ")
        return scheme.lower() == b"bearer" and secrets.compare_digest(
            credential.strip(), self.token.encode()
        )

    async def read_body(self, receive) -> tuple[bytes | None, bool]:
        """(body, True) once read whole; (partial, False) past the limit; (None, False) when
        the client went away."""
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None, False
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return b"", False
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), True


def with_headers(send):
    """``send``, adding the security headers to the start of every answer."""

    async def send_with_headers(message) -> None:
        if message["type"] == "http.response.start":
            names = {name.lower() for name, _ in message.get("headers", [])}
            extra = [(name, value) for name, value in HEADERS if name not in names]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return send_with_headers


def replay(body: bytes, receive):
    """A ``receive`` that gives the body already read, then listens to the client again."""
    sent = False

    async def receive_again():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return receive_again


async def refuse(send, status: int, message: str, extra: list | None = None) -> None:
    payload = json.dumps({"error": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
               (b"connection", b"close"), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
