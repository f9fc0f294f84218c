"""Versions of records over HTTP: an `ETag` on every record read, `If-Match` on every change.

Without them the last of two concurrent corrections silently wins. A PATCH or DELETE without
If-Match is a 428; one whose tag is no longer current is a 412 (checked by the service with the
row locked, `app.services.records.require_version`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Response

from app.domain.errors import PreconditionRequired
from app.services.records import version_of

ETAG_DOC = {"ETag": {"description": "The record's version; send it back in If-Match to change the record"}}


def _if_match(
    if_match: Annotated[
        str | None, Header(description="The ETag of the record as you read it (or `*`): required to change it")
    ] = None,
) -> str:
    if not if_match:
        raise PreconditionRequired(
            "send If-Match with the ETag of the record as you read it (GET it first): "
            "without it, a change could silently overwrite someone else's"
        )
    return if_match


IfMatch = Annotated[str, Depends(_if_match)]


R = TypeVar("R", bound=Response)


def tagged(response: R, record_id: int, updated_at: datetime) -> R:
    """The response with the record's version in its `ETag` header."""
    response.headers["ETag"] = version_of(record_id, updated_at)
    return response
