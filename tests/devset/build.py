"""Build ``gold.jsonl`` from the hand-annotated documents in ``src/``.

Each ``src/NN-slug.txt`` starts with ``published: YYYY-MM-DD`` (or ``YYYY-MM``), one blank
line, then the article with its gold entities marked inline (see ``../markup.py``). Writing
gold inline keeps offsets right by construction; this script only parses, checks and writes
one JSON line per document in the format of ``ANNOTATION.md``.

Run: ``python tests/devset/build.py``
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import markup

PUBLISHED = re.compile(r"published: (\d{4}-\d{2}(?:-\d{2})?)")
LABELS = {"PER", "ORG", "LOC", "DATE"}


def load(path: Path) -> dict:
    """One gold document from a marked-up source file; raises ValueError when malformed."""
    raw = path.read_text(encoding="utf-8")
    head, sep, body = raw.partition("\n\n")
    match = PUBLISHED.fullmatch(head.strip())
    if not sep or not match:
        raise ValueError(f"{path.name}: first line must be 'published: YYYY-MM[-DD]', then a blank line")
    # Keep leading spaces: a ' date YYYY-MM' header opens some articles, as in the seed.
    text, spans = markup.parse(body.rstrip())
    check(path.name, text, spans)
    return {"id": path.stem, "text": text, "meta": {"published": match.group(1)}, "spans": spans}


def check(name: str, text: str, spans: list[dict]) -> None:
    """Fail loudly on a span that does not match the text, overlaps, or has bad edges."""
    previous = None
    for span in spans:
        where = f"{name}: {span['label']} {span['text']!r} at {span['start']}"
        if span["label"] not in LABELS:
            raise ValueError(f"{where}: label outside {sorted(LABELS)}")
        if text[span["start"] : span["end"]] != span["text"]:
            raise ValueError(f"{where}: span text differs from text[start:end]")
        if span["text"] != span["text"].strip():
            raise ValueError(f"{where}: span has leading or trailing whitespace")
        if previous is not None and span["start"] < previous["end"]:
            raise ValueError(f"{where}: overlaps {previous['text']!r}")
        previous = span


def main() -> int:
    sources = sorted((HERE / "src").glob("*.txt"))
    if not sources:
        raise SystemExit("no source documents in src/")
    docs = [load(path) for path in sources]
    out = HERE / "gold.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for doc in docs:
        for span in doc["spans"]:
            counts[span["label"]] = counts.get(span["label"], 0) + 1
    summary = ", ".join(f"{label} {n}" for label, n in sorted(counts.items()))
    print(f"{out.name}: {len(docs)} documents, {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
