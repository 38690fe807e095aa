"""Benchmark of `entityx serve`: warm requests and client mode against a cold `entityx extract`.

    python bench/serve.py [--quick]

Cold runs and the runs measured against them alternate (A B A B ...), and each figure is
the median of the per-pair ratios:
- warm: ``POST /v1/extract`` of the reference article on a running server (median and p99
  over >= 50 requests) vs. a cold ``entityx extract`` process (bar: <= 0.04);
- client mode: ``entityx extract`` with ``ENTITYX_URL`` set vs. cold (bar: <= 0.10), whether
  its output is identical, and what ``python -X importtime`` says its imports cost;
- throughput: requests a second from 8 concurrent clients, ``--workers 1`` and ``--workers 2``.
"""

from __future__ import annotations

import math
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "000_1aa1127573d74705.txt"
BIN = Path(sys.executable).parent
ENTITYX = str(BIN / "entityx")
# As on a user's machine, bytecode is cached (this workplace sets PYTHONDONTWRITEBYTECODE,
# which makes every process compile entityx's modules again): cold and client runs alike.
CLEAN_ENV = {k: v for k, v in os.environ.items()
             if not k.startswith("ENTITYX_") and k != "PYTHONDONTWRITEBYTECODE"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, workers: int) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        self.process = subprocess.Popen(
            [ENTITYX, "serve", "--port", self.url.rsplit(":", 1)[1], "--workers", str(workers)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=CLEAN_ENV,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise SystemExit("entityx serve did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def timed(command: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - start, done.stdout


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def warm_and_client(server: Server, pairs: int) -> None:
    text = SEED.read_text(encoding="utf-8")
    cold_command = [ENTITYX, "extract", str(SEED), "-f", "json"]
    client_env = {**CLEAN_ENV, "ENTITYX_URL": server.url}
    per_block = math.ceil(50 / pairs)
    for env in (CLEAN_ENV, client_env):  # once unmeasured: bytecode written, files in the page cache
        timed(cold_command, env)
    colds, warms, clients, warm_ratios, client_ratios = [], [], [], [], []
    identical = True
    with httpx.Client(base_url=server.url, timeout=120) as http:
        for _ in range(pairs):
            cold, expected = timed(cold_command, CLEAN_ENV)
            block = []
            for _ in range(per_block):
                start = time.perf_counter()
                http.post("/v1/extract", json={"text": text}).raise_for_status()
                block.append(time.perf_counter() - start)
            client, output = timed(cold_command, client_env)
            identical &= output == expected
            colds.append(cold)
            warms += block
            clients.append(client)
            warm_ratios.append(statistics.median(block) / cold)
            client_ratios.append(client / cold)
    print(f"cold        entityx extract (new process): median {statistics.median(colds) * 1000:7.0f} ms "
          f"over {len(colds)} runs")
    print(f"warm        POST /v1/extract: median {statistics.median(warms) * 1000:6.1f} ms, "
          f"p99 {percentile(warms, 0.99) * 1000:6.1f} ms over {len(warms)} requests   "
          f"ratio to cold {statistics.median(warm_ratios):.3f} (bar 0.04)")
    print(f"client      entityx extract with ENTITYX_URL: median {statistics.median(clients) * 1000:6.0f} ms   "
          f"ratio to cold {statistics.median(client_ratios):.3f} (bar 0.10)   output identical: {identical}")


def import_cost() -> None:
    """What importing the CLI costs, from ``python -X importtime`` (microseconds, cumulative)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import entityx.cli"],
                          capture_output=True, text=True, env=CLEAN_ENV, check=True)
    rows = [re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line) for line in done.stderr.splitlines()]
    top = {m.group(4): int(m.group(2)) for m in rows if m and len(m.group(3)) <= 3}
    heaviest = sorted(top.items(), key=lambda item: -item[1])[:5]
    spacy = any(m and m.group(4).split(".")[0] == "spacy" for m in rows)
    print(f"imports     import entityx.cli: {top.get('entityx.cli', 0) / 1000:.0f} ms; heaviest: "
          + ", ".join(f"{name} {us / 1000:.0f} ms" for name, us in heaviest) + f"; spacy imported: {spacy}")


def throughput(workers: int, clients: int = 8, each: int = 10) -> float:
    server = Server(workers)
    text = SEED.read_text(encoding="utf-8")

    def session(_):
        with httpx.Client(base_url=server.url, timeout=300) as http:
            return [http.post("/v1/extract", json={"text": text}).status_code for _ in range(each)]

    try:
        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            codes = [code for batch in pool.map(session, range(clients)) for code in batch]
        wall = time.perf_counter() - start
    finally:
        server.stop()
    errors = sum(code != 200 for code in codes)
    print(f"throughput  --workers {workers}: {len(codes) / wall:6.1f} requests/s "
          f"({clients} clients x {each} requests, {errors} errors, {wall:.1f} s)")
    return len(codes) / wall


def main() -> None:
    quick = "--quick" in sys.argv
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    server = Server(workers=1)
    try:
        warm_and_client(server, pairs=3 if quick else 7)
    finally:
        server.stop()
    import_cost()
    one = throughput(1)
    two = throughput(2)
    print(f"            --workers 2 / --workers 1: {two / one:.2f}")


if __name__ == "__main__":
    main()
