"""Build ``gold.jsonl`` from the hand-annotated documents in ``src/``.

Each ``src/NN-slug.txt`` starts with ``published: YYYY-MM-DD`` (or ``YYYY-MM``), one blank
line, then the article with its gold entities marked inline (:mod:`entityx.inline_gold`).
Writing gold inline keeps offsets right by construction; this script only parses, checks
and writes one JSON line per document in the format of ``ANNOTATION.md``.

Run: ``python tests/devset/build.py``
"""

import json
import sys
from collections import Counter
from pathlib import Path

from entityx.inline_gold import read_marked

HERE = Path(__file__).resolve().parent


def build(sources: list[Path], out: Path) -> None:
    """Write the gold of ``sources`` to ``out``, one document a line, and say what it holds."""
    if not sources:
        raise SystemExit("no source documents")
    docs = [read_marked(path) for path in sources]
    with out.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    counts = Counter(span["label"] for doc in docs for span in doc["spans"])
    summary = ", ".join(f"{label} {n}" for label, n in sorted(counts.items()))
    print(f"{out.name}: {len(docs)} documents, {summary}", file=sys.stderr)


if __name__ == "__main__":
    build(sorted((HERE / "src").glob("*.txt")), HERE / "gold.jsonl")
