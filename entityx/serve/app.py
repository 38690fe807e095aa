"""The ASGI app: the JSON API, its errors, and the reading page.

Extraction runs on one thread per worker process: spaCy's ``Language`` is not made to be
shared between threads, and one worker is one core's worth of NER anyway (``--workers``
adds processes). A request waits in that thread's queue; past the time limit it is
answered 503 if it never started, 504 if it was running (the running one still finishes).
"""

from __future__ import annotations

import asyncio
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial
from importlib.resources import files

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException

import entityx
from entityx.model import Document, Text
from entityx.serve.guard import Guard
from entityx.serve.schema import BatchRequest, ExtractRequest, Options
from entityx.serve.settings import Settings
from entityx.writers import CsvWriter

STATIC = files("entityx").joinpath("serve/static")
PAGE_HEADERS = {
    # The page's own script and styles only: even a missed escape could not run a script.
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
WARM_UP = "Rabat, le 5 septembre 2024 – La DGSN a interpellé hier à Tanger un suspect."
log = logging.getLogger("entityx.serve")


class TimedOut(Exception):
    def __init__(self, started: bool, seconds: float) -> None:
        self.started, self.seconds = started, seconds


class Rejected(Exception):
    """The pipeline refused a text (its ValueError): the client's fault, a 400."""


def extracted(items: list[Text], options: Options, kb: str | None = None) -> list[Document]:
    """The documents of ``items``, with the options ``entityx extract`` would be given."""
    try:
        return list(entityx.extract_many(items, labels=options.labels, kb=kb,
                                         date_style=options.date_style or "entityx"))
    except ValueError as exc:
        raise Rejected(f"text rejected: {exc}") from None


def contract(items: list[Text], options: Options, kb: str | None = None) -> list[dict]:
    """The JSON contract of each input, as ``entityx extract -f json`` writes it."""
    return [doc.to_dict() for doc in extracted(items, options, kb)]


def csv_of(items: list[Text], options: Options, kb: str | None = None) -> str:
    """The CSV ``entityx extract -f csv`` writes for ``items``."""
    out = io.StringIO()
    writer = CsvWriter(out)
    for doc in extracted(items, options, kb):
        writer.write(doc)
    return out.getvalue()


def create_app(settings: Settings | None = None):
    """The app, wrapped in its :class:`Guard`; uvicorn calls it in each worker process."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(api: FastAPI):
        api.state.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="entityx")
        # Load and warm the pipeline before the port opens: the first request is not slower.
        await asyncio.wrap_future(api.state.thread.submit(partial(entityx.extract, WARM_UP, kb=settings.kb)))
        yield
        api.state.thread.shutdown(wait=True, cancel_futures=True)

    api = FastAPIOffline(  # FastAPI whose /docs assets are served here, not from a CDN
        title="entityx", version=entityx.__version__, lifespan=lifespan, redoc_url=None,
        description="People, organisations, places and dates from French news.",
    )
    bearer = [Depends(HTTPBearer(auto_error=False))] if settings.token else []  # for /docs

    async def run(work, *args):
        future = api.state.thread.submit(work, *args, settings.kb)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), settings.timeout)
        except TimeoutError:
            raise TimedOut(started=not future.cancel(), seconds=settings.timeout) from None

    @api.get("/health")
    async def health() -> dict:
        return {"status": "ok", "version": entityx.__version__}

    @api.post("/v1/extract", dependencies=bearer)
    async def extract(body: ExtractRequest) -> dict:
        """One text → the JSON contract object of `entityx extract -f json`."""
        return (await run(contract, [Text(body.text, body.published)], body))[0]

    @api.post("/v1/extract/csv", dependencies=bearer, response_class=Response,
              responses={200: {"content": {"text/csv": {}}}})
    async def extract_csv(body: ExtractRequest) -> Response:
        """One text → the CSV of `entityx extract -f csv`."""
        text = await run(csv_of, [Text(body.text, body.published)], body)
        return Response(text, media_type="text/csv; charset=utf-8")

    @api.post("/v1/extract/batch", dependencies=bearer)
    async def extract_batch(body: BatchRequest) -> dict:
        """Many documents {id, text, meta} → {documents: [...]}, in input order."""
        items = [
            Text(d.text, d.meta.get("published"), source=str(d.id if d.id is not None else n))
            for n, d in enumerate(body.documents, 1)
        ]
        return {"documents": await run(contract, items, body)}

    @api.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return HTMLResponse(STATIC.joinpath("index.html").read_text(encoding="utf-8"),
                            headers=PAGE_HEADERS)

    api.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    add_error_handlers(api)
    return Guard(api, settings.token, settings.max_bytes)


def add_error_handlers(api: FastAPI) -> None:
    """Every error is ``{"error": message}``; none carries a traceback."""

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [problem(e) for e in exc.errors()]
        message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return JSONResponse({"error": message, "fields": problems}, status_code=422)

    @api.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @api.exception_handler(Rejected)
    async def rejected(request: Request, exc: Rejected) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=400)

    @api.exception_handler(TimedOut)
    async def timed_out(request: Request, exc: TimedOut) -> JSONResponse:
        if exc.started:
            return JSONResponse({"error": f"extraction took longer than {exc.seconds:g} s"},
                                status_code=504)
        return JSONResponse({"error": f"busy: not started within {exc.seconds:g} s; retry later"},
                            status_code=503, headers={"Retry-After": "5"})

    @api.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request %s %s failed", request.method, request.url.path)
        return JSONResponse({"error": "internal error (logged by the server)"}, status_code=500)


def problem(error: dict) -> dict:
    """A pydantic error as {field, message}: ``documents.0.text``, not ``('body', …)``."""
    where = [str(part) for part in error.get("loc", ()) if part != "body"]
    if error.get("type") == "json_invalid":
        return {"field": "body", "message": f"not valid JSON ({error.get('ctx', {}).get('error', '')})"}
    if error.get("type") == "extra_forbidden":
        return {"field": ".".join(where), "message": "unknown field"}
    message = error.get("msg", "invalid").removeprefix("Value error, ")
    return {"field": ".".join(where) or "body", "message": message}
