"""Victims' identities: sealed at rest with MAIS_IDENTITY_KEY, read by admins only, erased with their accident."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.config import get_settings
from app.db.session import new_session
from app.services.registry.identities import seal, unseal
from tests.accounts import client_for, make_account
from tests.factories import if_match

URL = "/api/v1/accidents"
NAME, CONTACT = "Олена Коваль", "+380 50 000 0000"
BOY_NAME, BOY_CONTACT = "Тарас Мельник", "school no. 3, Balakliia"
WOMAN = {"outcome": "killed", "sex": "female", "age_band": "18-59", "role": "civilian"}
BOY = {"outcome": "injured", "sex": "male", "age_band": "5-17", "role": "civilian"}
UNNAMED = {"outcome": "injured", "sex": "unknown", "age_band": "unknown", "role": "deminer"}
SECRETS = (NAME, CONTACT, BOY_NAME, BOY_CONTACT)


def accident_body(*victims: dict[str, Any]) -> dict[str, Any]:
    """A mine accident near Kharkiv with these victims."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [36.2512, 49.9935]},
        "properties": {"occurred_on": "2024-06-03", "type": "mine", "victims": list(victims)},
    }


def sql(statement: str, **params: Any) -> list[tuple[Any, ...]]:
    """Read the database directly, past the API."""
    with new_session() as session:
        return [tuple(row) for row in session.execute(text(statement), params)]


@pytest.fixture
def accident(client: TestClient) -> dict[str, Any]:
    """A woman killed and a boy injured, both named, and a deminer injured without a name."""
    body = accident_body(
        {**WOMAN, "name": NAME, "contact": CONTACT}, {**BOY, "name": BOY_NAME, "contact": BOY_CONTACT}, UNNAMED
    )
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def identities_url(accident: dict[str, Any]) -> str:
    return f"{URL}/{accident['id']}/identities"


def victim_ids(accident_id: int) -> list[int]:
    return [row[0] for row in sql("SELECT id FROM victim WHERE accident_id = :a ORDER BY id", a=accident_id)]


