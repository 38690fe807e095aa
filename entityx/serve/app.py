"""The ASGI app: the JSON API, its errors, and the reading page.

Extraction runs on one thread per worker process: spaCy's ``Language`` is not made to be
shared between threads, and one worker is one core's worth of NER anyway (``--workers``
adds processes). A request waits in that thread's queue; past the time limit it is
answered 503 if it never started, 504 if it was running (the running one still finishes).
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial
from importlib.resources import files
from pathlib import Path

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.exceptions import HTTPException

import entityx
from entityx.model import Document, Text
from entityx.serve.bodies import BodyError, media_type, problem, read_json, read_plain
from entityx.serve.guard import Guard
from entityx.serve.schema import (
    BatchOut,
    BatchRequest,
    DocumentOut,
    ErrorOut,
    ExtractRequest,
    HealthOut,
    Options,
)
from entityx.serve.settings import Settings
from entityx.writers import CsvWriter

STATIC = files("entityx").joinpath("serve/static")
SWAGGER = "/static-offline-docs"
JSON = "application/json"
ERRORS = {
    400: "A text the pipeline cannot read (a lone surrogate…).",
    401: "A missing or wrong bearer token.",
    408: "The request was not received whole in time (--read-timeout).",
    413: "A body over --max-bytes, or a batch over --max-documents.",
    415: "A body that is neither JSON nor, where allowed, text/plain.",
    422: "A malformed body or a wrong field: `fields` names each one.",
    503: "Busy: the request did not start within --timeout (Retry-After).",
    504: "The extraction took longer than --timeout.",
}
WARM_UP = "Rabat, le 5 septembre 2024 – La DGSN a interpellé hier à Tanger un suspect."
log = logging.getLogger("entityx.serve")


class TimedOut(Exception):
    def __init__(self, started: bool, seconds: float) -> None:
        self.started, self.seconds = started, seconds


class Rejected(Exception):
    """The pipeline refused a text (its ValueError): the client's fault, a 400."""


class Gone(Exception):
    """The client went away or the time ran out: the work stopped between documents."""


def until(items: list[Text], stop: threading.Event) -> Iterator[Text]:
    """``items``, as long as ``stop`` is not set (checked before each one is taken)."""
    for item in items:
        if stop.is_set():
            raise Gone
        yield item


def extracted(items: Iterable[Text], options: Options, kb: str | None = None) -> list[Document]:
    """The documents of ``items``, with the options ``entityx extract`` would be given."""
    try:
        return list(entityx.extract_many(items, labels=options.labels, kb=kb,
                                         date_style=options.date_style or "entityx",
                                         min_confidence=options.min_confidence))
    except ValueError as exc:
        raise Rejected(f"text rejected: {exc}") from None


def contract(items: Iterable[Text], options: Options, kb: str | None = None, batch: bool = False) -> bytes:
    """The JSON contract of the input (``{"documents": [...]}`` for a batch), serialised
    here, in the worker thread, rather than on the event loop."""
    docs = [doc.to_dict() for doc in extracted(items, options, kb)]
    return json.dumps({"documents": docs} if batch else docs[0], ensure_ascii=False).encode()


