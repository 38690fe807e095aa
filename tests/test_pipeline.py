"""The library on the real model: the reference article, the development set, and the
guidelines' span boundaries, acronyms and knowledge on texts written for them."""

from __future__ import annotations

import pytest
from conftest import DEVSET, SEED_GOLD, SEED_TEXT, TESTS, read_jsonl

import entityx
from entityx.evaluate import Scores, evaluate
from entityx.model import LABELS


def mentions(text: str, published: str | None = "2024-09-05", labels=LABELS):
    return [(m.text, m.label) for m in entityx.extract(text, published, labels=labels).entities]


def micro_f1(scores: Scores) -> float:
    return scores.table()["labels"]["micro"]["f1"]


def test_reference_article_golden(shared):
    gold = read_jsonl(SEED_GOLD)
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert gold[0]["text"] == text
    result = entityx.extract(text)
    got = {(m.start, m.end, m.label): m.norm for m in result.entities}
    want = {(s["start"], s["end"], s["label"]): s.get("norm") for s in gold[0]["spans"]}
    assert result.published == "2024-09"  # from the article's own header
    # Every agency mention the issue names is found and linked to its knowledge-base entry.
    for m in result.entities:
        if m.text in {"DGSN", "DGST", "Interpol", "Organisation internationale de police criminelle"}:
            assert m.kb_id is not None and (m.start, m.end, "ORG") in want
    assert all(got.get(k) == v for k, v in want.items() if k[2] == "DATE")
    scores, _ = evaluate(gold, ["PER", "ORG", "LOC", "DATE"])
    assert micro_f1(scores) == 1.0  # every span of the gold, nothing else


def test_development_set_holds_its_score():
    """In-sample: the shipped model was trained on these texts (its held-out figure is in
    entityx/models/cv.json), so a drop here means the pipeline around the model broke (a
    component, the knowledge, the offsets), not that it generalises less."""
    gold = read_jsonl(DEVSET)
    scores, _ = evaluate(gold, ["PER", "ORG", "LOC"])
    support = {label: sum(s["label"] == label for d in gold for s in d["spans"]) for label in ("PER", "ORG", "LOC")}
    assert {label: scores.table()["labels"][label]["support"] for label in support} == support
    assert micro_f1(scores) >= 0.97  # it scores 1.000; the bar leaves room for a retrained model


@pytest.mark.parametrize(
    "text, expected",
    [
        ("La France a salué la coopération.", [("France", "LOC")]),
        ("M. Veaux a salué le directeur général Abdellatif Hammouchi.",
         [("Veaux", "PER"), ("Abdellatif Hammouchi", "PER")]),
        ("Le patron du pôle DGSN-DGST était présent.", [("DGSN", "ORG"), ("DGST", "ORG")]),
        ("Les services de sécurité et les autorités judiciaires françaises ont coopéré.", []),
        ("Le ministre de l'Intérieur a visité le ministère de l'Intérieur.", [("ministère de l'Intérieur", "ORG")]),
        ("Une délégation de la région du Moyen-Orient est arrivée.", [("Moyen-Orient", "LOC")]),
        ("Les saisies du port de Tanger Med ont doublé.", [("port de Tanger Med", "LOC")]),
        ("Lire aussi : Coopération sécuritaire renforcée avec l'Espagne", [("Espagne", "LOC")]),
        ("Les éléments de la gendarmerie royale ont intercepté une embarcation.", [("gendarmerie royale", "ORG")]),
    ],
)
def test_boundaries_follow_the_guidelines(text, expected):
    assert mentions(text, labels=["PER", "ORG", "LOC"]) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Un Français et deux Marocains ont été interpellés en Suisse.", [("Suisse", "LOC")]),
        ("L'armée syrienne a repris la ville.", [("armée syrienne", "ORG")]),
        ("Elle vise une médaille aux Jeux olympiques de Rio.", [("Rio", "LOC")]),
        ("Les vols entre l'aéroport Mohammed V de Casablanca et Montréal reprennent.",
         [("aéroport Mohammed V", "LOC"), ("Casablanca", "LOC"), ("Montréal", "LOC")]),
        ("Groupe A : France - Albanie, à 21h à Marseille.",
         [("France", "LOC"), ("Albanie", "LOC"), ("Marseille", "LOC")]),
        ("Une délégation de la région MENA et d'Amérique latine est arrivée.",
         [("MENA", "LOC"), ("Amérique latine", "LOC")]),
        ("Le pronostic de l'Iranien Mojtaba Abedini est réservé.", [("Mojtaba Abedini", "PER")]),
    ],
)
def test_places_and_nationalities(text, expected):
    got = mentions(text, labels=["PER", "ORG", "LOC", "MISC"])
    assert [m for m in got if m[1] != "MISC" or m in expected] == expected


