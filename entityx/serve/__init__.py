"""``entityx serve``: the warm pipeline behind an HTTP API and a reading page.

Importing this package imports nothing heavy; the app lives in :mod:`entityx.serve.app`
(FastAPI) and is started by :mod:`entityx.serve.server` (uvicorn).
"""
