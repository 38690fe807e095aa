"""``entityx explore``: a local web application over the SQLite archive of ``entityx batch``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from entityx.cli.app import app
from entityx.cli.edge import fail
from entityx.cli.options import check_token


@app.command()
def explore(
    database: Annotated[Path, typer.Argument(help="The SQLite file of entityx batch -o OUT.sqlite.",
                                             show_default=False)],
    host: Annotated[str, typer.Option("--host", help="Address to listen on; another than loopback is logged.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 8001,
    token: Annotated[str | None, typer.Option("--token", envvar="ENTITYX_TOKEN", show_envvar=True, help="Require Authorization: Bearer TOKEN on the pages and the API (the page asks for it).")] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Largest request body; larger is 413.")] = 64 * 1024,
    read_timeout: Annotated[float, typer.Option("--read-timeout", min=0.1, help="Seconds a client may take to send a whole request; then 408 and the connection is closed.")] = 30.0,
) -> None:
    """Explore an archive: search its articles, its people, organisations, places and dates.

    Example: ENTITYX_TOKEN=s3cret entityx explore entities.sqlite --port 8001
    """
    check_token(token)
    try:
        from entityx.explore.archive import Archive, ArchiveError
        from entityx.explore.server import explore as run_server
        from entityx.serve.settings import Settings
    except ImportError as exc:
        raise fail(f"entityx explore needs the serve extra ({exc.name} is missing): "
                   "pip install 'entityx[serve]'") from None
    try:
        archive = Archive(database)
    except ArchiveError as exc:
        raise fail(str(exc)) from None
    run_server(archive, host, port, Settings(token=token, max_bytes=max_bytes, read_timeout=read_timeout))
