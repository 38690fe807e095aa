"""From mentions to entities: groups on the reference article and on the hard cases."""

from __future__ import annotations

from conftest import SEED_TEXT

import entityx


def groups_by_name(doc):
    return {g.name: g for g in doc.groups}


def group_of(doc, text):
    ids = {m.group for m in doc.entities if m.text == text}
    assert len(ids) == 1, (text, ids)
    return next(g for g in doc.groups if g.id in ids)


def test_reference_article_groups(shared):
    doc = entityx.extract(SEED_TEXT.read_text(encoding="utf-8"))
    hammouchi = group_of(doc, "Abdellatif Hammouchi")
    interpol = group_of(doc, "Interpol")
    dgsn, dgst = group_of(doc, "DGSN"), group_of(doc, "DGST")
    assert hammouchi.mentions == 5 and group_of(doc, "Hammouchi") is hammouchi
    assert interpol.mentions == 8 and "Organisation internationale de police criminelle" in interpol.aliases
    assert group_of(doc, "Centre de commandement et de coordination d’Interpol") is not interpol
    assert {"Direction générale de la Sûreté nationale", "Sûreté nationale"} <= set(dgsn.aliases) | {dgsn.name}
    assert "Surveillance du territoire" in dgst.aliases
    assert group_of(doc, "Lyon").mentions == 3
    assert group_of(doc, "Neil Jetton") is not hammouchi and group_of(doc, "Frédéric Veaux") is not hammouchi
    assert {hammouchi.id, interpol.id} <= {g.id for g in doc.groups[:3]}
    assert [g.salience for g in doc.groups] == sorted((g.salience for g in doc.groups), reverse=True)
    assert all(m.group in {g.id for g in doc.groups} for m in doc.entities)


def test_two_people_sharing_a_surname_stay_apart():
    doc = entityx.extract("Karim Alaoui, commissaire à Fès, et Nadia Alaoui, juge à Rabat, ont témoigné. "
                          "M. Alaoui a ajouté que l'enquête continue.")
    karim, nadia = group_of(doc, "Karim Alaoui"), group_of(doc, "Nadia Alaoui")
    assert karim is not nadia and group_of(doc, "Alaoui") not in (karim, nadia)


def test_surname_joins_the_only_full_name():
    doc = entityx.extract("Le juge Youssef Bennani a ouvert l'audience. M. Bennani a ensuite lu l'acte d'accusation.")
    assert group_of(doc, "Bennani") is group_of(doc, "Youssef Bennani")
    assert group_of(doc, "Bennani").name == "Youssef Bennani"


def test_acronym_defined_late_joins_its_long_form():
    doc = entityx.extract("Le CMES publie un rapport alarmant. Fondé en 2010, le Centre marocain d'études "
                          "stratégiques (CMES) suit la menace terroriste. Le CMES recommande la vigilance.")
    cmes = group_of(doc, "CMES")
    assert cmes.mentions == 4 and cmes.name == "Centre marocain d'études stratégiques"


def test_agency_named_by_variant_spellings_is_one_entity():
    doc = entityx.extract("La Direction générale de la sécurité nationale a démenti. Selon la DGSN, "
                          "la Sûreté nationale a ouvert une enquête; la direction generale de la surete nationale confirme.")
    dgsn = group_of(doc, "DGSN")
    assert dgsn.mentions == 4 and dgsn.kb_id == "ma-dgsn"
    assert dgsn.name == "Direction générale de la Sûreté nationale"


def test_surname_that_is_also_a_place_stays_apart_from_the_place():
    doc = entityx.extract("Le ministre Ahmed Tanger a visité le port de Tanger Med. Selon M. Tanger, la visite a été "
                          "utile. Il a ensuite quitté Tanger.")
    person = group_of(doc, "Ahmed Tanger")
    assert person.label == "PER" and person.mentions == 2
    places = [g for g in doc.groups if g.label == "LOC"]
    assert places and all(g is not person for g in places)


def test_dates_group_by_value():
    doc = entityx.extract("Arrêté le 5 septembre 2024, il a été présenté jeudi 5 septembre au parquet.", "2024-09-10")
    dates = [g for g in doc.groups if g.label == "DATE"]
    assert len(dates) == 1 and dates[0].norms == ["2024-09-05"] and dates[0].mentions == 2
