"""Reaching a Dask cluster from ``entityx batch --dask ADDRESS``.

``ADDRESS`` is a running scheduler (``tcp://host:8786``) or ``local:N``, a ``LocalCluster`` of
N single-threaded worker processes on this machine, for trying it out. Dask is optional: when
it is missing, :class:`ClusterError` says how to install it.
"""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager

INSTALL = "pip install 'entityx[dask]'"
LOCAL = re.compile(r"local:(\d+)")
TIMEOUT = "30s"  # to reach a scheduler


class ClusterError(Exception):
    """The cluster cannot be reached or used; the message says why, for the user."""


def check_address(address: str) -> str:
    """``address`` if it names a scheduler or ``local:N`` (N >= 1), else a ClusterError."""
    local = LOCAL.fullmatch(address)
    remote = re.fullmatch(r"(tcp|tls|ucx|inproc)://(\S+?)(?::(\d+))?", address)
    if (local and int(local[1]) >= 1) or (remote and (remote[3] is None or 0 < int(remote[3]) < 65536)):
        return address
    raise ClusterError(f"--dask {address!r}: expected tcp://HOST:PORT (a port from 1 to 65535) "
                       "or local:N (N workers)")


def refused(address: str) -> str | None:
    """Why a ``tcp://`` scheduler cannot be reached at all (nobody listens, no such host),
    found at once; Dask itself would retry for its whole timeout."""
    remote = re.fullmatch(r"tcp://\[?([^\]]+?)\]?:(\d+)", address)
    if not remote:
        return None
    try:
        socket.create_connection((remote[1], int(remote[2])), timeout=5).close()
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


@contextmanager
def quiet_dask() -> Iterator[None]:
    """Dask's own loggers silenced for the run: a lost scheduler becomes one ``Error:`` line
    (the :class:`ClusterError`), not tracebacks logged by ``distributed`` on stderr."""
    names = ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]
    loggers = [logging.getLogger(name) for name in names]  # some have levels of their own
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def require_dask() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ClusterError(f"--dask needs Dask, which is not installed: {INSTALL}") from None


@contextmanager
def connect(address: str) -> Iterator:
    """A ``distributed.Client`` on ``address``, closed (with its LocalCluster) afterwards."""
    check_address(address)
    require_dask()
    from distributed import Client, LocalCluster

    reason = refused(address)
    if reason:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {reason}")
    cluster = None
    try:
        if local := LOCAL.fullmatch(address):
            cluster = LocalCluster(
                n_workers=int(local[1]), threads_per_worker=1, processes=True,
                dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        else:
            client = Client(address, timeout=TIMEOUT)
    except OSError as exc:  # includes timeouts reaching the scheduler
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        with quiet_dask():
            yield client
    finally:
        with quiet_dask():
            client.close()
            if cluster is not None:
                cluster.close()
