"""Benchmark of `entityx explore` on a 100,000-article archive, and of what the SQLite output
adds to a batch.

    python bench/explore.py [--texts 300] [--documents 100000] [--repeat 7] [--pairs 5]
                            [--overhead-texts 1000] [--keep DIR]

1. A real ``entityx batch`` of ``--texts`` articles (WiNER-fr from ../shared when it is there,
   else the development texts, cycled) into SQLite, each with a title, an outlet and a URL
   in its meta, as a press archive has.
2. That archive replicated to ``--documents`` articles: every document, mention and entity
   row copied with new ids, a new source and its publication date shifted a week per copy;
   then ``documents_fts`` and ``corpus_entities`` rebuilt, as ``entityx batch`` builds them.
3. ``entityx explore`` started on it; typical API calls (searches with and without words,
   facets, date ranges; entity pages of frequent and rare entities) timed warm: each call
   once to warm up, then ``--repeat`` times; median and p95 per kind.
4. The time the database adds to a batch: the same ``--overhead-texts`` articles to ``.jsonl``
   and to ``.sqlite`` (2 jobs), alternating A B A B, median of the per-pair ratios. Start-up
   (loading the model) is in both, as it is in a user's batch.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import resource
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from entityx.sinks.sqlite import CORPUS_ENTITIES

ROOT = Path(__file__).resolve().parents[1]
WINER = ROOT.parent / "shared" / "eval" / "winer-fr-2016.jsonl"
DEVSET = ROOT / "tests" / "devset" / "gold.jsonl"
BIN = Path(sys.executable).parent
ENTITYX = str(BIN / "entityx")
OUTLETS = ["Le Matin", "Hespress FR", "Le Monde", "Médias24", "Le Figaro", "Libération",
           "Le Desk", "TelQuel"]
CLEAN_ENV = {k: v for k, v in os.environ.items()
             if not k.startswith("ENTITYX_") and k != "PYTHONDONTWRITEBYTECODE"}


def corpus(path: Path, texts: int) -> Path:
    """``texts`` articles as a JSONL corpus with meta title, outlet, published and url."""
    source = WINER if WINER.exists() else DEVSET
    lines = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    with path.open("w", encoding="utf-8") as out:
        for n in range(texts):
            copy, item = divmod(n, len(lines))
            doc = lines[item]
            text = doc["text"] if copy == 0 else f"Copie {copy}.\n{doc['text']}"
            key = f"{doc['id']}-{copy}"
            outlet = OUTLETS[int(hashlib.sha1(key.encode()).hexdigest(), 16) % len(OUTLETS)]
            meta = {"title": text.strip().split("\n", 1)[0][:120], "outlet": outlet,
                    "url": f"https://example.org/articles/{key}"}
            if (doc.get("meta") or {}).get("published"):
                meta["published"] = doc["meta"]["published"]
            out.write(json.dumps({"id": key, "text": text, "meta": meta}, ensure_ascii=False) + "\n")
    return path


def batch(inputs: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds (the process and its workers) of ``entityx batch`` (2 jobs) of the
    corpus into ``out``."""
    for stale in (out, Path(f"{out}.journal")):
        stale.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([ENTITYX, "batch", str(inputs), "--jsonl", "-o", str(out), "-q", "--jobs", "2"],
                          capture_output=True, text=True, env=CLEAN_ENV, check=False)
    if done.returncode != 0:
        raise SystemExit(f"entityx batch failed: {done.stderr[-800:]}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def shifted(published: str | None, days: int) -> str | None:
    """``published`` (YYYY, YYYY-MM or YYYY-MM-DD) moved ``days`` later, at its precision."""
    from datetime import date, timedelta

    if not published:
        return published
    parts = published.split("-")
    day = date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    return (day + timedelta(days=days)).isoformat()[: len(published)]


def replicate(base: Path, out: Path, documents: int) -> float:
    """``base`` copied to ``out`` and its rows replicated to ``documents`` documents; the
    indexes are dropped while rows go in and made again after. Returns the seconds it took."""
    start = time.perf_counter()
    shutil.copyfile(base, out)
    db = sqlite3.connect(out, isolation_level=None)
    db.create_function("shifted", 2, shifted, deterministic=True)
    (count,) = db.execute("SELECT max(id) FROM documents").fetchone()
    copies = math.ceil(documents / count)
    indexes = [sql for (sql,) in db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]
    columns = [row[1] for row in db.execute("PRAGMA table_info(documents)")]
    moved = {
        "id": "id + c.n * :count", "source": "source || '#' || c.n",
        "published": "shifted(published, c.n * 7)", "meta_published": "shifted(meta_published, c.n * 7)",
        "meta": "json_set(meta, '$.published', shifted(json_extract(meta, '$.published'), c.n * 7))",
    }
    picked = ", ".join(moved.get(c, f'"{c}"') for c in columns)
    copy_numbers = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < :copies) "
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall():
        db.execute(f'DROP INDEX "{name}"')
    args = {"count": count, "copies": copies - 1, "documents": documents}
    db.execute(copy_numbers + f"INSERT INTO documents ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
               f"SELECT {picked} FROM documents, c WHERE id + c.n * :count <= :documents", args)
    for table in ("mentions", "entities"):
        names = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        picked = ", ".join("document_id + c.n * :count" if n == "document_id" else f'"{n}"' for n in names)
        db.execute(copy_numbers + f"INSERT INTO {table} SELECT {picked} FROM {table}, c "
                   "WHERE document_id <= :count AND document_id + c.n * :count <= :documents", args)
    for sql in indexes:
        db.execute(sql)
    db.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
    db.execute("DELETE FROM corpus_entities")
    db.execute(CORPUS_ENTITIES)
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()
    return time.perf_counter() - start


