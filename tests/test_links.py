"""``entityx_links`` on the knowledge base's templated and shared names, through the real
pipeline: a body named after a place belongs to the country of that place (one id per place,
``<entry id>:<place slug>``); a name several countries' bodies bear goes to the country the
text is about, and keeps no id when the text does not settle it; a place name several places
bear is the one of the country the text names, else the most populous."""

from __future__ import annotations

import pytest

from entityx.components.links import slug
from entityx.knowledge import agencies
from entityx.spanvalues import value


def orgs(nlp, text: str) -> dict[str, tuple[str, str | None]]:
    """Each ORG span of ``text``: its id and its country."""
    return {e.text: (e.kb_id_, value(e, "country")) for e in nlp(text).ents if e.label_ == "ORG"}


def places(nlp, text: str) -> dict[str, tuple[str, str | None]]:
    """Each LOC span of ``text``: its id and its country."""
    return {e.text: (e.kb_id_, value(e, "country")) for e in nlp(text).ents if e.label_ == "LOC"}


def test_the_issue_example_is_french_throughout(nlp):
    text = ("Lyon, le 3 mars 2025 – La cour d'appel de Lyon a confirmé la peine. La Cour de cassation "
            "sera saisie, selon le parquet de Paris.")
    got = orgs(nlp, text)
    assert got == {"cour d'appel de Lyon": ("fr-cour-appel:lyon", "FR"),
                   "Cour de cassation": ("fr-cour-cassation", "FR"),
                   "parquet de Paris": ("fr-parquet:paris", "FR")}
    assert not any(kb.startswith("ma-") for kb, _ in got.values())


# A court of appeal and a first-instance court, each named after a city of its country.
COURTS = [
    ("FR", "La cour d'appel de Lyon a confirmé la peine prononcée par le tribunal judiciaire de Bobigny.",
     {"cour d'appel de Lyon": "fr-cour-appel:lyon", "tribunal judiciaire de Bobigny": "fr-tribunal-judiciaire:bobigny"}),
    ("FR", "Le tribunal correctionnel de Marseille a condamné le prévenu à deux ans de prison.",
     {"tribunal correctionnel de Marseille": "fr-tribunal-correctionnel:marseille"}),
    ("MA", "La Cour d'appel de Rabat a alourdi la peine prononcée par le tribunal de première instance de Casablanca.",
     {"Cour d'appel de Rabat": "ma-cour-appel:rabat",
      "tribunal de première instance de Casablanca": "ma-tpi:casablanca"}),
    ("BE", "La cour d'appel de Liège a réformé le jugement du tribunal de première instance de Namur.",
     {"cour d'appel de Liège": "be-cour-appel:liege", "tribunal de première instance de Namur": "be-tpi:namur"}),
    ("BE", "Le tribunal correctionnel de Charleroi a condamné le trafiquant à cinq ans de prison.",
     {"tribunal correctionnel de Charleroi": "be-tribunal-correctionnel:charleroi"}),
    ("DZ", "La cour d'appel de Constantine a confirmé le verdict du tribunal de Chéraga.",
     {"cour d'appel de Constantine": "dz-cour-appel:constantine", "tribunal de Chéraga": "dz-tribunal:cheraga"}),
    ("TN", "La cour d'appel de Sfax a confirmé le jugement du tribunal de première instance de Sousse.",
     {"cour d'appel de Sfax": "tn-cour-appel:sfax", "tribunal de première instance de Sousse": "tn-tpi:sousse"}),
    ("SN", "La cour d'appel de Kaolack a confirmé le jugement du tribunal de grande instance de Thiès.",
     {"cour d'appel de Kaolack": "sn-cour-appel:kaolack", "tribunal de grande instance de Thiès": "sn-tgi:thies"}),
    ("CI", "La cour d'appel de Bouaké a confirmé le jugement du tribunal de première instance de Daloa.",
     {"cour d'appel de Bouaké": "ci-cour-appel:bouake", "tribunal de première instance de Daloa": "ci-tpi:daloa"}),
    ("CH", "Le Tribunal cantonal du Valais a confirmé le jugement du Tribunal correctionnel de Genève.",
     {"Tribunal cantonal du Valais": "ch-tribunal-cantonal:valais",
      "Tribunal correctionnel de Genève": "ch-tribunal-correctionnel:geneve"}),
    ("LU", "Le tribunal d'arrondissement de Diekirch a condamné le prévenu, sur réquisition du parquet de Diekirch.",
     {"tribunal d'arrondissement de Diekirch": "lu-tribunal-arrondissement:diekirch",
      "parquet de Diekirch": "lu-parquet:diekirch"}),
    ("ML", "La cour d'appel de Mopti a confirmé le jugement du tribunal de grande instance de Kayes.",
     {"cour d'appel de Mopti": "ml-cour-appel:mopti", "tribunal de grande instance de Kayes": "ml-tgi:kayes"}),
    ("MR", "La cour d'appel de Nouadhibou a confirmé le jugement du tribunal de wilaya de Nouadhibou.",
     {"cour d'appel de Nouadhibou": "mr-cour-appel:nouadhibou",
      "tribunal de wilaya de Nouadhibou": "mr-tribunal-wilaya:nouadhibou"}),
]


