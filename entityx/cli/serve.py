"""``entityx serve``: the warm pipeline behind a JSON API and a reading page."""

from __future__ import annotations

from typing import Annotated

import typer

from entityx.cli.app import app
from entityx.cli.edge import fail
from entityx.cli.options import KbOption, check_token


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on; another than loopback is logged.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Processes, each with its own warm pipeline.")] = 1,
    token: Annotated[str | None, typer.Option("--token", envvar="ENTITYX_TOKEN", show_envvar=True, help="Require Authorization: Bearer TOKEN on the API.")] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Largest request body; larger is 413.")] = 10 * 2**20,
    max_documents: Annotated[int, typer.Option("--max-documents", min=1, help="Most documents in one /v1/extract/batch request; more is 413.")] = 1000,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds a request may take to be answered; then 503/504.")] = 60.0,
    read_timeout: Annotated[float, typer.Option("--read-timeout", min=0.1, help="Seconds a client may take to send a whole request (headers and body); then 408 and the connection is closed.")] = 30.0,
    kb_file: KbOption = None,
) -> None:
    """Serve the warm pipeline: a JSON API (/v1/extract, /docs) and a reading page (/).

    Example: ENTITYX_TOKEN=s3cret entityx serve --port 8000 --workers 2
    """
    check_token(token)
    try:
        from entityx.serve.server import serve as run_server
        from entityx.serve.settings import Settings
    except ImportError as exc:
        raise fail(f"entityx serve needs the serve extra ({exc.name} is missing): "
                   "pip install 'entityx[serve]'") from None
    run_server(host, port, workers, Settings(
        token=token, max_bytes=max_bytes, max_documents=max_documents, timeout=timeout,
        read_timeout=read_timeout, kb=str(kb_file) if kb_file else None))
