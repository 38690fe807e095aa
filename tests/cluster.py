"""A real Dask cluster for the tests: a ``dask scheduler`` and two ``dask worker`` processes
(single-threaded, with nannies) on 127.0.0.1, on a free port, stopped afterwards."""

from __future__ import annotations

import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

DASK = Path(sys.executable).parent / "dask"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_cluster(log_path: Path, workers: int = 2):
    """(address, client) of a scheduler with ``workers`` workers, all of them joined."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = open(log_path, "wb")  # noqa: SIM115  (closed below, after the processes)
    flags = ["--host", "127.0.0.1", "--no-dashboard"]
    http = ["--dashboard-address", "127.0.0.1:0"]  # its health page, on no fixed port
    command = [DASK, "scheduler", "--port", str(port), *flags, *http]
    processes = [subprocess.Popen(command, stderr=log)]
    processes += [
        subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--name", f"w{i}", *flags],
                         stderr=log)
        for i in range(workers)
    ]
    try:
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=120)
            yield address, client
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        log.close()
