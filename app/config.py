"""Settings read from the environment (and an optional `.env`), one class per concern."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_PASSWORD = "mais"
DEFAULT_DATABASE_URL = f"postgresql+psycopg://mais:{DEFAULT_PASSWORD}@127.0.0.1:5432/mais"


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as `MAIS_<NAME>` except `DATABASE_URL`."""

    model_config = SettingsConfigDict(env_prefix="MAIS_", env_file=".env", extra="ignore")

    environment: str = "development"
    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    host: str = "127.0.0.1"
    port: int = 8000
    # A hazardous area with more vertices than this is refused: it is almost always a
    # digitising accident (a GPS track pasted as a boundary) and it slows every map tile.
    max_vertices: int = Field(10_000, ge=4)
    page_limit_default: int = Field(100, ge=1)
    page_limit_max: int = Field(1_000, ge=1)
    # XYZ template for an optional base map; none by default because field offices are offline.
    basemap_url: str | None = None
    basemap_attribution: str = ""
    # Logging: DEBUG, INFO, WARNING or ERROR; one key=value line per event (app/logging.py).
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # The programme's own time zone: "today" (release dates, this year's figures) is its date, not UTC's.
    timezone: str = "Europe/Kyiv"
    # Dates of things that happened may be at most this far ahead of UTC (14 h: the Line Islands).
    future_tolerance_hours: int = Field(14, ge=0, le=48)
    demo_areas: int = Field(2_000, ge=0)
    demo_seed: int = 20241125

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_in_capitals(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """An unknown zone is refused at start-up, not at the first undated change."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/Kyiv") from error
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str) -> str:
        """PostGIS is the only supported store; normalise to the psycopg 3 driver."""
        if value.startswith("postgres://"):
            value = "postgresql://" + value.removeprefix("postgres://")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        if not value.startswith("postgresql+psycopg://"):
            raise ValueError("DATABASE_URL must be a PostgreSQL/PostGIS URL (postgresql://…)")
        return value

    @field_validator("database_url")
    @classmethod
    def _no_default_password_in_production(cls, value: str, info: object) -> str:
        """The development password must never reach a production deployment."""
        data = getattr(info, "data", {})
        # The password of the development set-up and of the compose file: anyone who read the README knows it.
        if data.get("environment") == "production" and unquote(urlsplit(value).password or "") == DEFAULT_PASSWORD:
            raise ValueError(
                "set DATABASE_URL with a password of its own: the development password is refused in production"
            )
        return value


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