class Explorer:
    """``entityx explore`` on a free loopback port."""

    def __init__(self, database: Path) -> None:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen([ENTITYX, "explore", str(database), "--port", str(port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CLEAN_ENV)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"entityx explore exited: {self.process.stderr.read().decode()[-800:]}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise SystemExit("entityx explore did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def calls(database: Path) -> dict[str, list[str]]:
    """Typical calls of each kind: searches (words frequent and rare, facets, dates, no
    words) and entity pages (per label, the most frequent entity, the one at the first
    decile of the ranking by documents, and the median one)."""
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    entities = []
    for (label,) in db.execute("SELECT DISTINCT label FROM corpus_entities ORDER BY label").fetchall():
        ranked = [row[0] for row in db.execute(
            "SELECT id FROM corpus_entities WHERE label = ? ORDER BY documents DESC, id", [label])]
        entities += list(dict.fromkeys([ranked[0], ranked[len(ranked) // 10], ranked[len(ranked) // 2]]))
    (middle,) = db.execute("SELECT published FROM documents ORDER BY published "
                           "LIMIT 1 OFFSET (SELECT count(*) / 2 FROM documents)").fetchone()
    (person,) = db.execute("SELECT id FROM corpus_entities WHERE label = 'PER' ORDER BY documents DESC").fetchone()
    db.close()
    month = middle[:7]
    params = httpx.QueryParams
    searches = [
        "", "q=France", "q=police", "q=attentat", "q=président de la République", "q=Valence", "q=état d'urgence",
        "q=France&meta.outlet=Le+Monde", f"q=police&from={month}-01&to={month}-28",
        str(params({"entity": person})), str(params({"q": "ministre", "entity": person})),
        "meta.outlet=Le+Desk", f"from={month}-01&to={month}-28", "q=zzyzx", "q=police&page=5",
    ]
    return {"search": [f"/api/search?{s}" for s in searches],
            "entity page": [f"/api/entities/{quote(e, safe='')}" for e in entities]}


def latencies(server: Explorer, paths: list[str], repeat: int) -> tuple[list[float], dict[str, float]]:
    """Seconds of every call (each once to warm up, then ``repeat`` times), and the median
    of each path."""
    times, per_path = [], {}
    with httpx.Client(base_url=server.url, timeout=120) as client:
        for path in paths:
            answer = client.get(path)
            if answer.status_code != 200:
                raise SystemExit(f"{path}: {answer.status_code} {answer.text[:300]}")
            mine = []
            for _ in range(repeat):
                start = time.perf_counter()
                client.get(path).raise_for_status()
                mine.append(time.perf_counter() - start)
            times.extend(mine)
            per_path[path] = statistics.median(mine)
    return times, per_path


def overhead(inputs: Path, work: Path, pairs: int) -> dict[str, tuple[float, list]]:
    """Per measure (wall, CPU): the median of the per-pair ratios (batch to .sqlite) / (batch
    to .jsonl) - 1, and the pairs; runs alternate. CPU seconds (the batch and its workers)
    are the steadier measure on a machine other work shares."""
    runs = []
    for _ in range(pairs):
        runs.append((batch(inputs, work / "timing.jsonl"), batch(inputs, work / "timing.sqlite")))
    found = {}
    for n, measure in enumerate(("wall", "CPU")):
        pairs_ = [(j[n], s[n]) for j, s in runs]
        found[measure] = (statistics.median(s / j - 1 for j, s in pairs_), pairs_)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=300, help="articles of the real batch")
    parser.add_argument("--documents", type=int, default=100_000, help="articles of the replicated archive")
    parser.add_argument("--repeat", type=int, default=7, help="timed calls of each path, after one to warm up")
    parser.add_argument("--pairs", type=int, default=5, help="A B pairs of the build-overhead measure")
    parser.add_argument("--overhead-texts", type=int, default=1000, help="articles of the build-overhead batches")
    parser.add_argument("--keep", type=Path, help="a folder to keep the archive in (and reuse it)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="entityx-explore-bench-"))
    folder = args.keep or work
    folder.mkdir(parents=True, exist_ok=True)
    inputs = corpus(folder / "corpus.jsonl", args.texts)
    base, big = folder / "base.sqlite", folder / f"archive-{args.documents}.sqlite"
    print(f"corpus: {args.texts} articles from {WINER if WINER.exists() else DEVSET}", flush=True)
    if not big.exists():
        seconds, _ = batch(inputs, base)
        print(f"batch of {args.texts} articles to SQLite: {seconds:.1f} s", flush=True)
        seconds = replicate(base, big, args.documents)
        print(f"replicated to {args.documents:,} documents in {seconds:.0f} s "
              f"({big.stat().st_size / 2**20:.0f} MiB)", flush=True)
    db = sqlite3.connect(f"file:{big}?mode=ro", uri=True)
    counts = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("documents", "mentions", "entities", "corpus_entities")]
    db.close()
    print("archive: {:,} documents, {:,} mentions, {:,} document entities, {:,} corpus entities".format(*counts))
    server = Explorer(big)
    try:
        for kind, paths in calls(big).items():
            times, per_path = latencies(server, paths, args.repeat)
            print(f"{kind}: median {statistics.median(times) * 1000:.0f} ms, "
                  f"p95 {percentile(times, 0.95) * 1000:.0f} ms over {len(times)} calls "
                  f"({len(paths)} different, warm)")
            for path, median in sorted(per_path.items(), key=lambda item: -item[1]):
                print(f"    {median * 1000:7.1f} ms  {path}")
    finally:
        server.stop()
    found = overhead(corpus(work / "overhead.jsonl", args.overhead_texts), work, args.pairs)
    for measure, (ratio, runs) in found.items():
        print(f"build overhead ({measure}): batch to .sqlite vs .jsonl, {args.overhead_texts} articles, "
              f"{args.pairs} pairs: median {ratio:+.1%} "
              f"(jsonl/sqlite: {', '.join(f'{j:.1f}/{s:.1f} s' for j, s in runs)})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
