"""``entityx explore``: a local web application over the SQLite archive ``entityx batch`` made.

Who, what, where and when across thousands of articles: full-text search with facets, a
page per entity (its mentions in context, its documents, its timeline, the entities named
beside it) and per document (the article with its entities marked). The database is opened
read-only; the server is :mod:`entityx.serve`'s stack (uvicorn, the same protocol and guard).

Modules, one job each: :mod:`~entityx.explore.archive` opens and checks the database,
:mod:`~entityx.explore.fts` turns what a user typed into a safe FTS5 query,
:mod:`~entityx.explore.search`, :mod:`~entityx.explore.entity` and
:mod:`~entityx.explore.document` answer the views, :mod:`~entityx.explore.sentences` cuts
the keyword-in-context lines, :mod:`~entityx.explore.models` describes the answers,
:mod:`~entityx.explore.tables` writes them as CSV, :mod:`~entityx.explore.gate` asks for the
token, :mod:`~entityx.explore.app` is the FastAPI app and :mod:`~entityx.explore.server`
starts it. Importing this package imports nothing heavy.
"""
