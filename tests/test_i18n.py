"""Languages: which one a request gets, the switch, and numbers, dates and place names per language."""

from __future__ import annotations

import datetime as dt

from app.i18n import format_date, format_number, gettext, negotiate, place_name


def test_browser_asking_for_ukrainian_gets_ukrainian_and_english_is_the_fallback() -> None:
    assert negotiate("uk-UA,uk;q=0.9,en;q=0.8") == "uk"
    assert negotiate("ru-UA,uk;q=0.8,en;q=0.5") == "uk"  # the best language we have, by the browser's weights
    assert negotiate("en-US,en;q=0.9,uk;q=0.5") == "en"
    assert negotiate("de-DE") == "en"
    assert negotiate(None) == "en"
    assert negotiate("en-US", chosen="uk") == "uk"  # the switch wins over the browser
    assert negotiate("uk", chosen="fr") == "uk"  # an unknown choice is ignored


def test_untranslated_text_stays_english_and_known_text_is_ukrainian() -> None:
    assert gettext("uk", "Log out") == "Вийти"
    assert gettext("en", "Log out") == "Log out"
    assert gettext("uk", "no such message anywhere") == "no such message anywhere"


def test_numbers_dates_and_places_are_written_the_languages_way() -> None:
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(1234567.5, "uk", 1) == "1\u00a0234\u00a0567,5"
    assert format_date(dt.date(2025, 3, 12), "en") == "12 Mar 2025"
    assert format_date(dt.date(2025, 3, 12), "uk").startswith("12 бер. 2025")
    assert place_name("Харківська", "Kharkivska", "uk") == "Харківська"
    assert place_name("Харківська", "Kharkivska", "en") == "Kharkivska"
    assert place_name("Харківська", None, "en") == "Харківська"


def test_map_page_declares_its_language_and_offers_the_other(client) -> None:  # type: ignore[no-untyped-def]
    english = client.get("/map")
    assert '<html lang="en">' in english.text
    assert english.headers["content-language"] == "en"
    assert 'href="/language/uk?next=%2Fmap"' in english.text
    ukrainian = client.get("/map", headers={"Accept-Language": "uk-UA,uk;q=0.9"})
    assert '<html lang="uk">' in ukrainian.text
    assert "Вийти" in ukrainian.text


def test_language_switch_sets_the_cookie_and_refuses_other_sites(client) -> None:  # type: ignore[no-untyped-def]
    switched = client.get("/language/uk?next=/map", follow_redirects=False)
    assert switched.status_code == 303
    assert switched.headers["location"] == "/map"
    assert "mais_lang=uk" in switched.headers["set-cookie"]
    assert client.get("/map").text.count('<html lang="uk">') == 1  # the cookie now decides
    outside = client.get("/language/en?next=//evil.example/", follow_redirects=False)
    assert outside.headers["location"] == "/map"
    assert client.get("/language/fr", follow_redirects=False).status_code == 404
