"""Start uvicorn on the app: loopback by default, logs (access log too) on stderr.

uvicorn already does what a service needs: ``--workers`` processes that it supervises,
and on SIGTERM or Ctrl-C it stops accepting, lets in-flight requests finish (up to the
request time limit, plus a margin), then runs the app's shutdown.
"""

from __future__ import annotations

import copy
import ipaddress
import os
import sys

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from entityx.serve.settings import Settings

APP = "entityx.serve.app:create_app"
PROTOCOL = "entityx.serve.protocol:ReadTimeoutProtocol"


def logging_config() -> dict:
    """uvicorn's own logging, with its access log moved from stdout to stderr."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    return config


def exposure(host: str, token: str | None) -> str | None:
    """The warning to give when ``host`` is reachable from other machines, else None."""
    try:
        if host == "localhost" or ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass  # a host name: it may resolve to anything
    return (f"Warning: listening on {host}, reachable from other machines"
            + ("" if token else ", and without a token (--token)"))


def address(host: str, port: int) -> str:
    """The server's address as a browser takes it (an IPv6 host in brackets)."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(host: str, port: int, workers: int, settings: Settings) -> None:
    """Run until stopped; the settings reach every worker through the environment."""
    warning = exposure(host, settings.token)
    if warning:
        print(warning, file=sys.stderr)
    os.environ.update(settings.to_env())
    print(f"entityx serve: {address(host, port)} ({workers} worker{'s' if workers > 1 else ''}, "
          f"token {'required' if settings.token else 'not required'}, "
          f"bodies up to {settings.max_bytes} bytes and {settings.max_documents} documents, "
          f"{settings.read_timeout:g} s to send a request, {settings.timeout:g} s to answer it)",
          file=sys.stderr, flush=True)
    uvicorn.run(
        APP, factory=True, host=host, port=port, workers=workers, log_config=logging_config(),
        http=PROTOCOL,
        timeout_graceful_shutdown=int(settings.timeout) + 5, server_header=False,
    )