def csv_of(items: Iterable[Text], options: Options, kb: str | None = None) -> bytes:
    """The CSV ``entityx extract -f csv`` writes for ``items``."""
    out = io.StringIO()
    writer = CsvWriter(out)
    for doc in extracted(items, options, kb):
        writer.write(doc)
    return out.getvalue().encode()


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

    api = FastAPI(
        title="entityx", version=entityx.__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
        description="People, organisations, places and dates from French news.",
    )
    bearer = [Depends(HTTPBearer(auto_error=False))] if settings.token else []  # for /docs
    errors = {code: {"model": ErrorOut, "description": what} for code, what in ERRORS.items()}

    async def run(request: Request, work, items: list[Text], *args):
        """``work(items, *args)`` on the extraction thread; it stops between documents when
        the client goes away or the time limit passes."""
        stop = threading.Event()
        future = api.state.thread.submit(work, until(items, stop), *args)
        watcher = asyncio.create_task(watch(request, stop))
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), settings.timeout)
        except TimeoutError:
            stop.set()
            raise TimedOut(started=not future.cancel(), seconds=settings.timeout) from None
        finally:
            watcher.cancel()

    async def single(request: Request, published: str | None, labels: str | None,
                     date_style: str | None, min_confidence: float | None) -> tuple[Text, Options]:
        """The one text of /v1/extract: a JSON body, or plain text with its options in the query."""
        body = await request.body()
        if media_type(request.headers.get("content-type")) == "text/plain":
            fields = {"text": read_plain(body), "published": published, "date_style": date_style,
                      "min_confidence": min_confidence}
            if labels:
                fields["labels"] = [v.strip().upper() for v in labels.split(",") if v.strip()]
            try:
                options = ExtractRequest.model_validate({k: v for k, v in fields.items() if v is not None})
            except ValidationError as exc:
                found = [problem(e) for e in exc.errors()]
                raise BodyError(422, "; ".join(f"{p['field']}: {p['message']}" for p in found), found) from None
        else:
            options = await read_json(body, request.headers.get("content-type"), ExtractRequest)
        return Text(options.text, options.published), options

    query = {
        "published": Query(None, description="text/plain bodies: the publication date YYYY[-MM[-DD]]."),
        "labels": Query(None, description="text/plain bodies: labels to keep, comma-separated (PER,ORG,LOC,DATE,MISC)."),
        "date_style": Query(None, description="text/plain bodies: entityx or timeml."),
        "min_confidence": Query(None, description="text/plain bodies: leave out mentions less confident."),
    }

    @api.get("/health", response_model=HealthOut)
    async def health() -> dict:
        return {"status": "ok", "version": entityx.__version__, "token": bool(settings.token)}

    @api.post("/v1/extract", dependencies=bearer, response_class=Response,
              openapi_extra=request_body("ExtractRequest", plain=True),
              responses={200: {"model": DocumentOut, "description": "The JSON contract object of "
                               "`entityx extract -f json`."}, **errors})
    async def extract(request: Request, published: str | None = query["published"],
                      labels: str | None = query["labels"], date_style: str | None = query["date_style"],
                      min_confidence: float | None = query["min_confidence"]) -> Response:
        """One text → the JSON contract object of `entityx extract -f json`. Send JSON
        (`{"text", "published"?, "labels"?, "date_style"?}`), or the article itself as
        `text/plain` (`curl --data-binary @article.txt -H 'Content-Type: text/plain'`) with
        the options in the query string."""
        item, options = await single(request, published, labels, date_style, min_confidence)
        return Response(await run(request, contract, [item], options, settings.kb), media_type=JSON)

    @api.post("/v1/extract/csv", dependencies=bearer, response_class=Response,
              openapi_extra=request_body("ExtractRequest", plain=True),
              responses={200: {"content": {"text/csv": {}}, "description": "The CSV of "
                               "`entityx extract -f csv`."}, **errors})
    async def extract_csv(request: Request, published: str | None = query["published"],
                          labels: str | None = query["labels"], date_style: str | None = query["date_style"],
                          min_confidence: float | None = query["min_confidence"]) -> Response:
        """One text → the CSV of `entityx extract -f csv` (JSON or text/plain, as /v1/extract)."""
        item, options = await single(request, published, labels, date_style, min_confidence)
        return Response(await run(request, csv_of, [item], options, settings.kb),
                        media_type="text/csv; charset=utf-8")

    @api.post("/v1/extract/batch", dependencies=bearer, response_class=Response,
              openapi_extra=request_body("BatchRequest"),
              responses={200: {"model": BatchOut, "description": "The documents, in input order."}, **errors})
    async def extract_batch(request: Request) -> Response:
        """Many documents {id, text, meta} → {documents: [...]}, in input order; at most
        `--max-documents` (1000 by default) a request."""
        body = await read_json(await request.body(), request.headers.get("content-type"),
                               BatchRequest, settings.max_documents)
        items = [
            Text(d.text, d.meta.get("published"), source=str(d.id if d.id is not None else n),
                 meta=d.meta or None, published_from="meta" if d.meta.get("published") else None)
            for n, d in enumerate(body.documents, 1)
        ]
        answer = await run(request, partial(contract, batch=True), items, body, settings.kb)
        return Response(answer, media_type=JSON)

    @api.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return HTMLResponse(STATIC.joinpath("index.html").read_text(encoding="utf-8"))

    @api.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(STATIC.joinpath("docs.html").read_text(encoding="utf-8"))

    api.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    api.mount(SWAGGER, StaticFiles(directory=swagger_assets()), name="swagger")
    add_error_handlers(api)
    add_request_schemas(api, ExtractRequest, BatchRequest)
    return Guard(api, settings.token, settings.max_bytes)


async def watch(request: Request, stop: threading.Event) -> None:
    """Set ``stop`` when the client goes away (its body was read already)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            stop.set()
            return


def request_body(model: str, plain: bool = False) -> dict:
    """The OpenAPI request body of an endpoint that reads its body itself."""
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}}
    if plain:
        content["text/plain"] = {"schema": {"type": "string", "description": "The article itself."}}
    return {"requestBody": {"required": True, "content": content}}


def add_request_schemas(api: FastAPI, *models) -> None:
    """Put the request models the endpoints read themselves into the OpenAPI components."""
    make = api.openapi

    def openapi() -> dict:
        if api.openapi_schema is None:
            document = make()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for model in models:
                found = model.model_json_schema(ref_template="#/components/schemas/{model}")
                schemas.update(found.pop("$defs", {}))
                schemas[model.__name__] = found
        return api.openapi_schema

    api.openapi = openapi


def swagger_assets() -> str:
    """Swagger UI's files, as fastapi-offline ships them (no CDN)."""
    import fastapi_offline

    return str(Path(fastapi_offline.__file__).parent / "static")


def add_error_handlers(api: FastAPI) -> None:
    """Every error is ``{"error": message}`` (and ``fields`` for 422); none carries a traceback."""

    @api.exception_handler(BodyError)
    async def bad_body(request: Request, exc: BodyError) -> JSONResponse:
        content = {"error": exc.message} | ({"fields": exc.fields} if exc.fields else {})
        return JSONResponse(content, status_code=exc.status)

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

    @api.exception_handler(Gone)
    async def gone(request: Request, exc: Gone) -> JSONResponse:
        return JSONResponse({"error": "stopped: the client went away"}, status_code=499)

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
