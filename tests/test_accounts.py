"""Accounts: passwords, the login page and cookie, CSRF, API tokens, anonymous callers, the commands."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from app.db.session import new_session
from tests.accounts import Account, client_for, make_account
from tests.factories import area_feature

PASSWORD = "correct horse battery"
AREAS = "/api/v1/hazardous-areas"


def _app() -> Any:
    from app.main import app

    return app


def _log_in(browser: TestClient, username: str, password: str, **form: str) -> Any:
    return browser.post("/login", data={"username": username, "password": password, **form}, follow_redirects=False)


def _scalar(sql: str, **params: Any) -> Any:
    with new_session() as session:
        return session.execute(text(sql), params).scalar()


def test_passwords_are_stored_as_argon2id_hashes_never_in_the_clear(db: None) -> None:
    account = make_account("viewer", password=PASSWORD)
    stored = _scalar("SELECT password_hash FROM app_user WHERE id = :i", i=account.id)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_short_password_is_refused_with_the_reason(client: TestClient, admin: Account) -> None:
    body = {"username": "short.pw", "role": "viewer", "organisation_id": admin.organisation_id, "password": "x" * 9}
    answer = client.post("/api/v1/users", json=body)
    assert answer.status_code == 422


def test_login_sets_an_httponly_samesite_cookie_that_opens_the_api(db: None) -> None:
    account = make_account("viewer", password=PASSWORD)
    with client_for(_app(), None) as browser:
        answer = _log_in(browser, account.username, PASSWORD, next="/api/v1/me")
        assert answer.status_code == 303 and answer.headers["location"] == "/api/v1/me"
        cookie = answer.headers["set-cookie"]
        assert re.search(r"mais_session=[^;]+", cookie)
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
        me = browser.get("/api/v1/me")
        assert me.status_code == 200 and me.json()["username"] == account.username
        assert me.json()["role"] == "viewer"
        # Only the digest of the session id is stored.
        session_id = browser.cookies["mais_session"]
        assert (
            _scalar(
                "SELECT count(*) FROM login_session WHERE session_hash = :h",
                h=hashlib.sha256(session_id.encode()).hexdigest(),
            )
            == 1
        )
        assert _scalar("SELECT count(*) FROM login_session WHERE session_hash = :h", h=session_id) == 0


@pytest.mark.parametrize(("username", "password"), [("nobody.here", PASSWORD), ("{user}", "wrong password!")])
def test_a_wrong_username_or_password_shows_the_form_again_with_one_message(
    db: None, username: str, password: str
) -> None:
    account = make_account("viewer", password=PASSWORD)
    with client_for(_app(), None) as browser:
        answer = _log_in(browser, username.format(user=account.username), password)
        assert answer.status_code == 401
        assert "Wrong username or password." in answer.text
        assert "mais_session" not in answer.headers.get("set-cookie", "")


def test_a_deactivated_user_cannot_log_in_and_its_tokens_stop_working(client: TestClient) -> None:
    account = make_account("viewer", password=PASSWORD)
    url = f"/api/v1/users/{account.id}"
    etag = client.get(url).headers["etag"]
    assert client.patch(url, json={"active": False}, headers={"If-Match": etag}).status_code == 200
    with client_for(_app(), None) as browser:
        assert _log_in(browser, account.username, PASSWORD).status_code == 401
    with client_for(_app(), account) as script:
        assert script.get(AREAS).status_code == 401


def test_login_goes_only_to_a_path_of_this_site(db: None) -> None:
    account = make_account("viewer", password=PASSWORD)
    with client_for(_app(), None) as browser:
        for target in ("//evil.example/x", "https://evil.example/", "javascript:alert(1)"):
            answer = _log_in(browser, account.username, PASSWORD, next=target)
            assert answer.headers["location"] == "/map"


def test_a_login_posted_from_another_site_is_refused(db: None) -> None:
    account = make_account("viewer", password=PASSWORD)
    with client_for(_app(), None) as browser:
        answer = browser.post(
            "/login",
            data={"username": account.username, "password": PASSWORD},
            headers={"Origin": "https://evil.example"},
            follow_redirects=False,
        )
        assert answer.status_code == 403


def test_a_change_from_the_browser_needs_the_sessions_csrf_token(db: None) -> None:
    account = make_account("coordinator", password=PASSWORD)
    with client_for(_app(), None) as browser:
        _log_in(browser, account.username, PASSWORD)
        refused = browser.post(AREAS, json=area_feature())
        assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
        csrf = _scalar("SELECT csrf_token FROM login_session ORDER BY id DESC LIMIT 1")
        assert browser.post(AREAS, json=area_feature(), headers={"X-CSRF-Token": "not-it"}).status_code == 403
        assert browser.post(AREAS, json=area_feature(), headers={"X-CSRF-Token": csrf}).status_code == 201


def test_logging_out_ends_the_session_even_for_a_copied_cookie(db: None) -> None:
    account = make_account("viewer", password=PASSWORD)
    with client_for(_app(), None) as browser:
        _log_in(browser, account.username, PASSWORD)
        copied = browser.cookies["mais_session"]
        out = browser.post("/logout", follow_redirects=False)
        assert out.status_code == 303 and out.headers["location"] == "/login"
    with client_for(_app(), None) as replay:
        replay.cookies.set("mais_session", copied)
        assert replay.get("/api/v1/me").status_code == 401
        page = replay.get("/map", headers={"Accept": "text/html"}, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Fmap"


def test_anonymous_callers_get_only_the_health_check_and_the_login_page(anonymous: TestClient) -> None:
    assert anonymous.get("/healthz").status_code == 200
    login = anonymous.get("/login")
    assert login.status_code == 200 and '<form method="post" action="/login"' in login.text
    for url in (AREAS, "/api/v1/reports/donor", "/openapi.json", "/api/v1/audit", "/tiles/hazardous-areas/6/38/21.mvt"):
        answer = anonymous.get(url)
        assert answer.status_code == 401, url
        assert answer.headers["www-authenticate"] == "Bearer"
    assert anonymous.post(AREAS, json=area_feature()).status_code == 401
    page = anonymous.get("/map?scenario=humanitarian", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fmap%3Fscenario%3Dhumanitarian"


def test_a_token_is_shown_once_stored_as_a_digest_and_revocable(client: TestClient) -> None:
    issued = client.post("/api/v1/tokens", json={"name": "QGIS sync", "days": 7})
    assert issued.status_code == 201
    token = issued.json()["token"]
    assert token.startswith("mais_") and issued.json()["prefix"] == token[:11]
    stored = _scalar("SELECT token_hash FROM api_token WHERE id = :i", i=issued.json()["id"])
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    listed = client.get("/api/v1/tokens").json()
    assert token not in str(listed) and {t["name"] for t in listed} >= {"QGIS sync"}
    with client_for(_app(), None) as script:
        script.headers["Authorization"] = f"Bearer {token}"
        assert script.get(AREAS).status_code == 200
        revoked = client.post(f"/api/v1/tokens/{issued.json()['id']}/revoke")
        assert revoked.status_code == 200 and revoked.json()["revoked_by"] == "im.admin"
        gone = script.get(AREAS)
        assert gone.status_code == 401 and "revoked" in gone.json()["detail"]
    assert client.post(f"/api/v1/tokens/{issued.json()['id']}/revoke").status_code == 410


def test_an_expired_token_opens_nothing(db: None) -> None:
    account = make_account("viewer")
    with new_session() as session:
        session.execute(text("UPDATE api_token SET expires_at = now() - interval '1 second'"))
        session.commit()
    with client_for(_app(), account) as script:
        assert script.get(AREAS).status_code == 401


def test_a_token_lives_at_most_the_configured_days(client: TestClient) -> None:
    answer = client.post("/api/v1/tokens", json={"name": "forever", "days": 10_000})
    assert answer.status_code == 422 and "365" in answer.json()["detail"]


def test_a_user_sees_and_revokes_only_its_own_tokens(client: TestClient) -> None:
    viewer = make_account("viewer")
    admin_token = client.post("/api/v1/tokens", json={"name": "admin's"}).json()
    with client_for(_app(), viewer) as other:
        assert {t["user_id"] for t in other.get("/api/v1/tokens").json()} == {viewer.id}
        assert other.post(f"/api/v1/tokens/{admin_token['id']}/revoke").status_code == 404


def test_the_audit_names_the_authenticated_user_whatever_header_is_sent(client: TestClient, admin: Account) -> None:
    created = client.post(AREAS, json=area_feature(), headers={"X-User": "mallory"})
    assert created.json()["properties"]["created_by"] == "im.admin"
    [entry] = client.get("/api/v1/audit", params={"entity": "hazardous_area"}).json()["items"]
    assert (entry["user_name"], entry["user_id"], entry["organisation_id"]) == (
        "im.admin",
        admin.id,
        admin.organisation_id,
    )
    by_org = client.get("/api/v1/audit", params={"organisation_id": admin.organisation_id, "entity": "hazardous_area"})
    assert [e["id"] for e in by_org.json()["items"]] == [entry["id"]]
    assert client.get("/api/v1/audit", params={"organisation_id": 999}).json()["items"] == []
    row = _scalar("SELECT user_id || '/' || organisation_id FROM audit_entry ORDER BY id DESC LIMIT 1")
    assert row == f"{admin.id}/{admin.organisation_id}"
    assert client.get("/api/v1/audit", params={"user": "mallory"}).json()["items"] == []


def test_account_changes_are_audited_without_the_password(client: TestClient, admin: Account) -> None:
    body = {"username": "New.Viewer", "role": "viewer", "organisation_id": admin.organisation_id, "password": PASSWORD}
    created = client.post("/api/v1/users", json=body)
    assert created.status_code == 201 and created.json()["username"] == "new.viewer"
    assert created.json()["has_password"] is True and "password_hash" not in created.json()
    [entry] = client.get("/api/v1/audit", params={"entity": "app_user"}).json()["items"]
    [change] = entry["changes"]
    assert change["after"]["password_hash"] == "(secret)" and change["after"]["role"] == "viewer"
    assert "argon2" not in str(entry)


def test_an_admin_cannot_lock_itself_out(client: TestClient, admin: Account) -> None:
    url = f"/api/v1/users/{admin.id}"
    answer = client.patch(url, json={"role": "viewer"}, headers={"If-Match": client.get(url).headers["etag"]})
    assert answer.status_code == 409


def test_a_donor_account_names_its_donor_and_no_other_role_does(client: TestClient, admin: Account) -> None:
    donor = client.post("/api/v1/donors", json={"name": "Fund A"}).json()
    base = {"role": "donor", "organisation_id": admin.organisation_id}
    assert client.post("/api/v1/users", json={**base, "username": "d1"}).status_code == 422
    assert client.post("/api/v1/users", json={**base, "username": "d2", "donor_id": donor["id"]}).status_code == 201
    viewer = {**base, "role": "viewer", "username": "v1", "donor_id": donor["id"]}
    assert client.post("/api/v1/users", json=viewer).status_code == 422


def test_create_admin_then_log_in_and_issue_a_token_from_the_command_line(db: None) -> None:
    from app.cli import cli

    runner = CliRunner()
    made = runner.invoke(
        cli,
        ["create-admin", "--username", "First.Admin", "--organisation", "Ukrainian Mine Action Centre"],
        env={"MAIS_NEW_PASSWORD": PASSWORD},
    )
    assert made.exit_code == 0, made.output
    assert "admin first.admin created" in made.output
    again = runner.invoke(
        cli,
        ["create-admin", "--username", "first.admin", "--organisation", "UMAC"],
        env={"MAIS_NEW_PASSWORD": PASSWORD},
    )
    assert again.exit_code == 1 and "already exists" in again.output
    with client_for(_app(), None) as browser:
        assert _log_in(browser, "first.admin", PASSWORD).status_code == 303
        assert browser.get("/api/v1/me").json()["role"] == "admin"
    issued = runner.invoke(cli, ["create-token", "--username", "first.admin", "--name", "sync", "--days", "3"])
    assert issued.exit_code == 0, issued.output
    token = issued.output.strip().splitlines()[-1]
    with client_for(_app(), None) as script:
        script.headers["Authorization"] = f"Bearer {token}"
        assert script.get("/api/v1/me").json()["username"] == "first.admin"
    requests = _scalar("SELECT string_agg(request, ',' ORDER BY id) FROM audit_entry")
    assert requests == "mais create-admin,mais create-token"


def test_demo_users_get_new_printed_passwords_each_run(db: None) -> None:
    from app.cli import cli

    runner = CliRunner()
    with new_session() as session:
        from app.demo.seed import load_demo

        load_demo(session, areas=30, seed=5, with_context=False)
    first = runner.invoke(cli, ["demo-users"])
    second = runner.invoke(cli, ["demo-users"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    passwords = [re.search(r"demo\.donor\s*│\s*(\S+)", out.output) for out in (first, second)]
    assert all(passwords) and passwords[0].group(1) != passwords[1].group(1)  # type: ignore[union-attr]
    with client_for(_app(), None) as browser:
        assert _log_in(browser, "demo.donor", passwords[0].group(1)).status_code == 401  # type: ignore[union-attr]
        assert _log_in(browser, "demo.donor", passwords[1].group(1)).status_code == 303  # type: ignore[union-attr]
        assert browser.get("/api/v1/me").json()["donor_id"] is not None


def test_production_refuses_the_development_identity_key() -> None:
    from pydantic import ValidationError

    from app.config import Settings

    with pytest.raises(ValidationError, match="MAIS_IDENTITY_KEY"):
        Settings(environment="production", DATABASE_URL="postgresql://m:real-secret@db/m")
    with pytest.raises(ValidationError, match="32 bytes"):
        Settings(identity_key="too-short")


def test_a_login_from_a_sandboxed_frame_or_another_site_is_refused(db: None) -> None:
    account = make_account("viewer", password=PASSWORD)
    form = {"username": account.username, "password": PASSWORD}
    with client_for(_app(), None) as browser:
        for headers in ({"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://["}):
            answer = browser.post("/login", data=form, headers=headers, follow_redirects=False)
            assert answer.status_code == 403, headers
        behind_proxy = {"Origin": "https://mais.example.org", "X-Forwarded-Host": "mais.example.org",
                        "Sec-Fetch-Site": "same-origin"}  # fmt: skip
        assert browser.post("/login", data=form, headers=behind_proxy, follow_redirects=False).status_code == 303


def test_a_malformed_next_is_not_a_server_error(anonymous: TestClient) -> None:
    # Regression: urlsplit raised ValueError (a 500) on '/\t/['.
    answer = anonymous.get("/login", params={"next": "/\t/["})
    assert answer.status_code == 200 and 'name="next" value="/map"' in answer.text


def test_a_proxys_basic_credentials_do_not_lock_anyone_out(db: None) -> None:
    # Regression: any Authorization header that was not a live token made even /login a 401.
    with client_for(_app(), None) as browser:
        browser.headers["Authorization"] = "Basic dXNlcjpwYXNz"
        assert browser.get("/healthz").status_code == 200
        assert browser.get("/login").status_code == 200
        assert browser.get(AREAS).status_code == 401
        browser.headers["Authorization"] = "Bearer mais_revoked-or-made-up"
        assert browser.get("/login").status_code == 200


def test_five_failed_logins_hold_the_name_back_even_with_the_right_password(
    db: None, caplog: pytest.LogCaptureFixture
) -> None:
    account = make_account("viewer", password=PASSWORD)
    with client_for(_app(), None) as browser:
        for _ in range(5):
            assert _log_in(browser, account.username, "not the password").status_code == 401
        held = _log_in(browser, account.username, PASSWORD)
        assert held.status_code == 429 and "Too many failed logins for this name" in held.text
        assert _log_in(browser, "Somebody typed a password here!", "x").status_code == 401
    logged = [r.getMessage() for r in caplog.records if r.name == "app.services.accounts.sessions"]
    assert "failed login for (not a username)" in logged
    assert not any("typed a password" in m for m in logged)


def test_a_new_login_ends_the_browsers_previous_session(db: None) -> None:
    account = make_account("viewer", password=PASSWORD)
    with client_for(_app(), None) as browser:
        _log_in(browser, account.username, PASSWORD)
        first = browser.cookies["mais_session"]
        _log_in(browser, account.username, PASSWORD)
        assert browser.cookies["mais_session"] != first
        assert browser.get("/api/v1/me").status_code == 200
    with client_for(_app(), None) as replay:
        replay.cookies.set("mais_session", first)
        assert replay.get("/api/v1/me").status_code == 401


def test_answers_behind_the_login_are_kept_by_no_shared_cache(client: TestClient) -> None:
    for url in ("/api/v1/me", "/api/v1/reports/donor", AREAS, "/openapi.json"):
        answer = client.get(url)
        assert answer.headers["cache-control"] == "private, no-store", url
        assert "Authorization" in answer.headers["vary"], url
    asset = client.get("/static/app/login.css")
    assert asset.status_code == 200 and "no-store" not in asset.headers.get("cache-control", "")


def test_public_reading_shows_no_money_finds_or_accidents(
    client: TestClient, anonymous: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.config import get_settings

    area = client.post(AREAS, json=area_feature()).json()["id"]
    monkeypatch.setattr(get_settings(), "public_read", True)
    details = anonymous.get(f"/api/v1/dashboard/areas/{area}").json()
    assert details["finds"] == [] and details["accidents"] is None
    assert client.get(f"/api/v1/dashboard/areas/{area}").json()["accidents"] == {
        "accidents": 0,
        "killed": 0,
        "injured": 0,
    }
    tables = anonymous.get("/api/v1/reports/donor").json()["tables"]
    assert tables["cost"] == [] and tables["agreements"] == []


def test_an_account_change_cannot_blank_its_role_or_organisation(client: TestClient) -> None:
    account = make_account("viewer")
    url = f"/api/v1/users/{account.id}"
    for field in ("role", "organisation_id", "active"):
        answer = client.patch(url, json={field: None}, headers={"If-Match": client.get(url).headers["etag"]})
        assert answer.status_code == 422 and answer.json()["field"] == field


def test_a_misspelt_environment_is_refused() -> None:
    from pydantic import ValidationError

    from app.config import Settings

    with pytest.raises(ValidationError, match="environment"):
        Settings(environment="prod")


def test_demo_users_are_skipped_without_demo_data_and_stay_deactivated(db: None) -> None:
    from app.cli import cli

    runner = CliRunner()
    assert runner.invoke(cli, ["demo-users"]).exit_code == 1
    skipped = runner.invoke(cli, ["demo-users", "--if-demo"])
    assert skipped.exit_code == 0 and "no demo users made" in skipped.output
    with new_session() as session:
        from app.demo.seed import load_demo

        load_demo(session, areas=20, seed=5, with_context=False)
    assert runner.invoke(cli, ["demo-users"]).exit_code == 0
    with new_session() as session:
        session.execute(text("UPDATE app_user SET active = false WHERE username = 'demo.viewer'"))
        session.commit()
    assert runner.invoke(cli, ["demo-users"]).exit_code == 0
    assert _scalar("SELECT active FROM app_user WHERE username = 'demo.viewer'") is False


def test_an_anonymous_change_is_refused_before_its_body_is_read(anonymous: TestClient) -> None:
    # Regression: the body was parsed first (a malformed one answered 422, a huge one cost the server).
    answer = anonymous.post(AREAS, content=b"{" * 100_000, headers={"Content-Type": "application/json"})
    assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    assert answer.headers["x-request-id"] and answer.headers["cache-control"] == "private, no-store"
    assert anonymous.post("/login", data={"username": "nobody.here", "password": "x"}).status_code == 401
