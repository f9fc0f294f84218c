"""Ukrainian through the real database and the app: lookup labels, place names, the API's errors, the login page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.db.session import new_session
from app.services.registry.lookups import label_of, lookup_labels
from tests.factories import KHARKIV_HROMADA, area_feature, square

UK = {"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"}
AREAS = "/api/v1/hazardous-areas"


def test_a_freshly_migrated_database_names_every_default_lookup_row_in_ukrainian(client: TestClient) -> None:
    lookups = client.get("/api/v1/lookups").json()
    assert set(lookups) == {"contamination_types", "evidence", "blockages", "methods", "context_layers"}
    ap_mine = lookups["contamination_types"][0]
    assert ap_mine == {
        "code": "ap_mine",
        "label": "Anti-personnel mine",
        "kind": None,
        "translations": {"uk": "Протипіхотна міна"},
    }
    untranslated = [(name, row["code"]) for name, rows in lookups.items() for row in rows if not row["translations"]]
    assert untranslated == []
    assert sum(len(rows) for rows in lookups.values()) == 7 + 11 + 7 + 5 + 8
    methods = {row["code"]: row for row in lookups["methods"]}
    assert label_of(methods["nts"], "uk") == "Нетехнічне обстеження (виїзди, опитування, документи)"
    assert label_of(methods["nts"], "en") == "Non-technical survey (visits, interviews, records)"
    with new_session() as session:
        labels = lookup_labels(session, "uk")
    assert labels["blockages"]["health"] == "Заклад охорони здоров’я"
    assert labels["context_layers"]["front_line"] == "Лінія зіткнення (для обмежень за відстанню)"


def test_a_programmes_own_row_without_a_translation_shows_its_english_label() -> None:
    row = {"code": "flail_x", "label": "Flail X-200", "translations": {}}
    assert label_of(row, "uk") == "Flail X-200"
    assert label_of({"code": "bare", "label": "", "translations": None}, "uk") == "bare"


def test_a_missing_record_is_answered_in_the_clients_language(client: TestClient) -> None:
    english = client.get(f"{AREAS}/987654")
    assert english.status_code == 404
    assert english.json() == {"detail": "hazardous area 987654 does not exist"}
    assert english.headers["content-language"] == "en"
    ukrainian = client.get(f"{AREAS}/987654", headers=UK)
    assert ukrainian.status_code == 404
    assert ukrainian.json() == {"detail": "небезпечна територія 987654: такого запису немає"}
    assert ukrainian.headers["content-language"] == "uk"
    by_parameter = client.get(f"{AREAS}/987654", params={"lang": "uk"})
    assert by_parameter.json()["detail"] == "небезпечна територія 987654: такого запису немає"


def test_an_illegal_transition_keeps_its_body_and_only_the_words_change(client: TestClient) -> None:
    area = client.post(AREAS, json=area_feature(square(36.2, 50.0), reported_on="2025-03-14")).json()["id"]
    english = client.post(f"{AREAS}/{area}/status", json={"status": "handed_over"})
    ukrainian = client.post(f"{AREAS}/{area}/status", json={"status": "handed_over"}, headers=UK)
    assert english.status_code == ukrainian.status_code == 409
    assert english.json()["detail"] == "area is open: it cannot become handed_over; allowed now: worked_on"
    assert ukrainian.json() == {
        "detail": "територія має статус open: її не можна перевести в handed_over; зараз дозволено: worked_on",
        "current_status": "open",
        "allowed": ["worked_on"],
    }


def test_a_domain_rule_and_the_request_validation_answer_422_in_ukrainian(client: TestClient) -> None:
    unknown = area_feature(contamination_types=["ap_mine", "laser_mine"], reported_on="2025-03-14")
    english = client.post(AREAS, json=unknown)
    assert english.status_code == 422
    assert english.json()["detail"].startswith("unknown contamination_types code(s) laser_mine; known codes: ap_mine")
    ukrainian = client.post(AREAS, json=unknown, headers=UK)
    assert ukrainian.status_code == 422
    assert ukrainian.json()["detail"].startswith("невідомі коди contamination_types: laser_mine; відомі коди: ap_mine")
    assert ukrainian.json()["field"] == english.json()["field"]

    # FastAPI's own list of problems keeps its shape; only each `msg` is translated.
    malformed = {"type": "Feature", "geometry": square(36.2, 50.0), "properties": {"classification": "XYZ"}}
    english = client.post(AREAS, json=malformed)
    ukrainian = client.post(AREAS, json=malformed, headers=UK)
    assert english.status_code == ukrainian.status_code == 422
    english_problems = {tuple(p["loc"]): p for p in english.json()["detail"]}
    ukrainian_problems = {tuple(p["loc"]): p for p in ukrainian.json()["detail"]}
    assert english_problems.keys() == ukrainian_problems.keys()
    loc = ("body", "properties", "classification")
    assert english_problems[loc]["msg"] == "Input should be 'SHA' or 'CHA'"
    assert ukrainian_problems[loc]["msg"] == "Значення має бути одним із: 'SHA' або 'CHA'"
    assert {k: v for k, v in ukrainian_problems[loc].items() if k != "msg"} == {
        k: v for k, v in english_problems[loc].items() if k != "msg"
    }
    assert ukrainian.headers["content-language"] == "uk"


def test_an_unknown_route_and_a_refused_role_answer_in_ukrainian(client: TestClient, anonymous: TestClient) -> None:
    assert client.get("/api/v1/no-such-thing", headers=UK).json() == {"detail": "Не знайдено"}
    assert client.get("/api/v1/no-such-thing").json() == {"detail": "Not Found"}
    refused = anonymous.get(AREAS, headers={**UK, "Accept": "application/json"})
    assert refused.status_code == 401
    assert refused.json()["detail"] == "увійдіть або надішліть токен API як `Authorization: Bearer …`"


def test_the_map_pages_oblast_choices_are_named_in_the_pages_language(client: TestClient) -> None:
    created = client.post(AREAS, json=area_feature(hromada_code=KHARKIV_HROMADA, reported_on="2025-03-14"))
    assert created.status_code == 201
    english = client.get("/map").text
    ukrainian = client.get("/map", headers=UK).text
    # The sidebar may or may not add the code after the name; the name is in the page's language either way.
    assert re.search(r'<option value="UA63">Kharkivska( \(UA63\))?</option>', english)
    assert re.search(r'<option value="UA63">Харківська( \(UA63\))?</option>', ukrainian)
    assert '<option value="UA63120270000028556">Kharkivska</option>' in english
    assert "Протипіхотна міна</option>" in ukrainian  # contamination types by their Ukrainian label
    config = re.search(r'<script id="mais-config" type="application/json">(.*?)</script>', ukrainian, re.DOTALL)
    assert config is not None
    assert '"worked_on":"У роботі"' in config.group(1).replace(" ", "") or '"worked_on": "У роботі"' in config.group(1)


def test_the_login_page_speaks_the_browsers_language_and_offers_the_other(anonymous: TestClient) -> None:
    english = anonymous.get("/login")
    assert '<html lang="en">' in english.text
    assert '<label for="username">Username</label>' in english.text
    assert 'href="/language/uk?next=%2Flogin"' in english.text
    ukrainian = anonymous.get("/login?next=/map", headers=UK)
    assert ukrainian.headers["content-language"] == "uk"
    assert '<html lang="uk">' in ukrainian.text
    assert "<title>Увійти · Інформаційна система протимінної діяльності</title>" in ukrainian.text
    assert '<label for="username">Ім’я користувача</label>' in ukrainian.text
    assert '<nav class="language-switch" aria-label="Мова"><a href="/language/en?next=%2Flogin"' in ukrainian.text
    assert "<main>" in ukrainian.text and 'aria-labelledby="login-title"' in ukrainian.text
    wrong = anonymous.post("/login", data={"username": "nobody", "password": "nothing"}, headers=UK)
    assert wrong.status_code == 401
    assert '<p class="error" role="alert">Неправильне ім’я користувача або пароль.</p>' in wrong.text


def test_the_translations_migration_goes_down_and_up_again() -> None:
    from alembic import command
    from sqlalchemy import create_engine, text

    from app.db.migrations import alembic_config, upgrade
    from app.db.scratch import create_database, drop_database

    url = create_database("mais_i18n_roundtrip")
    engine = create_engine(url)
    try:
        upgrade(url, "0009", configure_logger=False)
        command.downgrade(alembic_config(url, configure_logger=False), "0008")
        with engine.connect() as conn:
            columns = conn.execute(
                text("SELECT count(*) FROM information_schema.columns WHERE column_name = 'translations'")
            ).scalar_one()
        assert columns == 0
        upgrade(url, "0009", configure_logger=False)
        with engine.connect() as conn:
            uxo = conn.execute(text("SELECT translations FROM contamination_type WHERE code = 'uxo'")).scalar_one()
        assert uxo == {"uk": "Боєприпас, що не розірвався"}
    finally:
        engine.dispose()
        drop_database(url)


def test_settlements_are_named_in_ukrainian_or_in_the_official_latin_form(client: TestClient) -> None:
    from app.services.priorities.context import load_settlements

    with new_session() as session:
        assert load_settlements(session, user="tests") == 1469
        session.commit()
    url = "/api/v1/dashboard/settlements.geojson"
    english = client.get(url)
    ukrainian = client.get(url, headers=UK)
    assert english.headers["content-language"] == "en" and ukrainian.headers["content-language"] == "uk"
    assert "Accept-Language" in english.headers["vary"]
    english_names = [f["properties"]["name"] for f in english.json()["features"]]
    ukrainian_names = [f["properties"]["name"] for f in ukrainian.json()["features"]]
    assert len(english_names) == len(ukrainian_names) == 1469
    pairs = dict(zip(ukrainian_names, english_names, strict=True))
    assert pairs["Ізюмська"] == "Iziumska" and pairs["Харківська"] == "Kharkivska"
    assert pairs["Яготинська"] == "Yahotynska" and pairs["Згурівська"] == "Zghurivska"
    assert not any(re.search("[а-яіїєґ]", name, re.IGNORECASE) for name in english_names)