def test_acronym_defined_after_its_long_form_links_later_uses():
    doc = entityx.extract("Le Centre marocain d'études stratégiques (CMES) a publié un rapport. "
                          "Selon le CMES, la menace persiste.")
    assert [(m.text, m.label) for m in doc.entities] == [
        ("Centre marocain d'études stratégiques", "ORG"), ("CMES", "ORG"), ("CMES", "ORG")]
    assert len({m.group for m in doc.entities}) == 1


def test_acronym_first_then_long_form_in_parentheses():
    doc = entityx.extract("L'ARSC (Agence régionale de sécurité civile) intervient. Plus tard, l'ARSC a confirmé.")
    assert [(m.text, m.label) for m in doc.entities] == [
        ("ARSC", "ORG"), ("Agence régionale de sécurité civile", "ORG"), ("ARSC", "ORG")]


def test_french_acronym_skips_function_words_and_keeps_the_kb_link():
    doc = entityx.extract("Rabat, le 3 mai 2024 – La Direction Générale de la Sûreté Nationale (DGSN) a "
                          "communiqué. La DGSN précise.", labels=["ORG"])
    assert {m.kb_id for m in doc.entities} == {"ma-dgsn"} and len(doc.entities) == 3


def test_shortened_long_form_before_a_known_acronym_is_linked():
    doc = entityx.extract("L'Office central de lutte contre la cybercriminalité (OCLCTIC) a arrêté un suspect.")
    assert [m.kb_id for m in doc.entities] == ["fr-oclctic", "fr-oclctic"]


def test_ambiguous_acronym_is_linked_only_when_its_long_form_is_named():
    bare = entityx.extract("Il a présenté sa CNI au guichet.", labels=["ORG"])
    named = entityx.extract("Le Centro Nacional de Inteligencia espagnol coopère. Le CNI a confirmé.", labels=["ORG"])
    assert all(m.kb_id is None for m in bare.entities)
    assert {m.kb_id for m in named.entities if m.text == "CNI"} == {"es-cni"}


def test_templates_name_courts_by_city():
    doc = entityx.extract("La Cour d'appel de Rabat a confirmé le verdict.", labels=["ORG", "LOC"])
    assert [(m.text, m.label) for m in doc.entities] == [("Cour d'appel de Rabat", "ORG")]


def test_user_patterns_add_names(tmp_path):
    patterns = tmp_path / "p.jsonl"
    patterns.write_text('{"label": "ORG", "pattern": "Cellule Atlas"}\n', encoding="utf-8")
    doc = entityx.extract("La Cellule Atlas a été démantelée.", patterns=patterns)
    assert ("Cellule Atlas", "ORG") in [(m.text, m.label) for m in doc.entities]


def test_offsets_are_characters_of_the_text():
    text = "Réunion à Lyon — l’Organisation internationale de police criminelle 🚓 et la DGSN, hier."
    doc = entityx.extract(text, "2024-09-05")
    assert doc.entities and all(text[m.start : m.end] == m.text for m in doc.entities)


