"""Reading request bodies: JSON (or plain text on ``/v1/extract``), parsed off the event loop,
validated by the request models, with limits checked before the expensive part.

FastAPI would parse and validate a body on the event loop, before any limit of ours: a
10 MiB batch of 740,000 empty documents took a minute and 1.4 GB there, and stalled every
other client meanwhile. Here a large body is parsed in a thread, the number of documents is
checked right after parsing (before pydantic builds an object per document), and the
answers to bad bodies are the API's own (``{"error", "fields"}``).
"""

from __future__ import annotations

import asyncio
import json

from pydantic import BaseModel, ValidationError

from entityx.readers import InputError, decode

INLINE = 64 * 1024  # bodies up to this size are parsed on the loop: a thread costs more


class BodyError(Exception):
    """A body the API refuses: ``status`` and ``message`` (and ``fields``) for the client."""

    def __init__(self, status: int, message: str, fields: list[dict] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def is_json(media: str) -> bool:
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def read_json(body: bytes, content_type: str | None, model: type[BaseModel],
                    max_documents: int | None = None) -> BaseModel:
    """The validated request model of a JSON body."""
    media = media_type(content_type)
    if not is_json(media):
        raise BodyError(415, "send JSON, with Content-Type: application/json"
                        + (f" (not {media})" if media else ""))
    return await off_loop(len(body), _parse_and_validate, body, model, max_documents)


def read_plain(body: bytes) -> str:
    """The text of a ``text/plain`` body, decoded as entityx decodes files."""
    try:
        return decode(body).text
    except InputError as exc:
        raise BodyError(400, f"body: {exc}") from None


async def off_loop(size: int, work, *args):
    return work(*args) if size <= INLINE else await asyncio.to_thread(work, *args)


def _parse_and_validate(body: bytes, model: type[BaseModel], max_documents: int | None) -> BaseModel:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        reason = getattr(exc, "msg", None) or "too deeply nested"
        raise BodyError(422, f"body: not valid JSON ({reason})",
                        [{"field": "body", "message": f"not valid JSON ({reason})"}]) from None
    documents = data.get("documents") if isinstance(data, dict) else None
    if max_documents is not None and isinstance(documents, list) and len(documents) > max_documents:
        raise BodyError(413, f"at most {max_documents} documents a request (got {len(documents)}); "
                        "send them in several requests")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = [problem(e) for e in exc.errors()]
        raise BodyError(422, "; ".join(f"{p['field']}: {p['message']}" for p in fields), fields) from None


def problem(error: dict) -> dict:
    """A pydantic error as {field, message}: ``documents.0.text``, not ``('body', …)``."""
    where = [str(part) for part in error.get("loc", ()) if part != "body"]
    if error.get("type") == "extra_forbidden":
        return {"field": ".".join(where), "message": "unknown field"}
    message = error.get("msg", "invalid").removeprefix("Value error, ")
    return {"field": ".".join(where) or "body", "message": message}
