"""The API's request bodies, validated field by field so that a 422 names the field."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from entityx.dates import Reference
from entityx.model import LABELS

Label = Literal["PER", "ORG", "LOC", "DATE", "MISC"]
DateStyle = Literal["entityx", "timeml"]


def check_published(value: str | None) -> str | None:
    if value is not None:
        Reference.parse(value)  # ValueError: pydantic reports it under the field's name
    return value


class Options(BaseModel):
    """What ``entityx extract --labels``, ``--date-style`` and ``--min-confidence`` choose."""

    model_config = ConfigDict(extra="forbid")

    labels: list[Label] = Field(default=list(LABELS), min_length=1,
                                description="Labels to keep; MISC on request.")
    date_style: DateStyle | None = Field(default=None, description="How DATE values are written.")
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0, description="Leave out mentions whose "
                                  "confidence is below this.")


class ExtractRequest(Options):
    text: str = Field(description="The decoded article.")
    published: str | None = Field(default=None, description="YYYY[-MM[-DD]]; relative dates "
                                  "resolve against it. Default: the article's own dateline.")

    _published = field_validator("published")(check_published)


class BatchDocument(BaseModel):
    """One document, as in ``entityx batch --jsonl``: ``meta.published`` dates it."""

    model_config = ConfigDict(extra="forbid")

    id: str | int | None = Field(default=None, description="Becomes the document's source.")
    text: str
    meta: dict[str, Any] = Field(default_factory=dict)

    @field_validator("meta")
    @classmethod
    def _meta_published(cls, meta: dict[str, Any]) -> dict[str, Any]:
        published = meta.get("published")
        if published is not None and not isinstance(published, str):
            raise ValueError("published is not a string")
        check_published(published)
        return meta


class BatchRequest(Options):
    documents: list[BatchDocument]


# Responses: documented for clients (OpenAPI), not used to re-validate what the library made.


class MentionOut(BaseModel):
    text: str = Field(description="The mention as written: text[start:end] of the input.")
    label: Label
    start: int = Field(description="Offset of its first character (Unicode characters).")
    end: int = Field(description="Offset just after its last character.")
    norm: str | None = Field(description="A DATE's ISO 8601 value, when it can be known.")
    earliest: str | None = Field(description="A DATE's first day, YYYY-MM-DD, when it has one.")
    latest: str | None = Field(description="A DATE's last day, YYYY-MM-DD, when it has one.")
    kb_id: str | None = Field(description="Knowledge-base id: a body (ma-dgsn), a body of one city "
                              "(fr-cour-appel:lyon), a place (geonames:2538475).")
    country: str | None = Field(description="ISO 3166 code of a place or body, when known.")
    lat: float | None = Field(description="A place's latitude (GeoNames), when it is a point.")
    lon: float | None = Field(description="A place's longitude.")
    origin: str = Field(description="Where the label came from: model, kb, gazetteer, acronym, rule, "
                        "patterns, model+kb…")
    group: str = Field(description="The id of the entity (group) it belongs to.")
    confidence: float | None = Field(description="The calibrated probability that span and label are right.")
    source: str = Field(description="Deprecated: the old name of origin, kept for one release.")


class GroupOut(BaseModel):
    id: str
    label: Label
    name: str = Field(description="The fullest name, or the knowledge base's canonical one.")
    aliases: list[str]
    mentions: int
    first: int = Field(description="Offset of the first mention.")
    salience: float = Field(description="0-1, summing to 1 over the document's entities.")
    kb_id: str | None
    country: str | None
    lat: float | None
    lon: float | None
    norms: list[str] | None = Field(default=None, description="DATE groups only: their values.")


class DocumentOut(BaseModel):
    source: str
    encoding: str | None
    published: str | None = Field(description="The reference date YYYY[-MM[-DD]], or null.")
    published_from: str | None = Field(description="Where it came from: option, meta, header, "
                                       "dateline, html-meta, byline, filename.")
    meta: dict[str, Any] | None = Field(default=None, description="The batch document's meta, as sent.")
    entities: list[MentionOut]
    groups: list[GroupOut]
    error: str | None = Field(default=None, description="Only for a document that failed.")


class BatchOut(BaseModel):
    documents: list[DocumentOut]


class FieldProblem(BaseModel):
    field: str = Field(description="Where: text, published, documents.1.meta…")
    message: str


class ErrorOut(BaseModel):
    error: str = Field(description="What went wrong, for a person.")
    fields: list[FieldProblem] | None = Field(default=None, description="422 only: each field at fault.")


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    token: bool = Field(description="Whether /v1/ calls need `Authorization: Bearer TOKEN`.")