def test_text_longer_than_max_length_is_processed_whole(nlp, monkeypatch):
    monkeypatch.setattr(nlp, "max_length", 5_000)  # the mechanism, not the 1 MB default, is tested
    paragraph = "La DGSN a interpellé un suspect à Tanger le 5 septembre 2024.\n\n"
    text = paragraph * (nlp.max_length // len(paragraph) * 4) + "Fin à Rabat sans saut de ligne. " * 400
    doc = entityx.extract(text)
    assert len(text) > 4 * nlp.max_length
    assert sum(m.text == "Tanger" for m in doc.entities) == text.count("Tanger")
    assert sum(m.text == "Rabat" for m in doc.entities) == text.count("Rabat")
    assert all(text[m.start : m.end] == m.text for m in doc.entities)


def test_empty_text_has_no_entities():
    doc = entityx.extract("")
    assert doc.entities == [] and doc.groups == []


def test_misc_only_on_request():
    text = "Les ressortissants marocains ont assisté à la Coupe du monde."
    assert all(label != "MISC" for _, label in mentions(text))
    assert any(label == "MISC" for _, label in mentions(text, labels=["MISC"]))


@pytest.mark.parametrize("module", ["entityx", "entityx.core"])
def test_docstring_examples_hold(module, nlp):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted and not result.failed


def test_development_gold_is_built_from_its_sources():
    from entityx.inline_gold import read_marked

    sources = sorted((DEVSET.parent / "src").glob("*.txt"))
    assert len(sources) >= 25
    assert [read_marked(path) for path in sources] == read_jsonl(DEVSET)


def test_a_later_piece_of_a_long_text_takes_no_reference_of_its_own(nlp, monkeypatch):
    monkeypatch.setattr(nlp, "max_length", 5_000)
    text = "Un article sans date.\n\n" + "Texte. " * 1_000 + "\n\nCasablanca, le 5 mars 2024 – hier, la DGSN a parlé."
    doc = entityx.extract(text)
    assert doc.published is None
    assert [(m.text, m.norm) for m in doc.entities if m.label == "DATE"] == [("5 mars 2024", "2024-03-05"), ("hier", None)]


def test_every_mention_says_where_its_label_came_from(tmp_path):
    patterns = tmp_path / "p.jsonl"
    patterns.write_text('{"label": "ORG", "pattern": "Cellule Atlas"}\n', encoding="utf-8")
    text = ("La Cellule Atlas et la DGSN ont coopéré avec l'Office régional de veille (ORV) "
            "le 5 septembre 2024 à Tanger. Karim Alaoui a salué l'Algérie.")
    got = {m.text: m.source for m in entityx.extract(text, patterns=patterns).entities}
    assert got["Cellule Atlas"] in {"patterns", "model+patterns"} and got["5 septembre 2024"] == "rule"
    assert got["DGSN"] in {"kb", "model+kb"} and got["ORV"] == "acronym"
    assert got["Tanger"] in {"gazetteer", "model+gazetteer"} and got["Karim Alaoui"] == "model"


def test_saved_pipeline_loads_in_a_fresh_process_with_identical_entities(tmp_path):
    import json
    import subprocess
    import sys

    kb = tmp_path / "kb.jsonl"
    kb.write_text(json.dumps({"id": "ch-cvl", "name": "Cellule de veille du Léman", "acronyms": ["CVL"],
                              "ambiguous_acronyms": [], "variants": [], "country": "CH", "kind": "police",
                              "templates": [], "example": "La CVL a signalé un suspect."}) + "\n", encoding="utf-8")
    nlp = entityx.load_pipeline(kb=kb)
    nlp.to_disk(tmp_path / "saved")
    kb.unlink()  # the saved pipeline carries its own copy of the knowledge
    text = ("La CVL et la DGSN ont arrêté le 5 septembre 2024 à Tanger un suspect recherché par "
            "Interpol. M. Tanger a démenti ; l'Élysée aussi.")
    code = ("import json, sys, spacy; doc = spacy.load(sys.argv[1])(sys.argv[2]); "
            "print(json.dumps([[e.start_char, e.end_char, e.label_, e.kb_id_, e._.source, e._.norm] for e in doc.ents]));"
            "print(any(m == 'entityx' for m in sys.modules) and 'imported by entry point')")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "saved"), text],
                          capture_output=True, text=True, cwd=tmp_path, check=True)
    doc = nlp(text)
    want = [[e.start_char, e.end_char, e.label_, e.kb_id_, e._.source, e._.norm] for e in doc.ents]
    assert json.loads(done.stdout.splitlines()[0]) == want
    assert any(e[3] == "ch-cvl" for e in want)


def test_a_saved_pipeline_reads_and_validates_its_own_knowledge(tmp_path, nlp):
    import json

    import spacy

    from entityx.knowledge import KnowledgeError

    nlp.to_disk(tmp_path / "saved", exclude=["ner"])
    lexicon = tmp_path / "saved" / "entityx_places" / "lexicon.json"
    data = json.loads(lexicon.read_text(encoding="utf-8"))
    text = "La police lacustre a secouru deux baigneurs."
    assert spacy.load(tmp_path / "saved", exclude=["ner"])(text).ents == ()
    data["body_qualifiers"]["words"].append("lacustre")
    lexicon.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    loaded = spacy.load(tmp_path / "saved", exclude=["ner"])
    assert [(e.text, e.label_) for e in loaded(text).ents] == [("police lacustre", "ORG")]
    data["body_qualifiers"]["words"] = "lacustre"
    lexicon.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="lexicon.json: body_qualifiers: words: expected a list of strings"):
        spacy.load(tmp_path / "saved", exclude=["ner"])


def test_a_surname_takes_the_label_of_its_full_name():
    doc = entityx.extract("Le président turc Recep Tayyip Erdogan a parlé à Ankara. Erdogan a ensuite quitté "
                          "la ville. Selon Erdogan, tout va bien.", labels=["PER", "LOC"])
    assert [(m.text, m.label) for m in doc.entities] == [
        ("Recep Tayyip Erdogan", "PER"), ("Ankara", "LOC"), ("Erdogan", "PER"), ("Erdogan", "PER")]
    assert len({m.group for m in doc.entities if "Erdogan" in m.text}) == 1


def test_a_surname_is_not_cut_out_of_a_longer_name(nlp):
    from spacy.tokens import Span

    doc = nlp.make_doc("Charles Dupont a parlé. Dupont Industries et Jean de Dupont se taisent. Dupont sourit.")
    doc.ents = [Span(doc, 0, 2, label="PER")]
    found = [(e.text, e.start) for e in nlp.get_pipe("entityx_arbiter")(doc).ents]
    assert found == [("Charles Dupont", 0), ("Dupont", 14)]


