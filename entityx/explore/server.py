"""Start uvicorn on the explorer: serve's protocol (a deadline for each request to arrive
whole), serve's logging (all on stderr) and serve's warning for an address other machines
reach. One process: the work is SQLite reads, done in the app's threads."""

from __future__ import annotations

import os
import sys

import uvicorn

from entityx.explore.app import create_app
from entityx.explore.archive import Archive
from entityx.serve.server import PROTOCOL, address, exposure, logging_config
from entityx.serve.settings import Settings


def explore(archive: Archive, host: str, port: int, settings: Settings) -> None:
    """Run until stopped (SIGTERM, Ctrl-C)."""
    warning = exposure(host, settings.token)
    if warning:
        print(warning, file=sys.stderr)
    os.environ.update(settings.to_env())  # the protocol reads --read-timeout there
    layout = archive.layout
    print(f"entityx explore: {address(host, port)} ({archive.path.name}: {layout.documents} documents, "
          f"{layout.entities} entities{'' if layout.has_text else ', no texts: no full-text search'}; "
          f"token {'required' if settings.token else 'not required'}, "
          f"{settings.read_timeout:g} s to send a request)", file=sys.stderr, flush=True)
    uvicorn.run(create_app(archive, settings), host=host, port=port, log_config=logging_config(),
                http=PROTOCOL, timeout_graceful_shutdown=int(archive.budget) + 5, server_header=False)
