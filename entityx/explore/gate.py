"""The token, checked before anything else: every page and every ``/api/`` call needs it;
``/health``, the static files and the API's documentation (which hold no article data) do not.

:class:`entityx.serve.guard.Guard` checks the token on ``/v1/`` only (serve's API), so it runs
here without one (for its size limit and headers) behind this gate, which uses the guard's own
comparison and refusal. A page asked for without the token is answered ``401`` with the
application's page itself, which holds no data: it asks for the token, keeps it in the tab's
``sessionStorage`` and sends it as ``Authorization: Bearer`` with each ``/api/`` call.
"""

from __future__ import annotations

from entityx.serve.guard import Guard, refuse, with_headers

PUBLIC = ("/health", "/static/", "/static-offline-docs/", "/docs", "/openapi.json")
DENIED = "missing or wrong bearer token (Authorization: Bearer …)"


def public(path: str) -> bool:
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in PUBLIC)


class TokenGate:
    """ASGI: ``app`` for requests carrying the token (or public), 401 otherwise."""

    def __init__(self, app, token: str | None, page: bytes) -> None:
        self.app, self.page = app, page
        self.checker = Guard(app, token, 0) if token else None

    async def __call__(self, scope, receive, send) -> None:
        if (scope["type"] != "http" or self.checker is None or public(scope["path"])
                or self.checker.authorized(dict(scope["headers"]))):
            await self.app(scope, receive, send)
            return
        send = with_headers(send)
        if scope["path"].startswith("/api/") or scope["method"] not in ("GET", "HEAD"):
            await refuse(send, 401, DENIED, [(b"www-authenticate", b"Bearer")])
            return
        headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(self.page)).encode()),
                   (b"www-authenticate", b"Bearer"), (b"cache-control", b"no-store")]
        await send({"type": "http.response.start", "status": 401, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else self.page})
