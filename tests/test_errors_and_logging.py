"""One error table, the safety nets' log lines and the request id that ties an answer to them."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from app.api.errors import status_of
from app.domain.errors import AppError, Conflict, Gone, IllegalTransition, Invalid, NotFound
from gis.geometry import GeometryError, GeometryTooComplex


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFound("x"), 404),
        (Gone("x"), 410),
        (Conflict("x"), 409),
        (IllegalTransition("x", current="open", allowed=[]), 409),
        (Invalid("x"), 422),
        (AppError("x"), 400),
        (GeometryTooComplex("x"), 413),
        (GeometryError("x"), 422),
    ],
)
def test_every_domain_error_has_its_status(error: Exception, status: int) -> None:
    assert status_of(error) == status


def test_an_illegal_transition_answers_with_the_current_and_allowed_states(client: TestClient) -> None:
    area = client.post(
        "/api/v1/hazardous-areas",
        json={
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[36.2, 50.0], [36.21, 50.0], [36.2, 50.01], [36.2, 50.0]]],
            },
            "properties": {"classification": "SHA", "reported_on": "2025-03-14"},
        },
    ).json()["id"]
    refused = client.post(f"/api/v1/hazardous-areas/{area}/status", json={"status": "handed_over"})
    assert refused.status_code == 409
    body = refused.json()
    assert body["current_status"] == "open" and body["allowed"] == ["worked_on"]
    assert body["detail"] == "area is open: it cannot become handed_over; allowed now: worked_on"


def test_a_value_the_database_refuses_is_logged_with_the_request_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    # Regression: the IntegrityError/DataError safety nets answered 4xx but logged nothing.
    with caplog.at_level(logging.WARNING, logger="app"):
        answer = client.get("/api/v1/accidents/99999999999999999999", headers={"X-Request-ID": "kharkiv-42"})
    assert answer.status_code == 422
    assert answer.json()["detail"] == "a value is out of range or malformed: bigint out of range"
    assert answer.headers["x-request-id"] == "kharkiv-42"
    logged = [r for r in caplog.records if r.name == "app.api.errors"]
    assert len(logged) == 1
    assert logged[0].request_id == "kharkiv-42"  # type: ignore[attr-defined]
    assert "GET /api/v1/accidents/99999999999999999999" in logged[0].getMessage()
    assert "bigint out of range" in logged[0].getMessage()


def test_a_request_id_that_could_forge_log_lines_is_replaced(client: TestClient) -> None:
    answer = client.get("/healthz", headers={"X-Request-ID": 'x" level=ERROR msg="forged'})
    assert answer.status_code == 200
    assert answer.headers["x-request-id"] != 'x" level=ERROR msg="forged'
    assert len(answer.headers["x-request-id"]) == 32
    assert answer.headers["x-request-id"].isalnum()


def test_a_write_whose_commit_fails_is_answered_as_refused_and_keeps_nothing(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The unit of work commits before the answer is sent: a failed commit must never become a 201.
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    def failing_commit(self: Session) -> None:
        raise IntegrityError("COMMIT", {}, Exception("deferred constraint violated"))

    monkeypatch.setattr(Session, "commit", failing_commit)
    answer = client.post("/api/v1/organisations", json={"name": "Lost Demining", "kind": "ngo"})
    monkeypatch.undo()
    assert answer.status_code == 409
    assert answer.json()["detail"].startswith("the change conflicts with existing data")
    assert client.get("/api/v1/organisations", params={"q": "Lost"}).json()["numberReturned"] == 0


def test_an_unexpected_error_answers_and_logs_with_the_request_id(caplog: pytest.LogCaptureFixture) -> None:
    # Regression: the 500 handler runs outside the request-id middleware; it answered "request id -".
    from fastapi import FastAPI

    from app.api.errors import install_error_handlers
    from app.api.request_id import RequestIdMiddleware
    from app.logging import configure_logging

    configure_logging("INFO")  # as create_app does
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(RequestIdMiddleware)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("bug")

    with caplog.at_level(logging.ERROR, logger="app"), TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/boom", headers={"X-Request-ID": "kharkiv-43"})
    assert answer.status_code == 500
    assert answer.json() == {"detail": "internal error; quote request id kharkiv-43"}
    assert answer.headers["x-request-id"] == "kharkiv-43"
    logged = [r for r in caplog.records if r.name == "app.api.errors"]
    assert [r.request_id for r in logged] == ["kharkiv-43"]  # type: ignore[attr-defined]
    assert logged[0].exc_info is not None and "RuntimeError" in logged[0].getMessage()


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("postgresql://mais:mais@db:5432/mais", True),  # the compose file's
        ("postgresql://mais:mais@127.0.0.1:5432/mais", True),  # the development set-up's
        ("postgresql://mais:Zq8-long-secret@db:5432/mais", False),
        ("postgresql:///mais?host=/var/run/postgresql", False),  # peer authentication, no password
    ],
)
def test_production_refuses_the_development_database_password(url: str, refused: bool) -> None:
    from pydantic import ValidationError

    from app.config import Settings

    key = "S2V5IG9mIGEgcmVhbCBkZXBsb3ltZW50LCAzMiBieXQ="  # not the development identity key
    if refused:
        with pytest.raises(ValidationError, match="the development password is refused in production"):
            Settings(environment="production", DATABASE_URL=url, identity_key=key)
    else:
        assert Settings(environment="production", DATABASE_URL=url, identity_key=key).environment == "production"
    assert Settings(environment="development", DATABASE_URL=url).environment == "development"


def test_the_safety_nets_answer_in_the_language_asked_for_and_say_which(client: TestClient) -> None:
    # The database's own reason stays as PostgreSQL wrote it; the sentence around it is translated.
    answer = client.get("/api/v1/accidents/99999999999999999999", headers={"Accept-Language": "uk"})
    assert answer.status_code == 422
    assert answer.json() == {"detail": "значення поза допустимим діапазоном або хибне: bigint out of range"}
    assert answer.headers["content-language"] == "uk"
    assert client.get("/api/v1/accidents/99999999999999999999").headers["content-language"] == "en"


def test_an_unexpected_error_is_answered_in_ukrainian_with_the_request_id() -> None:
    from fastapi import FastAPI

    from app.api.errors import install_error_handlers
    from app.api.request_id import RequestIdMiddleware

    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(RequestIdMiddleware)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/boom", headers={"X-Request-ID": "kharkiv-44", "Accept-Language": "uk-UA"})
    assert answer.status_code == 500
    assert answer.json() == {"detail": "внутрішня помилка; назвіть ідентифікатор запиту kharkiv-44"}
    assert answer.headers["content-language"] == "uk"
