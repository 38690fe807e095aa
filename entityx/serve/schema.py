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
    """What ``entityx extract --labels`` (and, after the dates work, ``--date-style``) choose."""

    model_config = ConfigDict(extra="forbid")

    labels: list[Label] = Field(default=list(LABELS), min_length=1,
                                description="Labels to keep; MISC on request.")
    date_style: DateStyle | None = Field(default=None, description="How DATE values are written.")


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
