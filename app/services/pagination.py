"""Keyset pagination with opaque cursors: no OFFSET scans, no gaps or duplicates between pages."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from app.domain.errors import Invalid


def encode_cursor(last_id: int) -> str:
    """Opaque token that resumes a listing after the record `last_id`."""
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id to resume after, or None for the first page; a tampered cursor is a 422."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, value = text.partition(":")
        if prefix != "after":
            raise ValueError(text)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise Invalid("cursor is not one this API issued: use the `next` link as given", field="cursor") from error


def keyset_page(session: Session, query: Select[Any], id_column: Any, *, after_id: int | None, limit: int) -> list[Any]:
    """Rows of `query` after `after_id`, in id order, at most `limit` of them, as mappings."""
    if after_id is not None:
        query = query.where(id_column > after_id)
    return list(session.execute(query.order_by(id_column).limit(limit)).mappings())
