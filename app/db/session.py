"""Engine and session factory bound to the configured PostGIS database."""

from __future__ import annotations

import os
from functools import lru_cache

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from app.config import get_settings
from app.db import audit  # noqa: F401  (registers the audit trail on every session)


@lru_cache
def get_engine() -> Engine:
    """One pooled engine per process, created on first use."""
    return create_engine(get_settings().database_url, pool_pre_ping=True, pool_size=5, max_overflow=5)


@lru_cache
def _session_factory() -> sessionmaker[Session]:
    return sessionmaker(get_engine(), expire_on_commit=False)


def new_session() -> Session:
    """A fresh session; the caller commits or rolls back."""
    return _session_factory()()


def use_database(url: str | None) -> None:
    """Point this process at another database (tests, benchmarks); None goes back to DATABASE_URL."""
    if url is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = url
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()
    _session_factory.cache_clear()
