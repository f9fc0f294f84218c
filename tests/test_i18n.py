"""Languages: which one a request gets, the switch, and numbers, dates and place names per language."""

from __future__ import annotations

import datetime as dt

from app.i18n import format_date, format_number, gettext, latin, negotiate, place_name, sort_key


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
    # Without a recorded Latin form, English gets the official transliteration; other scripts stay as they are.
    assert place_name("Харківська", None, "en") == "Kharkivska"
    assert place_name("Veri", None, "en") == "Veri"


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


def test_the_official_transliteration_gives_every_latin_name_of_the_boundary_files() -> None:
    import gzip
    import json
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "gis" / "data" / "ukraine-admin"
    pairs = []
    for level in (1, 2, 3):
        with gzip.open(folder / f"ua_adm{level}.geojson.gz", "rt", encoding="utf-8") as handle:
            pairs += [(f["properties"]["name_uk"], f["properties"]["name_en"]) for f in json.load(handle)["features"]]
    assert len(pairs) == 1637
    assert [(uk, en) for uk, en in pairs if latin(uk) != en] == []
    assert latin("Згурівка") == "Zghurivka" and latin("Яготин") == "Yahotyn" and latin("Знам’янка") == "Znamianka"


def test_ukrainian_names_sort_in_the_ukrainian_alphabet() -> None:
    names = ["Ізюм", "Запоріжжя", "Євпаторія", "Дніпро", "Житомир", "Їжаківка", "Ґрунь", "Гадяч"]
    assert sorted(names, key=sort_key) == ["Гадяч", "Ґрунь", "Дніпро", "Євпаторія", "Житомир", "Запоріжжя", "Ізюм",
                                             "Їжаківка"]  # fmt: skip


def test_every_vocabulary_value_has_an_english_and_a_ukrainian_label() -> None:
    from app.domain.labels import LABELS, VOCABULARIES, vocabulary_label, vocabulary_labels

    assert {kind: set(values) for kind, values in LABELS.items()} == {
        kind: set(values) for kind, values in VOCABULARIES.items()
    }
    untranslated = [
        (kind, value)
        for kind, values in VOCABULARIES.items()
        for value in values
        if vocabulary_label(kind, value, "uk") == vocabulary_label(kind, value, "en")
    ]
    assert untranslated == []
    assert vocabulary_label("classification", "CHA", "uk") == "Підтверджена небезпечна територія (ПдНТ)"
    assert vocabulary_label("area_status", "worked_on", "en") == "Worked on"
    # One English word, two Ukrainian forms by context: cancelled land, a cancelled activity, a suspended task.
    assert vocabulary_label("release_kind", "cancelled", "uk") == "Скасовано"
    assert vocabulary_label("task_status", "qa_failed", "uk") == "Контроль якості не пройдено"
    assert vocabulary_label("area_status", "no_such_status", "uk") == "no_such_status"
    assert vocabulary_labels("uk")["area_status"]["handed_over"] == "Передана"


def test_error_templates_translate_the_values_they_capture() -> None:
    from app.i18n import translate_text

    def uk(text: str) -> str:
        return translate_text("uk", "errors", text)

    assert uk("task 7 does not exist") == "завдання 7: такого запису немає"
    assert uk("the role viewer may not record or correct hazardous areas") == (
        "роль viewer не може вносити або виправляти небезпечні території"
    )
    assert uk("Value error, status cannot be removed") == "Неприпустиме значення: статус не можна вилучити"
    assert uk("area is open: it is already open; allowed now: none") == (
        "територія має статус open: вона вже має статус open; зараз дозволено: нічого"
    )
    assert uk("something no catalogue knows") == "something no catalogue knows"
    assert uk("none") == "none"  # a fragment is translated only inside a template
    assert translate_text("en", "errors", "task 7 does not exist") == "task 7 does not exist"
