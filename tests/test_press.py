"""Invented press sentences probing the kinds of error found on real French-language
articles (issue 10): towns spelled otherwise than in GeoNames, military staffs, full names
the model calls MISC, car makes after an indefinite article, newspapers, ships."""

from __future__ import annotations

import pytest

import entityx


def mentions(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in entityx.extract(text).entities if m.label in {"PER", "ORG", "LOC"}]


CASES = {
    "towns spelled without an accent or with a variant": [
        ("Le drame s'est produit à Ben Guérir, selon la police.", [("Ben Guérir", "LOC")]),
        ("Fqih Ben Salah a connu de fortes pluies hier.", [("Fqih Ben Salah", "LOC")]),
        ("Ksar El Kébir a accueilli le festival.", [("Ksar El Kébir", "LOC")]),
    ],
    "a body's capitalised name is one span": [
        ("L'État-Major Général des Armées a publié un communiqué.", [("État-Major Général des Armées", "ORG")]),
        ("Un porte-parole de l'État-Major des Armées a démenti.", [("État-Major des Armées", "ORG")]),
        ("La Direction Générale des Douanes a saisi dix tonnes.", [("Direction Générale des Douanes", "ORG")]),
    ],
    "a full name and its surname are one person": [
        ("Recep Tayyip Erdogan a reçu son homologue. Erdogan a déclaré que la visite était utile.",
         [("Recep Tayyip Erdogan", "PER"), ("Erdogan", "PER")]),
        ("Emmanuel Macron est arrivé à Rabat. Macron a salué l'accueil.",
         [("Emmanuel Macron", "PER"), ("Rabat", "LOC"), ("Macron", "PER")]),
        ("La Russe Inna Deriglazova a remporté le titre. Deriglazova a déclaré être heureuse.",
         [("Inna Deriglazova", "PER"), ("Deriglazova", "PER")]),
    ],
    "a car make after an indefinite article is not a place": [
        ("Les suspects circulaient à bord d'une Mercedes volée à Tanger.", [("Tanger", "LOC")]),
        ("Il a été interpellé au volant d'une Clio grise.", []),
        ("La réunion s'est tenue à Mercedes, en Argentine.", [("Mercedes", "LOC"), ("Argentine", "LOC")]),
    ],
    "a newspaper named after a press word": [
        ("Selon le quotidien Al Watan, trois suspects ont été arrêtés.", [("Al Watan", "ORG")]),
        ("L'hebdomadaire Al Massae rapporte que l'enquête avance.", [("Al Massae", "ORG")]),
        ("L'animatrice de télévision Julie Snyder a quitté Montréal.", [("Julie Snyder", "PER"), ("Montréal", "LOC")]),
    ],
    "capitalised non-names, ships and blank lines": [
        ("Quarante personnes ont été interpellées à Agadir.", [("Agadir", "LOC")]),
        ("Le patrouilleur Cormoran a intercepté une embarcation au large de Dakhla.", [("Dakhla", "LOC")]),
        ("Opération de la DGSN\n\nCasablanca a accueilli la réunion.", [("DGSN", "ORG"), ("Casablanca", "LOC")]),
    ],
}


@pytest.mark.parametrize("text, expected", [case for cases in CASES.values() for case in cases],
                         ids=[f"{kind}-{n}" for kind, cases in CASES.items() for n in range(len(cases))])
def test_press_probe(nlp, text, expected):
    assert mentions(text) == expected
