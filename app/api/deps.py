"""Typed dependencies so that route signatures read like the API docs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header
from sqlalchemy.orm import Session

from app.config import Settings, get_settings
from app.db.session import new_session


def _session() -> Iterator[Session]:
    with new_session() as session:
        yield session


def _current_user(x_user: Annotated[str | None, Header(description="Who makes the change")] = None) -> str:
    # Until authentication lands (security step) the caller names itself; recorded on every write.
    return (x_user or "anonymous").strip() or "anonymous"


SessionDep = Annotated[Session, Depends(_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CurrentUser = Annotated[str, Depends(_current_user)]
