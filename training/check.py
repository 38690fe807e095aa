"""Check hand-annotated training articles and list what a second pass must look at.

For each marked-up file (``published: …``, a blank line, the article with ``[span]{LABEL}``
marks): the markup is parsed and checked (offsets, overlaps, edges), then every capitalised
word that no span covers is listed with its context, and every DATE without a value. The
second annotator reads that list and, for each word, either marks it or is sure it is not
an entity by the guidelines (a sentence's first word, a generic noun, a nationality, an
event...).

Run: ``python training/check.py training/corpus/*.txt`` (``--quiet`` prints errors only).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from entityx.inline_gold import read_marked

CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’.-]*")
# Sentence openers that are never names: listing them would bury the words worth a look.
OPENER_WORDS = """
A À Au Aux Après Avant Ce Cet Cette Ces C'est D'après Dans De Des Du Elle Elles En Et Il Ils La Le
Les Leur L'enquête Lire Mais Même Ni Nous On Or Ou Par Parmi Pour Quant Sa Se Selon Ses Si Son Sur
Un Une Vers
"""
OPENERS = frozenset(OPENER_WORDS.split())


def uncovered(text: str, spans: list[dict]) -> list[tuple[str, str]]:
    """(word, context) of each capitalised word outside every span, first occurrence only."""
    covered = [(s["start"], s["end"]) for s in spans]
    seen, found = set(), []
    for m in CAPITALISED.finditer(text):
        word = m.group().rstrip(".")
        if any(a <= m.start() < b for a, b in covered) or word in seen or word in OPENERS:
            continue
        seen.add(word)
        context = text[max(0, m.start() - 40) : m.end() + 40].replace("\n", " ")
        found.append((word, context))
    return found


def main(paths: list[str]) -> int:
    quiet = "--quiet" in paths
    files = [Path(p) for p in paths if p != "--quiet"]
    errors, totals = 0, Counter()
    for path in files:
        try:
            doc = read_marked(path)
        except (ValueError, OSError) as exc:
            print(f"ERROR {exc}")
            errors += 1
            continue
        totals.update(s["label"] for s in doc["spans"])
        if quiet:
            continue
        print(f"== {path.name} ({doc['meta']['published']}): "
              + ", ".join(f"{k} {v}" for k, v in sorted(Counter(s['label'] for s in doc['spans']).items())))
        for word, context in uncovered(doc["text"], doc["spans"]):
            print(f"   uncovered {word!r}: …{context}…")
        for s in doc["spans"]:
            if s["label"] == "DATE" and "norm" not in s:
                print(f"   DATE without value: {s['text']!r}")
    print(f"{len(files)} files, {errors} with errors; "
          + ", ".join(f"{k} {v}" for k, v in sorted(totals.items())), file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
