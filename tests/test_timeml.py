"""The TimeML style (TimeBank 1.2 spans and values) and the TimeML writer: well-formed XML
whose TEXT is the input, through the real pipeline."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from entityx import extract
from entityx.cli import app
from entityx.model import Document, Mention
from entityx.timeml import to_timeml

# (text, published, [(span, value)]) — the conventions of TimeBank 1.2 as the issue lists them
STYLE = [
    ("Le salon se tiendra du 3 au 5 mars 2025 à Rabat.", "2024-09-05",
     [("3", "2025-03-03"), ("5 mars 2025", "2025-03-05")]),
    ("Il a été arrêté le 5 septembre 2024 à Tanger.", "2024-09-06", [("le 5 septembre 2024", "2024-09-05")]),
    ("La police a démantelé la semaine dernière un réseau.", "2024-09-05", [("la semaine dernière", "2024-W35")]),
    ("Le taux a doublé entre 1990 et 1999.", None, [("1990", "1990"), ("1999", "1999")]),
    ("Les faits remontent au mois de juin 2023.", None, [("mois de juin 2023", "2023-06")]),
    ("Les faits remontent à l'année 2016.", None, [("l'année 2016", "2016")]),
    ("Le pèlerinage a lieu chaque 15 août.", "2024-09", [("15 août", "XXXX-08-15")]),
    ("Le trafic a explosé dans les années 1990.", None, [("les années 1990", "199X")]),
    ("Le réseau a été démantelé à l'été 2024.", None, [("l'été 2024", "2024-SU")]),
    ("La criminalité d'aujourd'hui est numérique.", "2024-09-06", [("aujourd'hui", "PRESENT_REF")]),
    ("Des renforts seront déployés ce week-end.", "2024-09-05", [("ce week-end", "2024-W36-WE")]),
    ("Les résultats du premier trimestre 2024 sont publiés.", None, [("premier trimestre 2024", "2024-Q1")]),
    ("Il a été arrêté le 3 mai 2023. Le même jour, son complice a fui.", None,
     [("le 3 mai 2023", "2023-05-03"), ("Le même jour", "2023-05-03")]),
    ("Trois suspects ont été interpellés le week-end dernier.", "2024-09-09",
     [("le week-end dernier", "2024-W36-WE")]),
    ("La ville a prospéré au XIXe siècle.", None, [("XIXe siècle", "18")]),
    ("Les prix flambent avant l'Aïd al-Adha.", "2024-06-10", [("l'Aïd al-Adha", "2024-06")]),
    ("Les élections auront lieu en mars-avril 2025.", None, [("mars", "2025-03"), ("avril 2025", "2025-04")]),
    ("Les températures devraient grimper entre jeudi et samedi.", "2019-06-25",
     [("jeudi", "2019-06-27"), ("samedi", "2019-06-29")]),
    ("La livraison est attendue à la fin du deuxième semestre 2027.", None,
     [("la fin du deuxième semestre 2027", "2027-H2")]),
]


@pytest.mark.parametrize("text, published, expected", STYLE, ids=[s[2][0][1] for s in STYLE])
def test_timeml_style(nlp, text, published, expected):
    doc = extract(text, published, labels=["DATE"], date_style="timeml")
    assert [(m.text, m.norm) for m in doc.entities] == expected


def test_default_style_keeps_the_guidelines(nlp):
    doc = extract("Le salon se tiendra du 3 au 5 mars 2025 à Rabat.", labels=["DATE"])
    assert [(m.text, m.norm) for m in doc.entities] == [("du 3 au 5 mars 2025", "2025-03-03/2025-03-05")]


def test_unknown_style_is_refused():
    with pytest.raises(ValueError, match="date_style"):
        extract("Le 5 mars 2025.", date_style="heideltime")


TRICKY = "Le 5 mars 2025, a < b & c > d ; \"guillemets\" 'apostrophes'\ttab\r\nligne\rfin ]]> &amp;"


def parse_text(xml: str) -> tuple[ET.Element, str]:
    root = ET.fromstring(xml.encode("utf-8"))
    return root, "".join(root.find("TEXT").itertext())


def test_text_is_the_input_exactly(nlp):
    doc = extract(TRICKY, "2025-03-06", date_style="timeml")
    root, text = parse_text(to_timeml(doc, TRICKY))
    assert text == TRICKY
    timexes = root.find("TEXT").findall("TIMEX3")
    assert [(t.text, t.get("value"), t.get("type")) for t in timexes] == [("Le 5 mars 2025", "2025-03-05", "DATE")]
    assert len({t.get("tid") for t in timexes}) == len(timexes)


def test_dct_when_the_date_is_known(nlp):
    root, _ = parse_text(to_timeml(extract("Rien.", "2024-09-05"), "Rien."))
    dct = root.find("DCT/TIMEX3")
    assert dct.get("functionInDocument") == "CREATION_TIME" and dct.get("value") == "2024-09-05"
    root, _ = parse_text(to_timeml(extract("Rien."), "Rien."))
    assert root.find("DCT") is None


def test_characters_xml_cannot_hold_become_replacement_characters_one_for_one():
    text = "a\x00b\x01c\x1fd\ufffee\ud800f"
    doc = Document(source="x", encoding=None, published=None,
                   entities=[Mention(text="f", label="DATE", start=11, end=12, norm="2024")])
    _, got = parse_text(to_timeml(doc, text))
    assert got == "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf" and len(got) == len(text)


def test_cli_timeml_is_well_formed_and_implies_the_style(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Rabat, le 5 septembre 2024 – La DGSN a arrêté trois suspects du 3 au 4 septembre.",
                       encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(article), "-f", "timeml"])
    assert result.exit_code == 0, result.output
    root, text = parse_text(result.stdout)
    assert text == article.read_text(encoding="utf-8")
    assert [t.text for t in root.find("TEXT").findall("TIMEX3")] == ["le 5 septembre 2024", "3", "4 septembre"]


def test_cli_date_style_equals_the_library(tmp_path, nlp):
    article = tmp_path / "a.txt"
    article.write_text("La police a démantelé la semaine dernière un réseau.", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(article), "-f", "json", "--date-style", "timeml",
                                      "--published", "2024-09-05", "--labels", "DATE"])
    assert result.exit_code == 0, result.output
    got = [(e["text"], e["norm"]) for e in json.loads(result.stdout)["entities"]]
    assert got == [("la semaine dernière", "2024-W35")]
    bad = CliRunner().invoke(app, ["extract", str(article), "--date-style", "nope"])
    assert bad.exit_code == 2


def test_eval_and_batch_take_the_style(tmp_path, nlp):
    text = "Le salon se tiendra du 3 au 5 mars 2025 à Rabat."
    gold = tmp_path / "gold.jsonl"
    spans = [{"start": 23, "end": 24, "label": "DATE", "text": "3", "norm": "2025-03-03"},
             {"start": 28, "end": 39, "label": "DATE", "text": "5 mars 2025", "norm": "2025-03-05"}]
    gold.write_text(json.dumps({"id": "d", "text": text, "spans": spans}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(gold), "--labels", "DATE", "--date-style", "timeml", "-f", "json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["labels"]["DATE"]["f1"] == 1.0 and scores["norm_exact"] == 2
    inputs, out = tmp_path / "in", tmp_path / "out.jsonl"
    inputs.mkdir()
    (inputs / "a.txt").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["batch", str(inputs), "-o", str(out), "--jobs", "1", "-q",
                                      "--labels", "DATE", "--date-style", "timeml"])
    assert result.exit_code == 0, result.output
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [e["text"] for d in written if "entities" in d for e in d["entities"]] == ["3", "5 mars 2025"]


def test_every_development_document_round_trips(nlp):
    """Real articles: each TimeML document parses and its TEXT is the article."""
    from conftest import DEVSET, read_jsonl

    from entityx import extract_many
    from entityx.model import Text

    docs = read_jsonl(DEVSET)
    inputs = [Text(d["text"], (d.get("meta") or {}).get("published")) for d in docs]
    for gold, doc in zip(docs, extract_many(inputs, date_style="timeml")):
        root, text = parse_text(to_timeml(doc, gold["text"]))
        assert text == gold["text"]
        timexes = root.find("TEXT").findall("TIMEX3")
        assert len(timexes) == sum(m.label == "DATE" for m in doc.entities)
        assert all(t.get("value") for t in timexes)
