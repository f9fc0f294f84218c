"""Settings read from the environment (and an optional `.env`), one class per concern."""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache
from typing import Literal
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_PASSWORD = "mais"
DEFAULT_DATABASE_URL = f"postgresql+psycopg://mais:{DEFAULT_PASSWORD}@127.0.0.1:5432/mais"
# Seals victims' identities on a development machine only: it is in the source, so production refuses it.
DEVELOPMENT_IDENTITY_KEY = base64.urlsafe_b64encode(b"mais-development-only-identities").decode()


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as `MAIS_<NAME>` except `DATABASE_URL`."""

    model_config = SettingsConfigDict(env_prefix="MAIS_", env_file=".env", extra="ignore")

    # A misspelt "prod" must not quietly run with development secrets: three names, nothing else.
    environment: Literal["development", "test", "production"] = "development"
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
    # Anonymous visitors read the map, figures and reports (never accidents, finds or anyone's data).
    public_read: bool = False
    # Fernet key (32 url-safe base64 bytes) sealing victims' names and contacts; make one with
    # `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
    identity_key: str = DEVELOPMENT_IDENTITY_KEY
    # A browser login lasts this long; API tokens at most token_days_max days (default token_days).
    session_hours: int = Field(12, ge=1, le=24 * 30)
    token_days: int = Field(90, ge=1)
    token_days_max: int = Field(365, ge=1)
    # An area smaller than this (m²) is flagged as a sliver: a digitising slip or a scrap to merge.
    sliver_m2: float = Field(10.0, gt=0)
    # Create the default priority scenarios at start and on `mais migrate` when there are none at all.
    default_scenarios: bool = True
    # Largest file the API takes for an import (the command line has no limit: it reads the user's own file).
    import_max_mb: int = Field(500, ge=1)
    # Who publishes the IATI file (docs/iati.md): an IATI organisation identifier such as UA-EDR-12345678,
    # its name and IATI OrganisationType code. The placeholder XX-MAIS marks a file not ready to publish.
    iati_reporting_org_ref: str = Field("XX-MAIS", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    iati_reporting_org_name: str = "Mine action information system"
    iati_reporting_org_type: str = Field("10", pattern=r"^\d{2}$")
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

    @field_validator("identity_key")
    @classmethod
    def _usable_identity_key(cls, value: str, info: object) -> str:
        """A key that cannot seal is refused at start-up; the development key never reaches production."""
        try:
            raw = base64.urlsafe_b64decode(value.encode())
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ValueError("MAIS_IDENTITY_KEY must be 32 bytes in url-safe base64 (a Fernet key)")
        if getattr(info, "data", {}).get("environment") == "production" and value == DEVELOPMENT_IDENTITY_KEY:
            raise ValueError("set MAIS_IDENTITY_KEY: the development key is in the source and refused in production")
        return value

    @property
    def production(self) -> bool:
        """Whether this is a real deployment: default secrets are refused, cookies are Secure."""
        return self.environment == "production"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
