"""Reaching a Dask cluster from ``entityx batch --dask ADDRESS``.

``ADDRESS`` is a running scheduler (``tcp://host:8786``) or ``local:N``, a ``LocalCluster`` of
N single-threaded worker processes on this machine, for trying it out. Dask is optional: when
it is missing, :class:`ClusterError` says how to install it.
"""

from __future__ import annotations

import logging
import re
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
    if (local and int(local[1]) >= 1) or re.fullmatch(r"(tcp|tls|ucx|inproc)://\S+", address):
        return address
    raise ClusterError(f"--dask {address!r}: expected tcp://HOST:PORT or local:N (N workers)")


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
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
