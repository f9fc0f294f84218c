"""Test session: a throwaway PostGIS database, created at start and dropped at the end."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from app.db.migrations import upgrade
from app.db.scratch import create_database, drop_database
from app.db.session import use_database
from tests.accounts import Account, client_for, make_account

# Each test starts with no priority scenario and makes those it ranks by (test_default_scenarios.py turns this on).
os.environ.setdefault("MAIS_DEFAULT_SCENARIOS", "false")

# Everything but the lookup lists; CASCADE takes the tables that refer to these.
RECORD_TABLES = (
    "hazardous_area, organisation, settlement, context_feature, priority_scenario, priority_score, priority_current,"
    " donor, audit_entry, admin_unit, import_job, import_mapping"
)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """The test session's database at the latest schema; the app is pointed at it."""
    url = create_database("mais_test")
    previous = os.environ.get("DATABASE_URL")
    try:
        upgrade(url, configure_logger=False)
        use_database(url)
        yield url
    finally:
        use_database(previous)
        drop_database(url)


@pytest.fixture
def db(database_url: str) -> Iterator[None]:
    """A test that writes gets empty record tables (lookup lists stay as migrated)."""
    yield
    from app.db.session import get_engine

    with get_engine().begin() as conn:
        conn.execute(text(f"TRUNCATE {RECORD_TABLES} RESTART IDENTITY CASCADE"))


@pytest.fixture(autouse=True)
def _fresh_login_throttle() -> None:
    """Failed logins of one test do not count against the same usernames in the next."""
    from app.services.accounts import throttle

    throttle._failures.clear()


@pytest.fixture
def admin(db: None) -> Account:
    """The national authority's information manager: may do everything."""
    return make_account("admin", username="im.admin")


@pytest.fixture
def client(admin: Account):  # type: ignore[no-untyped-def]
    """An HTTP client on the app, bound to the test database, logged in as the admin (by API token)."""
    from app.main import app

    with client_for(app, admin) as test_client:
        yield test_client


@pytest.fixture
def anonymous(db: None):  # type: ignore[no-untyped-def]
    """An HTTP client with no credentials."""
    from app.main import app

    with client_for(app, None) as test_client:
        yield test_client
