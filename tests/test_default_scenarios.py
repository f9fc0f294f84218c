"""A new install ranks without the demo: the default priority scenarios come with the first start and `mais migrate`."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from app.cli import cli
from app.config import get_settings
from app.db.session import get_engine, new_session
from app.schemas.priority import ScenarioCreate
from app.services.priorities.scenarios import DEFAULT_SCENARIOS, create_scenario
from tests.accounts import SYSTEM, Account, client_for

DEFAULTS = sorted(DEFAULT_SCENARIOS)


@pytest.fixture
def defaults_on(admin: Account) -> Iterator[None]:
    """The setting as a deployment has it (the suite turns it off: tests start with no scenario)."""
    before = os.environ.get("MAIS_DEFAULT_SCENARIOS")
    os.environ["MAIS_DEFAULT_SCENARIOS"] = "true"
    get_settings.cache_clear()
    yield
    if before is None:
        del os.environ["MAIS_DEFAULT_SCENARIOS"]
    else:
        os.environ["MAIS_DEFAULT_SCENARIOS"] = before
    get_settings.cache_clear()


def scenario_rows() -> list[tuple[str, str, int]]:
    with get_engine().connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(text("SELECT name, created_by, version FROM priority_scenario ORDER BY name"))
        ]


def started(admin: Account) -> TestClient:
    """A client on the app whose start-up (lifespan) runs when entered."""
    from app.main import app

    return client_for(app, admin)


def test_the_first_start_of_an_empty_database_creates_the_default_scenarios(defaults_on: None, admin: Account) -> None:
    assert scenario_rows() == []
    with started(admin) as client:
        ranking = client.get("/api/v1/priorities")  # the humanitarian scenario, as the dashboard asks
        assert ranking.status_code == 200, ranking.text
        assert (ranking.json()["scenario"], ranking.json()["total"], ranking.json()["items"]) == ("humanitarian", 0, [])
        page = client.get("/map", headers={"Accept": "text/html"})
        assert page.status_code == 200
        for name in DEFAULTS:
            assert f'<option value="{name}">{name}</option>' in page.text
        entries = client.get("/api/v1/audit", params={"entity": "priority_scenario"}).json()
    assert scenario_rows() == [(name, "system", 1) for name in DEFAULTS]
    assert {(e["request"], e["user_name"]) for e in entries["items"]} == {("application start", "system")}
    with started(admin):  # a second start adds nothing
        pass
    assert len(scenario_rows()) == 3


def test_a_programme_with_scenarios_of_its_own_gets_no_defaults(defaults_on: None, admin: Account) -> None:
    with new_session() as session:
        create_scenario(session, ScenarioCreate(name="ours", weights={"roads": 1}), actor=SYSTEM)
        session.commit()
    with started(admin):
        pass
    assert [name for name, _, _ in scenario_rows()] == ["ours"]


def test_mais_migrate_creates_the_default_scenarios_when_there_are_none(
    defaults_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.db.migrations

    monkeypatch.setattr(app.db.migrations, "upgrade", lambda **_: None)  # the test database is at head already
    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # the console wraps long lines
    assert "created the default priority scenarios: humanitarian, agricultural recovery, infrastructure" in said
    assert [(name, created_by.startswith("cli:")) for name, created_by, _ in scenario_rows()] == [
        (name, True) for name in DEFAULTS
    ]
    again = CliRunner().invoke(cli, ["migrate"])
    assert again.exit_code == 0 and "created the default" not in again.output
    assert len(scenario_rows()) == 3


def test_the_setting_turned_off_leaves_a_programme_without_scenarios(admin: Account) -> None:
    assert get_settings().default_scenarios is False  # as the suite runs
    with started(admin) as client:
        missing = client.get("/api/v1/priorities")
        assert missing.status_code == 404
        assert missing.json()["detail"] == "no priority scenario named 'humanitarian'; there are: none"
    assert scenario_rows() == []


def test_a_database_not_ready_at_start_is_logged_and_does_not_stop_the_app(
    defaults_on: None, admin: Account, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import app.main

    def unreachable(*_: object, **__: object) -> list[str]:
        raise OperationalError("SELECT priority_scenario.id", {}, Exception("connection refused\nmore detail"))

    monkeypatch.setattr(app.main, "create_default_scenarios", unreachable)
    with caplog.at_level(logging.WARNING, logger="app.main"), started(admin) as client:
        assert client.get("/healthz").status_code == 200
    [warning] = [r.getMessage() for r in caplog.records if r.name == "app.main"]
    assert warning.startswith("default priority scenarios not checked: (builtins.Exception) connection refused")