def test_a_surname_the_model_labelled_otherwise_takes_its_full_name_s_label(nlp):
    from spacy.tokens import Span

    arbiter = nlp.get_pipe("entityx_arbiter")
    doc = nlp.make_doc("Recep Tayyip Erdogan a parlé. Erdogan a quitté Ankara.")
    doc.ents = [Span(doc, 0, 3, label="PER"), Span(doc, 6, 7, label="LOC"), Span(doc, 9, 10, label="LOC")]
    assert [(e.text, e.label_, e._.source) for e in arbiter(doc).ents] == [
        ("Recep Tayyip Erdogan", "PER", None), ("Erdogan", "PER", "rule"), ("Ankara", "LOC", None)]


def test_a_mention_with_person_evidence_keeps_its_label():
    doc = entityx.extract("Un policier en poste à Namur a été inculpé à Namur. Son avocat, Me Namur, conteste.",
                          labels=["PER", "LOC"])
    assert [(m.text, m.label) for m in doc.entities] == [("Namur", "LOC"), ("Namur", "LOC"), ("Namur", "PER")]


def test_span_values_are_the_span_extensions(nlp):
    """entityx.spanvalues reads and writes where spaCy keeps ``Span._`` values: what one
    side writes the other reads, and an unset value is the extension's default."""
    from spacy.tokens import Span

    from entityx.spanvalues import set_value, source_of, value

    doc = nlp.make_doc("La DGSN a arrêté deux suspects à Tanger.")
    agency, city = Span(doc, 1, 2, label="ORG"), Span(doc, 7, 8, label="LOC")
    assert (value(agency, "canonical"), source_of(agency)) == (agency._.canonical, "model") == (None, "model")
    set_value(agency, "canonical", "Direction générale de la sûreté nationale")
    city._.source = "gazetteer"
    assert agency._.canonical == "Direction générale de la sûreté nationale"
    assert (value(city, "source"), source_of(city)) == ("gazetteer", "gazetteer")
    assert value(Span(doc, 1, 2, label="PER"), "canonical") == agency._.canonical  # by range, as spaCy


def test_setting_entities_writes_what_spacy_would(nlp):
    """components.spans.set_ents writes only the tokens that change, and leaves the doc
    exactly as ``doc.set_ents(ents)`` would: shrunk, moved and dropped entities are O."""
    from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE
    from spacy.tokens import Span

    from entityx.components.spans import set_ents

    def doc_with_old_entities():
        doc = nlp.make_doc("Le ministre Karim Alaoui a reçu la délégation de la DGSN à Rabat et à Fès hier.")
        doc.set_ents([Span(doc, 1, 4, label="PER"), Span(doc, 10, 12, label="ORG"), Span(doc, 15, 16, label="LOC")])
        return doc

    ours, theirs = doc_with_old_entities(), doc_with_old_entities()
    for doc, write in ((ours, lambda d, e: set_ents(d, e, list(d.ents))), (theirs, lambda d, e: d.set_ents(e))):
        write(doc, [Span(doc, 2, 4, label="PER"), Span(doc, 10, 11, label="ORG", kb_id="dgsn"),
                    Span(doc, 12, 13, label="LOC")])
    attrs = [ENT_IOB, ENT_TYPE, ENT_KB_ID]
    assert (ours.to_array(attrs) == theirs.to_array(attrs)).all()
    assert [(e.text, e.label_) for e in ours.ents] == [("Karim Alaoui", "PER"), ("DGSN", "ORG"), ("Rabat", "LOC")]


def test_the_ner_on_numpy_blas_finds_what_it_finds_on_blis(nlp):
    """entityx runs the model's matrix products through numpy's BLAS, on one thread: the
    statistical model's own entities on the development texts are those of the same weights
    on thinc's default BLIS."""
    import spacy
    from threadpoolctl import threadpool_info

    from entityx.pipeline import MODEL, UNUSED, add_ner, one_blas_thread

    stock = spacy.load(MODEL, exclude=UNUSED)
    add_ner(stock, None)  # entityx's weights, thinc's default ops
    texts = [p.read_text(encoding="utf-8") for p in sorted((TESTS / "devset" / "src").glob("*.txt"))]
    assert len(texts) > 20
    ours = nlp.get_pipe("ner")
    assert {getattr(node.ops, "use_blis", None) for node in ours.model.walk()} == {False}
    with one_blas_thread():
        assert {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"} == {1}
        found = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in ours.pipe(nlp.make_doc(t) for t in texts)]
    assert found == [[(e.start, e.end, e.label_) for e in doc.ents] for doc in stock.pipe(texts)]
