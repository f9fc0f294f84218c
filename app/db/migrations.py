"""Alembic, driven from Python: the CLI, the tests and the benchmarks migrate the same way."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def alembic_config(url: str | None = None, *, configure_logger: bool = True) -> Config:
    """Alembic's configuration, for `url` when given (else DATABASE_URL)."""
    config = Config(str(ALEMBIC_INI))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url)
    config.attributes["configure_logger"] = configure_logger
    return config


def upgrade(url: str | None = None, revision: str = "head", *, configure_logger: bool = True) -> None:
    """Bring the schema of `url` (else DATABASE_URL) to `revision`."""
    command.upgrade(alembic_config(url, configure_logger=configure_logger), revision)
