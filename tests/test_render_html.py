"""`entityx extract -f html`: the article marked up, every piece of text escaped."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

import entityx
from entityx.cli import app
from entityx.model import Mention
from entityx.render_html import segments

HOSTILE = (
    "Rabat, le 5 septembre 2024 – <script>alert('x')</script> La DGSN a interpellé "
    "<img src=x onerror=alert(1)> Karim Benali à Tanger & \"Interpol\" l'a confirmé.\n"
)
SKIP = {"tag", "card"}  # the label and the card are added to the article's words


class Page(HTMLParser):
    """The article texts, marks and tags of a rendered page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags, self.marks, self.articles, self.stack = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        classes = set((attrs.get("class") or "").split())
        self.stack.append(classes)
        if "article" in classes:
            self.articles.append("")
        if tag == "mark":
            self.marks.append((attrs["data-label"], attrs["data-group"]))

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        inside = set().union(*self.stack) if self.stack else set()
        if "article" in inside and not inside & SKIP:
            self.articles[-1] += data


def render(*texts: str, tmp_path) -> tuple[str, Page]:
    paths = []
    for number, text in enumerate(texts):
        path = tmp_path / f"{number}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    result = CliRunner().invoke(app, ["extract", *paths, "-f", "html"])
    assert result.exit_code == 0, result.output
    page = Page()
    page.feed(result.stdout)
    return result.stdout, page


def test_hostile_text_is_shown_as_text(tmp_path, nlp):
    html, page = render(HOSTILE, tmp_path=tmp_path)
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert [tag for tag, _ in page.tags if tag in ("script", "img", "iframe", "link")] == []
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert page.articles == [HOSTILE]  # the article's words, all there, in order


def test_every_mention_is_marked_with_its_label_and_group(tmp_path, nlp):
    _, page = render(HOSTILE, tmp_path=tmp_path)
    doc = entityx.extract(HOSTILE)
    assert page.marks == [(m.label, m.group) for m in doc.entities]
    assert {m.label for m in doc.entities} == {"PER", "ORG", "LOC", "DATE"}


def test_one_section_per_input_and_no_script_needed(tmp_path, nlp):
    html, page = render(HOSTILE, "Le FBI et Europol coopèrent.\n", tmp_path=tmp_path)
    assert html.count("<section") == 2 and html.rstrip().endswith("</html>")
    assert page.articles[1] == "Le FBI et Europol coopèrent.\n"
    assert "card" in html and ":focus" in html  # cards show on hover and keyboard focus, by CSS


@pytest.mark.parametrize(("spans", "expected"), [
    ([(0, 3), (4, 9)], [("abc", True), ("d", False), ("efgh ", True), ("ij", False)]),
    ([(0, 5), (2, 7)], [("abcde", True), ("fgh ij", False)]),  # an overlapping mention stays text
    ([(4, 99)], [("abcdefgh ij", False)]),  # a mention past the end: text
])
def test_segments_cover_the_text_exactly(spans, expected):
    mentions = [Mention("x", "ORG", start, end) for start, end in spans]
    assert [(piece, m is not None) for piece, m in segments("abcdefgh ij", mentions)] == expected
