"""The explorer's ASGI app: the JSON API under ``/api/``, the page, the documentation.

Every view of the page is a real URL (``/``, ``/entities``, ``/entities/ID``,
``/documents/ID``) answered by the same page, which draws it from the API. Endpoints are
plain functions: FastAPI runs them in its worker threads, each with its own read-only
connection (:class:`~entityx.explore.archive.Archive`). Each list is JSON, or CSV with
``?format=csv``. Errors are serve's: ``{"error"}`` (and ``fields`` for a 422), never a
traceback.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Annotated, Literal

from anyio import to_thread
from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import AfterValidator

import entityx
from entityx.explore import document as documents_view
from entityx.explore import entity as entity_view
from entityx.explore import search as search_view
from entityx.explore.archive import Archive
from entityx.explore.entity import NotFound
from entityx.explore.fts import match_expression
from entityx.explore.gate import TokenGate
from entityx.explore.models import (
    CoMentionsOut,
    DocumentOut,
    DocumentsOut,
    EntitiesOut,
    EntityDetailOut,
    HealthOut,
    InfoOut,
    KwicOut,
    Label,
    SearchOut,
    TimelineOut,
)
from entityx.explore.tables import CSV_LIMIT, csv_response, file_name
from entityx.serve.app import STATIC as SERVE_STATIC
from entityx.serve.app import SWAGGER, add_error_handlers, swagger_assets
from entityx.serve.bodies import problem
from entityx.serve.guard import Guard
from entityx.serve.schema import ErrorOut, check_published
from entityx.serve.settings import Settings

STATIC = files("entityx").joinpath("explore/static")
THREADS = 8  # concurrent queries: each thread keeps one connection
ERRORS = {
    401: "A missing or wrong bearer token.",
    404: "No such entity or document.",
    413: "A request body over --max-bytes.",
    422: "A wrong parameter: `fields` names each one.",
    503: "A query that ran past the time budget.",
}
CSV_TOO = {"content": {"text/csv": {"schema": {"type": "string"}}},
           "description": "JSON; with `format=csv`, the whole list as CSV (up to 100,000 rows)."}
log = logging.getLogger("entityx.explore")

Day = Annotated[str | None, AfterValidator(check_published)]
Format = Annotated[Literal["json", "csv"], Query(description="json, or csv: the whole list as a CSV download.")]
Page = Annotated[int, Query(ge=1, le=100_000, description="1, 2, …")]
Size = Annotated[int, Query(ge=1, le=100, description="Items a page.")]
EntityParam = Annotated[str, Query(min_length=1, max_length=500, description="A corpus entity id.")]


def create_app(archive: Archive, settings: Settings):
    """The app for ``archive``, behind the token gate and serve's :class:`Guard`."""
    layout = archive.layout
    page_html = STATIC.joinpath("index.html").read_bytes()

    @asynccontextmanager
    async def lifespan(api: FastAPI):
        to_thread.current_default_thread_limiter().total_tokens = THREADS
        yield

    api = FastAPI(title="entityx explore", version=entityx.__version__, lifespan=lifespan, docs_url=None,
                  redoc_url=None, description="Who, what, where and when across an archive made by "
                  "`entityx batch -o OUT.sqlite`: search, entities, documents. Every list is JSON, "
                  "or CSV with `format=csv`.")
    bearer = [Depends(HTTPBearer(auto_error=False))] if settings.token else []
    errors = {code: {"model": ErrorOut, "description": what} for code, what in ERRORS.items()}
    listed = {200: CSV_TOO, **errors}

    @api.get("/health", response_model=HealthOut)
    def health() -> dict:
        return {"status": "ok", "version": entityx.__version__, "token": bool(settings.token)}

    @api.get("/api/info", response_model=InfoOut, dependencies=bearer, responses=errors)
    def info() -> dict:
        """The archive: its size, labels, facets, and whether its texts are there."""
        return {"name": layout.name, "documents": layout.documents, "entities": layout.entities,
                "labels": layout.counts, "text": layout.has_text, "facets": list(layout.facets),
                "outlet": layout.outlet}

    @api.get("/api/search", response_model=SearchOut, dependencies=bearer, responses=listed)
    def search(
        request: Request,
        q: Annotated[str | None, Query(max_length=2000, description='Words (all of them), "a phrase", '
                                       "-word to leave out, word* for words starting so. Case and "
                                       "accents are ignored.")] = None,
        entity: Annotated[list[str], Query(max_length=20, description="Entity ids: documents naming "
                                           "all of them.")] = [],  # noqa: B006 (FastAPI copies it)
        start: Annotated[Day, Query(alias="from", description="Published on or after (YYYY[-MM[-DD]]).")] = None,
        end: Annotated[Day, Query(alias="to", description="Published on or before (YYYY[-MM[-DD]]).")] = None,
        sort: Annotated[Literal["relevance", "newest", "oldest"] | None,
                        Query(description="Default: relevance with words, else newest.")] = None,
        page: Page = 1, size: Size = 20,
        facets: Annotated[bool, Query(description="Count the facets (false: faster).")] = True,
        format: Format = "json",
    ):
        """Documents matching words and filters, a page of them, and the facets: the entities
        most named among them per label, the values of each meta facet. Filter by a meta value
        with `meta.KEY=VALUE` (repeat for any of several values), e.g. `meta.outlet=Le Monde`."""
        filters = search_filters(request, q, entity, start, end)
        db = archive.connection()
        if format == "csv":
            rows = list(search_view.all_rows(db, layout, filters, sort, CSV_LIMIT + 1))
            columns = ["id", "published", "published_from", "title", "source", "mentions",
                       *(f"meta.{k}" for k in layout.meta)]
            return csv_response(rows, columns, "search")
        return search_view.search(db, layout, filters, sort, page, size, facets)

    def search_filters(request: Request, q, entity, start, end) -> search_view.Filters:
        match = match_expression(q) if q else None
        if q and q.strip() and match is None:  # `-chat`, `***`: never every document, silently
            raise invalid("q", "no word to search for: give at least one (-word only leaves words out)")
        if match and not layout.has_text:
            raise invalid("q", "this archive has no texts (entityx batch --no-text): search by "
                          "entities and facets only")
        meta: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            if key.startswith("meta."):
                if key[5:] not in layout.meta:
                    raise invalid(key, "no such meta key in this archive")
                meta.setdefault(key[5:], []).append(value)
        return search_view.Filters(match, tuple(dict.fromkeys(entity)),
                                   tuple((k, tuple(v)) for k, v in meta.items()), start, end)

    @api.get("/api/entities", response_model=EntitiesOut, dependencies=bearer, responses=listed)
    def entities(
        label: Annotated[Label | None, Query(description="Only this label.")] = None,
        q: Annotated[str | None, Query(max_length=200, description="Words of any of its names "
                                       "(case and accents ignored).")] = None,
        sort: Annotated[Literal["documents", "mentions", "name", "first", "last"],
                        Query(description="documents (most first), mentions, name, first or last "
                              "publication.")] = "documents",
        page: Page = 1, size: Size = 50, format: Format = "json",
    ):
        """The archive's entities (corpus-wide: one per real-world thing, all its names)."""
        db = archive.connection()
        if format == "csv":
            found = entity_view.entities(db, label, q, sort, 1, CSV_LIMIT + 1)["entities"]
            rows = [{**e, "aliases": " | ".join(e["aliases"])} for e in found]
            return csv_response(rows, ["id", "label", "name", "aliases", "documents", "mentions",
                                       "first_published", "last_published", "kb_id", "country", "lat",
                                       "lon"], "entities")
        return entity_view.entities(db, label, q, sort, page, size)

    @api.get("/api/entities/{entity_id:path}", response_model=EntityDetailOut, dependencies=bearer,
             responses=errors)
    def entity_detail(entity_id: str, size: Size = 20) -> dict:
        """An entity: who or what, its first page of mentions in context and of documents, its
        timeline, and the entities named beside it. The lists page on at /api/mentions and
        /api/documents; all of them download as CSV there."""
        return entity_view.detail(archive.connection(), layout, entity_id, size)

    @api.get("/api/mentions", response_model=KwicOut, dependencies=bearer, responses=listed)
    def mentions(entity: EntityParam, page: Page = 1, size: Size = 20, format: Format = "json"):
        """An entity's mentions, each in its sentence (keyword in context), newest documents first."""
        db = archive.connection()
        entity_view.entity(db, entity)
        if format == "csv":
            lines = entity_view.kwic(db, layout, entity, 1, CSV_LIMIT + 1)["lines"]
            return csv_response(lines, ["document_id", "published", "title", "start", "end", "left", "text",
                                        "right", "norm"], file_name("mentions", entity))
        return entity_view.kwic(db, layout, entity, page, size)

    @api.get("/api/documents", response_model=DocumentsOut, dependencies=bearer, responses=listed)
    def entity_documents(entity: EntityParam, page: Page = 1, size: Size = 20, format: Format = "json"):
        """The documents naming an entity, newest first, with its mentions in each."""
        db = archive.connection()
        entity_view.entity(db, entity)
        if format == "csv":
            rows = entity_view.documents(db, layout, entity, 1, CSV_LIMIT + 1)["documents"]
            return csv_response(rows, ["id", "published", "title", "outlet", "source", "mentions"],
                                file_name("documents", entity))
        return entity_view.documents(db, layout, entity, page, size)

    @api.get("/api/timeline", response_model=TimelineOut, dependencies=bearer, responses=listed)
    def timeline(entity: EntityParam, format: Format = "json"):
        """An entity's mentions and documents per month of publication."""
        db = archive.connection()
        entity_view.entity(db, entity)
        found = entity_view.timeline(db, entity)
        if format == "csv":
            return csv_response(found["months"], ["month", "mentions", "documents"], file_name("timeline", entity))
        return found

    @api.get("/api/comentions", response_model=CoMentionsOut, dependencies=bearer, responses=listed)
    def comentions(entity: EntityParam, label: Annotated[Label | None, Query(
            description="Only entities of this label (then up to 50).")] = None, format: Format = "json"):
        """The entities most often named in the same documents as an entity, per label."""
        db = archive.connection()
        entity_view.entity(db, entity)
        found = entity_view.comentions(db, entity, label, 50 if label or format == "csv" else entity_view.TOP)
        if format == "csv":
            rows = [{**e, "over": found["over"]} for g in found["labels"] for e in g["top"]]
            return csv_response(rows, ["id", "label", "name", "documents", "over"], file_name("comentions", entity))
        return found

    @api.get("/api/documents/{doc_id}", response_model=DocumentOut, dependencies=bearer, responses=listed)
    def document(doc_id: Annotated[int, Path(ge=1, le=2**63 - 1)], format: Format = "json"):
        """A document: its text, meta, date and mentions (CSV: its mentions)."""
        found = documents_view.document(archive.connection(), layout, doc_id)
        if format == "csv":
            names = {g["group"]: g["name"] for g in found["groups"]}
            rows = [{**m, "name": names.get(m["group"])} for m in found["entities"]]
            return csv_response(rows, ["start", "end", "text", "label", "norm", "kb_id", "confidence",
                                       "entity_id", "name"], f"document-{doc_id}")
        return found

    def page() -> HTMLResponse:
        return HTMLResponse(page_html, headers={"Cache-Control": "no-store"})

    for path in ("/", "/entities", "/entities/{rest:path}", "/documents/{rest:path}"):
        api.add_api_route(path, page, methods=["GET"], response_class=HTMLResponse, include_in_schema=False)

    @api.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(SERVE_STATIC.joinpath("docs.html").read_text(encoding="utf-8"))

    api.mount("/static/explore", StaticFiles(directory=str(STATIC)), name="explore-static")
    api.mount("/static", StaticFiles(directory=str(SERVE_STATIC)), name="static")  # marks.js, marks.css
    api.mount(SWAGGER, StaticFiles(directory=swagger_assets()), name="swagger")
    add_error_handlers(api)
    add_archive_errors(api, archive.budget)
    return TokenGate(Guard(api, None, settings.max_bytes), settings.token, page_html)


def invalid(field: str, message: str) -> RequestValidationError:
    """A 422 naming ``field``, as FastAPI's own (serve's handler writes it)."""
    return RequestValidationError([{"loc": ("query", field), "msg": message, "type": "value_error"}])


def add_archive_errors(api: FastAPI, budget: float) -> None:
    """Errors of this app, besides serve's: 404, 503 past the time budget, and 422s naming the
    parameter alone (``from``, not ``query.from``)."""

    @api.exception_handler(RequestValidationError)
    async def invalid_parameter(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [problem({**e, "loc": [p for p in e.get("loc", ()) if p not in ("query", "path")]})
                    for e in exc.errors()]
        message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return JSONResponse({"error": message, "fields": problems}, status_code=422)

    @api.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=404)

    @api.exception_handler(sqlite3.OperationalError)
    async def failed(request: Request, exc: sqlite3.OperationalError) -> JSONResponse:
        if "interrupted" in str(exc):
            return JSONResponse({"error": f"the query took longer than {budget:g} s; narrow it down"},
                                status_code=503, headers={"Retry-After": "5"})
        log.error("request %s %s failed: %s", request.method, request.url.path, exc)
        return JSONResponse({"error": "internal error (logged by the server)"}, status_code=500)
