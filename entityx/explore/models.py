"""The API's answers, for OpenAPI (``/docs``) and for the page: one model per view.

The views build these from SQL rows; the models document the answers rather than guard
them, as in :mod:`entityx.serve.schema`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Label = Literal["PER", "ORG", "LOC", "DATE", "MISC"]


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    token: bool = Field(description="Whether pages and /api/ calls need `Authorization: Bearer TOKEN`.")


class InfoOut(BaseModel):
    name: str = Field(description="The database file's name.")
    documents: int
    entities: int = Field(description="Entities of the whole archive (corpus_entities).")
    labels: dict[str, int] = Field(description="Entities of the archive per label.")
    text: bool = Field(description="Whether the articles' texts are there: full-text search and "
                       "the document page's article need them (not after `batch --no-text`).")
    facets: list[str] = Field(description="Meta keys with few values, usable as filters (`meta.KEY`).")
    outlet: str | None = Field(description="The facet shown as each document's outlet.")


class EntityRef(BaseModel):
    id: str = Field(description="Corpus-wide id: a knowledge-base id (ma-dgsn, geonames:2538475), "
                    "else LABEL:normalised name (PER:abdellatif hammouchi).")
    name: str
    label: Label
    country: str | None = Field(default=None, description="For a place that is a point (a city), its "
                                "country's ISO 3166 code: it tells apart two places of one name.")


class EntityCount(EntityRef):
    documents: int = Field(description="Documents counted (among the results, or shared).")
    selected: bool = Field(default=False, description="Whether it filters the results now.")


class LabelGroup(BaseModel):
    label: Label
    entities: int = Field(description="Distinct entities of this label counted.")
    top: list[EntityCount] = Field(description="The most frequent, most documents first.")


class FacetValue(BaseModel):
    value: str
    documents: int
    selected: bool = False


class MetaFacet(BaseModel):
    key: str = Field(description="The meta key (column meta_KEY); filter with `meta.KEY=value`.")
    values: list[FacetValue]


class Facets(BaseModel):
    over: int = Field(description="Documents the facets were counted on: all the results, or the "
                      "first `over` of them in the results' order when there are more.")
    labels: list[LabelGroup]
    meta: list[MetaFacet]


class Segment(BaseModel):
    text: str
    match: bool = Field(description="Whether these are matched words.")


class HitEntity(EntityRef):
    salience: float
    filtered: bool = Field(description="Whether it is one of the entities filtering the results.")


class Hit(BaseModel):
    id: int = Field(description="The document's id (documents.id).")
    title: str = Field(description="meta.title, else the first line of the text, else the source.")
    published: str | None
    outlet: str | None
    source: str
    snippet: list[Segment] = Field(description="The matched words in their context (or the "
                                   "article's opening, without words), cut into pieces.")
    entities: list[HitEntity] = Field(description="The entities filtering the results, then the "
                                      "document's most salient ones.")


class SearchOut(BaseModel):
    query: str | None = Field(description="The FTS5 expression searched for (words quoted), or null.")
    total: int
    page: int
    size: int
    pages: int
    sort: Literal["relevance", "newest", "oldest"]
    hits: list[Hit]
    facets: Facets | None = Field(description="Null when asked not to count them (facets=false).")
    filters: list[EntityRef] = Field(description="The entities filtering the results.")


class EntityOut(EntityRef):
    aliases: list[str]
    documents: int
    mentions: int
    first_published: str | None
    last_published: str | None
    kb_id: str | None
    country: str | None = Field(description="ISO 3166 code of a place or body, when known.")
    lat: float | None
    lon: float | None


class EntitiesOut(BaseModel):
    total: int
    page: int
    size: int
    pages: int
    entities: list[EntityOut]


class KwicLine(BaseModel):
    document_id: int
    title: str
    published: str | None
    start: int = Field(description="Offset of the mention in the document's text (characters).")
    end: int
    left: str = Field(description="Its sentence before it (cut with … when long).")
    text: str = Field(description="The mention as written.")
    right: str = Field(description="Its sentence after it.")
    norm: str | None = Field(description="A DATE's ISO value.")


class KwicOut(BaseModel):
    entity: str
    total: int
    page: int
    size: int
    pages: int
    lines: list[KwicLine] = Field(description="Newest documents first, then in text order.")


class DocumentRow(BaseModel):
    id: int
    title: str
    published: str | None
    outlet: str | None
    source: str
    mentions: int = Field(description="Mentions of the entity in it.")


class DocumentsOut(BaseModel):
    entity: str
    total: int
    page: int
    size: int
    pages: int
    documents: list[DocumentRow]


class MonthCount(BaseModel):
    month: str = Field(description="YYYY-MM of the documents' publication.")
    mentions: int
    documents: int


class TimelineOut(BaseModel):
    entity: str
    months: list[MonthCount] = Field(description="Every month from the first to the last, "
                                     "empty ones included.")
    undated: int = Field(description="Mentions in documents without a publication month.")


class CoMentionsOut(BaseModel):
    entity: str
    over: int = Field(description="Documents of the entity counted: all, or its `over` newest.")
    labels: list[LabelGroup] = Field(description="Per label, the entities named in most of its "
                                     "documents; `documents` is how many they share.")


class EntityDetailOut(BaseModel):
    entity: EntityOut
    mentions: KwicOut
    documents: DocumentsOut
    timeline: TimelineOut
    comentions: CoMentionsOut


class MarkOut(BaseModel):
    """A mention as marks.js draws it (the JSON contract's fields it reads)."""

    start: int
    end: int
    text: str
    label: Label
    group: str | None
    norm: str | None
    kb_id: str | None
    confidence: float | None
    entity_id: str | None


class GroupOut(EntityRef):
    group: str = Field(description="The document's group id (E1, E2…) its mentions carry.")
    aliases: list[str]
    mentions: int
    salience: float
    kb_id: str | None


class DocumentOut(BaseModel):
    id: int
    source: str
    title: str
    published: str | None
    published_from: str | None = Field(description="Where the date came from: meta, option, "
                                       "header, dateline…")
    encoding: str | None
    outlet: str | None
    url: str | None = Field(description="meta.url when it is an http(s) address.")
    meta: dict[str, Any] | None
    error: str | None
    text: str | None = Field(description="Null when the batch ran with --no-text.")
    entities: list[MarkOut]
    groups: list[GroupOut] = Field(description="Its entities, most salient first.")
