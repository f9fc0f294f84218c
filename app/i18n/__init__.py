"""Ukrainian and English: the catalogues, the choice of language, and numbers and dates per locale.

Strings are written in English in the code and looked up by that English text (gettext's
convention), so an untranslated string shows in English rather than as a key. Translations live
in gettext PO files, one per part of the product (`app/i18n/uk/dashboard.po`, `reports.po`,
`errors.po`, …), read with Babel when first asked for: there is no compile step and no generated
file. A part's catalogue may also be handed whole to the browser (`catalogue`), where
dashboard.js looks strings up the same way. docs/architecture.md §2 (languages).

This module is a leaf like app.config: anyone may import it, it imports nothing else of app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

Language = Literal["en", "uk"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "en"
# The name each language has in itself, for the switch on every page.
LANGUAGE_NAMES: dict[Language, str] = {"en": "English", "uk": "Українська"}
# The cookie the visible switch sets; it wins over the browser's Accept-Language.
LANGUAGE_COOKIE = "mais_lang"

_HERE = Path(__file__).parent


def negotiate(accept_language: str | None, chosen: str | None = None) -> Language:
    """The language to answer in: the one chosen (switch or `?lang=`) if known, else the browser's best, else English.

    Accept-Language is read with its q-weights; `uk-UA`, `uk` and `ru-UA, uk;q=0.8` all give Ukrainian.
    """
    if chosen in LANGUAGES:
        return chosen
    wanted: list[tuple[float, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            wanted.append((-quality, f"{position:04d}{tag}"))
    for _, keyed in sorted(wanted):
        primary = keyed[4:].split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


@lru_cache(maxsize=32)
def catalogue(language: str, part: str) -> dict[str, str]:
    """English → translation for one part of the product (empty for English or a missing file)."""
    path = _HERE / language / f"{part}.po"
    if language == DEFAULT_LANGUAGE or not path.exists():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=language)
    return {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}


# The parts whose strings the map page's scripts need (handed to the browser in the page's config).
BROWSER_PARTS = ("dashboard", "basemap", "tasking", "layout")


@lru_cache(maxsize=8)
def browser_strings(language: str) -> dict[str, str]:
    """English → translation of every string the map page's scripts show (for `dash.t` in dashboard.js)."""
    merged: dict[str, str] = {}
    for part in BROWSER_PARTS:
        merged.update(catalogue(language, part))
    return merged


@lru_cache(maxsize=8)
def _all(language: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    folder = _HERE / language
    if language != DEFAULT_LANGUAGE and folder.is_dir():
        for path in sorted(folder.glob("*.po")):
            merged.update(catalogue(language, path.stem))
    return merged


def gettext(language: str, message: str) -> str:
    """`message` in `language`, or `message` itself when no catalogue has it."""
    return _all(language).get(message, message)


def translator(language: str) -> Callable[[str], str]:
    """The lookup of one language, bound as `_` by the caller, then `_("Hazardous areas")`."""
    table = _all(language)
    return lambda message: table.get(message, message)


def babel_locale(language: str) -> Locale:
    """Babel's locale for a language (Ukrainian as spoken in Ukraine, English with British conventions)."""
    try:
        return Locale.parse({"uk": "uk_UA", "en": "en_GB"}.get(language, language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def format_number(value: float | int | None, language: str, digits: int = 0) -> str:
    """A number as the language writes it: `1,234,567` in English, `1 234 567` in Ukrainian."""
    if value is None:
        return "–"
    pattern = "#,##0" + (("." + "0" * digits) if digits else "")
    return format_decimal(value, format=pattern, locale=babel_locale(language))


def format_date(value: dt.date | None, language: str, style: str = "medium") -> str:
    """A date as the language writes it (`12 Mar 2025`, `12 бер. 2025 р.`)."""
    if value is None:
        return "–"
    return _babel_date(value, format=style, locale=babel_locale(language))


def place_name(name: str | None, name_en: str | None, language: str) -> str:
    """A place in the reader's language: the official name in Ukrainian, its official Latin form in English."""
    if language == "uk":
        return name or name_en or ""
    return name_en or name or ""