@pytest.mark.parametrize("country, text, want", COURTS, ids=[f"{c}-{i}" for i, (c, *_) in enumerate(COURTS)])
def test_a_court_named_after_a_city_is_its_countrys_with_one_id_per_city(nlp, country, text, want):
    got = orgs(nlp, text)
    for name, kb_id in want.items():
        assert got[name] == (kb_id, country), (name, got)


@pytest.mark.parametrize("text, want", [
    ("La préfecture de police de Casablanca a interpellé un suspect.", ("ma-prefecture-police:casablanca", "MA")),
    ("La préfecture de police de Marseille a interdit le rassemblement.", ("fr-prefecture-police:marseille", "FR")),
    ("La préfecture de police de Bouaké a interdit la marche.", ("ci-prefecture-police:bouake", "CI")),
    ("La zone de police de Charleroi a renforcé ses patrouilles.", ("be-zone-police:charleroi", "BE")),
    ("La police cantonale du Valais a retrouvé les alpinistes.", ("ch-police-cantonale:valais", "CH")),
    ("Les services de la sûreté de wilaya de Tlemcen ont saisi du kif.", ("dz-surete-wilaya:tlemcen", "DZ")),
    ("La wilaya de sûreté de Marrakech a arrêté un suspect.", ("ma-wilaya-surete:marrakech", "MA")),
    ("Le commissariat central de Thiès a déféré les suspects.", ("sn-commissariat-central:thies", "SN")),
    ("Le Service de police de la Ville de Québec a arrêté un suspect.", ("ca-service-police-ville:quebec", "CA")),
    ("Le parquet de Charleroi a ouvert une enquête.", ("be-parquet:charleroi", "BE")),
    ("Le parquet général de Mons a requis la confirmation de la peine.", ("be-parquet-general:mons", "BE")),
    ("Le tribunal de Paris a condamné le prévenu.", ("fr-tribunal-judiciaire:paris", "FR")),
])
def test_police_and_prosecution_bodies_named_after_a_city(nlp, text, want):
    assert want in orgs(nlp, text).values()


@pytest.mark.parametrize("text, name", [
    ("La cour d'appel de Beyrouth a confirmé le jugement.", "cour d'appel de Beyrouth"),  # no Lebanese entry
    ("Le tribunal de première instance de Lyon a été saisi.", "tribunal de première instance de Lyon"),  # France has none
])
def test_a_country_without_such_a_body_gives_no_id_not_another_countrys(nlp, text, name):
    assert orgs(nlp, text)[name] == ("", None)


def test_a_place_of_several_countries_is_the_one_the_text_is_about(nlp):
    """Saint-Louis is in Senegal, the United States, France and Réunion: only Senegal has a court of appeal there."""
    assert orgs(nlp, "Dakar, le 3 mars 2025 – La cour d'appel de Saint-Louis a confirmé la peine.") == {
        "cour d'appel de Saint-Louis": ("sn-cour-appel:saint-louis", "SN")}
    # Without context: of the places of that name, only Senegal's has such a court.
    assert orgs(nlp, "La cour d'appel de Saint-Louis a confirmé la peine.") == {
        "cour d'appel de Saint-Louis": ("sn-cour-appel:saint-louis", "SN")}


