"""What a very large single file costs: peak RSS and time of ``entityx extract`` on one file.

    python bench/large_file.py [--sizes 5,20,50]

Builds, for each size (MB), one article from the tests/devset/src texts repeated, and runs
``entityx extract FILE -f json -o OUT`` on it, in alternation with the same command on the
reference article (the baseline: a short file, same run, same machine load). Prints, for each
size, the peak RSS (MiB) and wall/CPU seconds of both, and the median ratios. Memory must stay
under 400 MiB whatever the size; time grows with the text (the model's pace).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "tests" / "devset" / "src"
SEED = ROOT / "samples" / "000_1aa1127573d74705.txt"
ENTITYX = Path(sys.executable).parent / "entityx"
LIMIT = 400  # MiB
# A fresh child runs the command, so its peak RSS is the command's alone.
PROBE = """
import json, resource, subprocess, sys, time
wall = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - wall
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": done.returncode, "err": done.stderr[-300:], "wall": wall,
                  "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024}))
"""


def build(path: Path, megabytes: int) -> int:
    """One article of ``megabytes`` MB from the development texts repeated; its size in bytes."""
    body = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in sorted(SOURCES.glob("*.txt")))
    copies = megabytes * 1_000_000 // len(body.encode("utf-8")) + 1
    path.write_text("\n\n".join([body] * copies), encoding="utf-8")
    return path.stat().st_size


def measure(article: Path, out: Path) -> dict:
    command = [sys.executable, "-c", PROBE, str(ENTITYX), "extract", str(article), "-f", "json", "-o", str(out)]
    result = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    if result["rc"] != 0:
        raise SystemExit(f"entityx extract {article.name} failed: {result['err']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,20,50", help="file sizes in MB, comma-separated")
    parser.add_argument("--rounds", type=int, default=1, help="A B rounds per size (median reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="entityx-bench-") as folder:
        folder = Path(folder)
        print(f"{'size':>8} {'peak RSS':>10} {'baseline':>9} {'ratio':>6} {'wall s':>8} {'cpu s':>8} "
              f"{'MB/cpu-min':>10}  under {LIMIT} MiB")
        for megabytes in (int(s) for s in args.sizes.split(",")):
            article = folder / f"{megabytes}mb.txt"
            size = build(article, megabytes)
            large, small = [], []
            for _ in range(args.rounds):  # A B A B ...: the baseline sees the same load
                small.append(measure(SEED, folder / "seed.json"))
                large.append(measure(article, folder / "out.json"))
            rss = statistics.median(r["rss"] for r in large)
            base = statistics.median(r["rss"] for r in small)
            ratio = statistics.median(a["rss"] / b["rss"] for a, b in zip(large, small))
            wall = statistics.median(r["wall"] for r in large)
            cpu = statistics.median(r["cpu"] for r in large)
            print(f"{size / 1e6:>6.1f}MB {rss:>6.0f} MiB {base:>5.0f} MiB {ratio:>6.2f} {wall:>8.0f} {cpu:>8.0f} "
                  f"{size / 1e6 / (cpu / 60):>10.2f}  {'yes' if rss < LIMIT else 'NO'}", flush=True)
            article.unlink()


if __name__ == "__main__":
    main()