def test_sealed_bytes_and_every_other_column_hold_no_name_or_contact(accident: dict[str, Any]) -> None:
    woman, boy, _deminer = victim_ids(accident["id"])
    stored = dict(sql("SELECT victim_id, sealed FROM victim_identity ORDER BY victim_id"))
    assert sorted(stored) == [woman, boy]  # a victim without name or contact has no identity row
    for sealed in stored.values():
        raw = bytes(sealed)
        for secret in (*SECRETS, "Олена", "+380"):
            assert secret.encode() not in raw
        assert raw.startswith(b"gAAAAA")  # a Fernet token, version byte 0x80
    assert unseal(stored[woman]) == {"name": NAME, "contact": CONTACT}
    assert unseal(stored[boy]) == {"name": BOY_NAME, "contact": BOY_CONTACT}
    # The aggregate rows and the audit trail of the creation carry no personal data.
    assert sql("SELECT outcome, sex, age_band, role FROM victim ORDER BY id") == [
        tuple(v.values()) for v in (WOMAN, BOY, UNNAMED)
    ]
    audited = sql("SELECT entity, coalesce(before::text, ''), coalesce(after::text, '') FROM audit_change")
    assert {entity for entity, _, _ in audited} >= {"accident"}
    assert all(secret not in row[1] + row[2] for row in audited for secret in SECRETS)
    assert all(entity != "victim_identity" for entity, _, _ in audited)
    # No row of any table, as text (bytea as hex), holds a name or contact, in the clear or as UTF-8 hex.
    tables = [row[0] for row in sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    assert {"victim", "victim_identity", "audit_change", "audit_entry", "accident"} <= set(tables)
    needles = [*SECRETS, *(secret.encode().hex() for secret in SECRETS)]
    for table in tables:
        for (row,) in sql(f'SELECT t::text FROM "{table}" t'):
            assert not [needle for needle in needles if needle in row], f"{table} holds personal data: {row}"


def test_the_admin_reads_names_and_contacts_back_and_the_read_is_logged(
    client: TestClient, accident: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    woman, boy, deminer = victim_ids(accident["id"])
    with caplog.at_level(logging.INFO, logger="app.services.registry.accidents"):
        response = client.get(identities_url(accident))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == [
        {"id": woman, **WOMAN, "name": NAME, "contact": CONTACT},
        {"id": boy, **BOY, "name": BOY_NAME, "contact": BOY_CONTACT},
        {"id": deminer, **UNNAMED, "name": None, "contact": None},
    ]
    logged = [r.getMessage() for r in caplog.records if r.name == "app.services.registry.accidents"]
    assert logged == [
        f"victims' identities of accident {accident['id']} read by im.admin (admin, user "
        f"{sql('SELECT id FROM app_user WHERE username = :u', u='im.admin')[0][0]}): 2 of 3 victims named"
    ]
    assert not [secret for secret in SECRETS for message in logged if secret in message]


@pytest.mark.parametrize("role", ["coordinator", "operator", "viewer", "donor"])
def test_other_roles_are_refused_403(client: TestClient, accident: dict[str, Any], role: str) -> None:
    from app.main import app

    donor_id = None
    if role == "donor":
        donor = client.post("/api/v1/donors", json={"name": "Humanitarian Demining Fund", "country": "NO"})
        assert donor.status_code == 201, donor.text
        donor_id = donor.json()["id"]
    account = make_account(role, donor_id=donor_id)
    with client_for(app, account) as other:
        response = other.get(identities_url(accident))
    assert response.status_code == 403, response.text
    assert response.json()["detail"] == f"the role {role} may not use GET {identities_url(accident)}"
    assert not [secret for secret in SECRETS if secret in response.text]


def test_anonymous_is_refused_401(anonymous: TestClient, accident: dict[str, Any]) -> None:
    response = anonymous.get(identities_url(accident))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert not [secret for secret in SECRETS if secret in response.text]


def test_the_service_refuses_a_non_admin_whatever_the_route(accident: dict[str, Any]) -> None:
    from app.domain.access import Actor
    from app.domain.errors import Forbidden
    from app.services.registry.accidents import list_identities

    with new_session() as session, pytest.raises(Forbidden) as refused:
        list_identities(session, accident["id"], actor=Actor(name="c.ord", role="coordinator"))
    assert refused.value.detail == "the role coordinator may not read victims' names and contacts"


def test_lists_and_single_reads_never_carry_a_name(client: TestClient, accident: dict[str, Any]) -> None:
    responses = [
        client.get(URL),
        client.get(f"{URL}/{accident['id']}"),
        client.get(URL, params={"bbox": "36,49.9,36.5,50.1"}),
        client.get(f"{URL}/{accident['id']}", headers={"Accept": "application/geo+json"}),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200]
    assert responses[0].json()["numberReturned"] == 1
    assert responses[1].json()["properties"]["victims"] == [WOMAN, BOY, UNNAMED]
    for response in responses:
        for secret in (*SECRETS, "Олена", "Коваль", "+380", "name", "contact"):
            assert secret not in response.text


def test_deleting_the_accident_erases_identities_keeps_victims_and_answers_410(
    client: TestClient, accident: dict[str, Any]
) -> None:
    other = client.post(URL, json=accident_body({**BOY, "name": "Інший", "contact": "0"})).json()
    url = f"{URL}/{accident['id']}"
    response = client.delete(url, params={"reason": "duplicate"}, headers=if_match(client, url))
    assert response.status_code == 204, response.text
    count = "SELECT count(*) FROM {table} WHERE {column} IN (SELECT id FROM victim WHERE accident_id = :a)"
    assert sql(count.format(table="victim_identity", column="victim_id"), a=accident["id"]) == [(0,)]
    assert sql(count.format(table="victim", column="id"), a=accident["id"]) == [(3,)]
    assert sql("SELECT deleted_by, delete_reason FROM accident WHERE id = :a", a=accident["id"]) == [
        ("im.admin", "duplicate")
    ]
    gone = client.get(identities_url(accident))
    assert gone.status_code == 410
    assert gone.json()["detail"].startswith(f"accident {accident['id']} was deleted on ")
    assert gone.json()["deleted_by"] == "im.admin"
    # Another accident's identities are untouched.
    kept = client.get(identities_url(other))
    assert kept.status_code == 200
    assert [(v["name"], v["contact"]) for v in kept.json()] == [("Інший", "0")]


def test_a_row_sealed_with_another_key_answers_409_naming_the_key(
    client: TestClient, accident: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    woman = victim_ids(accident["id"])[0]
    foreign = Fernet(Fernet.generate_key()).encrypt(b'{"name": "X", "contact": "Y"}')
    with new_session() as session:
        session.execute(text("UPDATE victim_identity SET sealed = :s WHERE victim_id = :v"), {"s": foreign, "v": woman})
        session.commit()
    with caplog.at_level(logging.ERROR, logger="app"):
        response = client.get(identities_url(accident))
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["detail"] == (
        "victims' identities cannot be read: the server's MAIS_IDENTITY_KEY does not match the key they were"
        " sealed with; the operator must configure the original key (nothing was changed)"
    )
    assert body["victim_id"] == woman
    assert "Traceback" not in response.text
    assert not [secret for secret in SECRETS if secret in response.text]
    logged = [r for r in caplog.records if r.name == "app.services.registry.identities"]
    assert [r.getMessage() for r in logged] == [
        f"victim identity {woman} cannot be unsealed: MAIS_IDENTITY_KEY is not the key it was sealed with"
    ]
    assert logged[0].exc_info is None


def test_seal_uses_the_configured_key() -> None:
    sealed = seal(NAME, None)
    assert Fernet(get_settings().identity_key.encode()).decrypt(sealed) == (
        b'{"name": "\\u041e\\u043b\\u0435\\u043d\\u0430 \\u041a\\u043e\\u0432\\u0430\\u043b\\u044c", "contact": null}'
    )
    assert unseal(sealed) == {"name": NAME, "contact": None}
    assert seal(NAME, None) != sealed  # a fresh IV every time: equal names do not look equal at rest
