"""Throwaway databases on the configured server, for the test suite and the benchmarks."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.config import get_settings


def _admin_url() -> str:
    """The configured server, connected to its maintenance database."""
    return make_url(get_settings().database_url).set(database="postgres").render_as_string(hide_password=False)


def create_database(prefix: str) -> str:
    """A new empty database (PostGIS comes from template1); returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(get_settings().database_url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop a database made by `create_database`, closing its connections first."""
    engine = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()
