"""Benchmark: ``entityx batch --dask local:2`` against local ``--jobs 2`` on the same corpus.

    python bench/cluster.py [--quick] [--documents N]

On one machine the ratio is the engine's overhead (cluster start, shipping texts, results
back through the scheduler), not a speed-up. Runs alternate (local, dask, local, dask, ...)
and the median of the per-pair ratios is reported, for the whole command (start-up included)
and for the steady state (each command's start-up, measured on a one-document corpus in the
same alternation, subtracted). Then, on a scheduler with two workers started here, each
worker's peak RSS after the run, and the client's: what a cluster node needs per worker.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WINER = ROOT.parent / "shared" / "eval" / "winer-fr-2016.jsonl"
ENTITYX = Path(sys.executable).parent / "entityx"
sys.path.insert(0, str(ROOT / "tests"))  # tests/cluster.py starts a real cluster


def corpus(folder: Path, documents: int) -> Path:
    """``documents`` WiNER-fr texts as files (cycled, each copy marked so it is new text)."""
    texts = [json.loads(line)["text"] for line in WINER.read_text(encoding="utf-8").splitlines()]
    folder.mkdir()
    for i in range(documents):
        copy, text = divmod(i, len(texts))
        body = texts[text] if copy == 0 else f"Copie {copy}.\n{texts[text]}"
        (folder / f"{i:05d}.txt").write_text(body, encoding="utf-8")
    return folder


def wall(inputs: Path, out: Path, *how: str) -> float:
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    done = subprocess.run([str(ENTITYX), "batch", str(inputs), "-o", str(out), "-q", *how],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"entityx batch {' '.join(how)} failed: {done.stderr[-500:]}")
    return time.perf_counter() - start


def alternate(inputs: Path, work: Path, pairs: int) -> tuple[list[float], list[float]]:
    """Wall seconds of local --jobs 2 and of --dask local:2, run in alternation."""
    local, dask = [], []
    for _ in range(pairs):
        local.append(wall(inputs, work / "local.jsonl", "--jobs", "2"))
        dask.append(wall(inputs, work / "dask.jsonl", "--dask", "local:2"))
    if (work / "local.jsonl").read_bytes() != (work / "dask.jsonl").read_bytes():
        raise SystemExit("the outputs differ")
    return local, dask


def worker_memory(inputs: Path, work: Path) -> None:
    """Peak RSS of each worker of a real scheduler after a run, and of the client."""
    from cluster import running_cluster

    with running_cluster(work / "cluster.log") as (address, client):
        probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
                 "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)")
        command = [str(ENTITYX), "batch", str(inputs), "-o", str(work / "tcp.jsonl"), "-q",
                   "--dask", address]
        rss = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True,
                             text=True, check=True).stdout.split()[-1]
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    print(f"memory      per worker peak RSS: {', '.join(f'{v} MiB' for v in peaks.values())};"
          f" client (entityx batch --dask) {rss} MiB")


def main() -> None:
    quick = "--quick" in sys.argv
    documents = int(sys.argv[sys.argv.index("--documents") + 1]) if "--documents" in sys.argv else 300
    if not WINER.exists():
        raise SystemExit(f"{WINER} is missing: the benchmark reads the shared development set")
    pairs = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="entityx-bench-dask-") as temporary:
        work = Path(temporary)
        big, one = corpus(work / "big", documents), corpus(work / "one", 1)
        local0, dask0 = alternate(one, work, pairs)
        local, dask = alternate(big, work, pairs)
        whole = statistics.median(a / b for a, b in zip(local, dask))
        steady = statistics.median(
            (a - statistics.median(local0)) / (b - statistics.median(dask0))
            for a, b in zip(local, dask)
        )
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        print(f"start-up    one document: --jobs 2 {statistics.median(local0):6.1f} s   "
              f"--dask local:2 {statistics.median(dask0):6.1f} s")
        print(f"throughput  {documents} documents: --jobs 2 {documents / statistics.median(local):6.2f} docs/s"
              f"   --dask local:2 {documents / statistics.median(dask):6.2f} docs/s   (outputs identical)")
        print(f"ratio       dask/local throughput, median of {pairs}: whole command {whole:.2f}, "
              f"steady state {steady:.2f}")
        worker_memory(big, work)


if __name__ == "__main__":
    main()