def test_instance_ids_use_the_slug_of_the_place():
    assert slug("Aix-en-Provence") == "aix-en-provence" and slug("Thiès") == "thies" and slug("Dar El Beïda") == "dar-el-beida"


# A bare name several countries' bodies bear, in a text that settles the country.
SHARED = [
    ("Rabat, le 12 mars 2025 – La Cour de cassation a rejeté le pourvoi.", "Cour de cassation", "ma-cour-cassation"),
    ("Bruxelles, le 7 mai 2025 – La Cour de cassation a rejeté le pourvoi.", "Cour de cassation", "be-cour-cassation"),
    ("Tunis, le 9 avril 2025 – La Cour de cassation a confirmé la peine.", "Cour de cassation", "tn-cour-cassation"),
    ("Lyon, le 3 mars 2025 – La Cour de cassation a cassé l'arrêt.", "Cour de cassation", "fr-cour-cassation"),
    ("Alger, le 3 mars 2025 – Le ministère de l'Intérieur a annoncé de nouvelles mesures.",
     "ministère de l'Intérieur", "dz-interieur"),
    ("Dakar, le 3 mars 2025 – Le ministère de l'Intérieur a annoncé de nouvelles mesures.",
     "ministère de l'Intérieur", "sn-interieur"),
    ("Rabat, le 3 mars 2025 – Le ministère de l'Intérieur a annoncé de nouvelles mesures.",
     "ministère de l'Intérieur", "ma-interieur"),
    ("Paris, le 3 mars 2025 – Le ministère de l'Intérieur a renforcé les contrôles aux frontières françaises.",
     "ministère de l'Intérieur", "fr-interieur"),
    ("Nouakchott, le 22 janvier 2025 – La Gendarmerie nationale a intercepté un camion.",
     "Gendarmerie nationale", "mr-gendarmerie"),
    ("Sfax, le 10 août 2024 – La Garde nationale a intercepté deux embarcations.", "Garde nationale", "tn-garde-nationale"),
    ("Alger, le 3 mars 2025 – La DGSN a démantelé un réseau de trafiquants.", "DGSN", "dz-dgsn"),
    ("Rabat, le 3 mars 2025 – La DGSN a démantelé un réseau de trafiquants.", "DGSN", "ma-dgsn"),
    ("Abidjan, le 8 septembre 2025 – Le Conseil constitutionnel a validé quatre candidatures.",
     "Conseil constitutionnel", "ci-conseil-constitutionnel"),
    ("Alger, le 21 mai 2025 – Le Conseil d'État a annulé la décision.", "Conseil d'État", "dz-conseil-etat"),
    ("Dakar, le 12 février 2025 – La Cour des comptes a publié son rapport.", "Cour des comptes", "sn-cour-comptes"),
    ("Bamako, le 6 février 2025 – La Cour suprême a rejeté le pourvoi.", "Cour suprême", "ml-cour-supreme"),
    # no dateline: the places named, a nationality, a body of one country
    ("La Cour de cassation a rejeté le pourvoi de l'homme arrêté à Tanger.", "Cour de cassation", "ma-cour-cassation"),
    ("Le ministère de l'Intérieur a expulsé deux ressortissants, a indiqué le gouvernement sénégalais.",
     "ministère de l'Intérieur", "sn-interieur"),
    ("La Cour de cassation a été saisie après l'enquête de la DGST.", "Cour de cassation", "ma-cour-cassation"),
]


@pytest.mark.parametrize("text, name, kb_id", SHARED, ids=[f"{k}-{i}" for i, (*_, k) in enumerate(SHARED)])
def test_a_shared_name_goes_to_the_country_the_text_is_about(nlp, text, name, kb_id):
    country = next(a.country for a in agencies() if a.id == kb_id)
    assert orgs(nlp, text)[name] == (kb_id, country)


@pytest.mark.parametrize("text, name", [
    ("La Cour de cassation a rejeté le pourvoi.", "Cour de cassation"),
    ("Le ministère de l'Intérieur a annoncé des mesures.", "ministère de l'Intérieur"),
    ("La Gendarmerie nationale a ouvert une enquête.", "Gendarmerie nationale"),
    ("Le ministère de l'Intérieur a reçu ses homologues à Alger puis à Rabat.", "ministère de l'Intérieur"),  # a tie
])
def test_a_shared_name_the_text_does_not_settle_keeps_no_id_but_stays_org(nlp, text, name):
    assert orgs(nlp, text)[name] == ("", None)


def test_every_shared_form_belongs_to_entries_of_different_countries():
    """Sharing a name is for bodies of several countries; two entries of one country would be a duplicate."""
    owners: dict[str, list[str]] = {}
    for a in agencies():
        for form in {f.lower() for f in a.long_forms if "{PLACE}" not in f} | set(a.acronyms):
            owners.setdefault(form, []).append(a.country)
    assert not {form: c for form, c in owners.items() if len(c) != len(set(c))}


def test_templated_entries_of_one_head_are_of_different_countries():
    heads: dict[str, list[str]] = {}
    for a in agencies():
        for t in a.templates:
            heads.setdefault(t.split("{PLACE}")[0].strip().lower(), []).append(a.country)
    assert not {head: c for head, c in heads.items() if len(c) != len(set(c))}


@pytest.mark.parametrize("text, name, want", [
    ("Un incendie a ravagé un entrepôt à Valence, dans la Drôme.", "Valence", ("geonames:2971053", "FR")),
    ("Les supporters ont envahi le centre de Valence, en Espagne.", "Valence", ("geonames:2509954", "ES")),
    ("Les supporters ont envahi le centre de Valence.", "Valence", ("geonames:2509954", "ES")),  # the largest
    ("Des combats ont éclaté à Tripoli, dans le nord du Liban.", "Tripoli", ("geonames:266826", "LB")),
    ("Des combats ont éclaté à Tripoli, capitale de la Libye.", "Tripoli", ("geonames:2210247", "LY")),
    ("Des combats ont éclaté à Tripoli.", "Tripoli", ("geonames:2210247", "LY")),
    ("Des milliers de pèlerins sont attendus à Saint-Louis, au Sénégal.", "Saint-Louis", ("geonames:2246452", "SN")),
    ("Une tornade a frappé Saint-Louis, dans le Missouri.", "Saint-Louis", ("geonames:4407066", "US")),
    ("Une tornade a frappé Saint-Louis.", "Saint-Louis", ("geonames:4407066", "US")),
    ("Le Maroc et le Sénégal ont signé un accord de coopération.", "Maroc", ("geonames:2542007", "MA")),
    ("Le Maroc et le Sénégal ont signé un accord de coopération.", "Sénégal", ("geonames:2245662", "SN")),
])
def test_a_place_name_of_several_places_is_resolved_by_the_country_named_then_by_population(nlp, text, name, want):
    assert places(nlp, text)[name] == want


def test_a_template_with_an_elided_article(nlp):
    assert orgs(nlp, "La Cour d'appel d'Agadir a confirmé la peine.") == {
        "Cour d'appel d'Agadir": ("ma-cour-appel:agadir", "MA")}


def test_a_shared_long_name_in_lower_case_keeps_its_span(tmp_path):
    import json

    from entityx import load_pipeline

    kb = tmp_path / "kb.jsonl"  # Algeria's entry with the long form it shares with Morocco's
    kb.write_text(json.dumps({
        "id": "dz-dgsn", "name": "Sûreté nationale algérienne", "acronyms": ["DGSN"], "ambiguous_acronyms": [],
        "variants": ["Direction générale de la Sûreté nationale", "Sûreté nationale"], "country": "DZ",
        "kind": "police", "templates": [], "example": "Alger, le 3 mars 2025 – La DGSN a démantelé un réseau."}) + "\n",
        encoding="utf-8")
    text = "Alger, le 3 mars 2025 – La Direction générale de la sûreté nationale a démantelé un réseau."
    assert orgs(load_pipeline(kb=kb), text) == {"Direction générale de la sûreté nationale": ("dz-dgsn", "DZ")}
