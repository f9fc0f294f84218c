"""Ukrainian and English: the catalogues, the choice of language, and numbers and dates per locale.

Strings are written in English in the code and looked up by that English text (gettext's
convention), so an untranslated string shows in English rather than as a key. Translations live
in gettext PO files, one per part of the product (`app/i18n/uk/dashboard.po`, `reports.po`,
`errors.po`, …), read with Babel when first asked for: there is no compile step and no generated
file. A part's catalogue may also be handed whole to the browser (`catalogue`), where
dashboard.js looks strings up the same way. A message with a context (msgctxt, `pgettext`) is how
one English word takes two Ukrainian forms; `translate_text` also reads a part's templates
(`{what} does not exist`), for messages the code writes with values in them. Place names come in
Ukrainian or in the official Latin transliteration (`place_name`, `latin`). docs/languages.md.

This module is a leaf like app.config: anyone may import it, it imports nothing else of app.
"""

from __future__ import annotations

import datetime as dt
import re
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
    return {
        _key(m.context, m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy and isinstance(m.id, str)
    }


def _key(context: str | None, message: str) -> str:
    # gettext's own convention for a message with a context (msgctxt): "context\x04message".
    return f"{context}\x04{message}" if context else message


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


def pgettext(language: str, context: str, message: str) -> str:
    """`message` in `language` as the catalogue words it in `context` (msgctxt), else as `gettext` does."""
    table = _all(language)
    return table.get(_key(context, message)) or table.get(message, message)


# A message template's placeholders: `{what} does not exist` (Python's format syntax, names only).
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_ONE, _ANY = r"\S+?", r".+?"
# Templates of this context translate the values put into other templates only ("SHA or CHA").
FRAGMENT = "fragment"
# Placeholders with these names match one word (no space), the others any text: `{field} cannot be
# removed` then cannot swallow `Value error, status cannot be removed`.
ONE_WORD = frozenset(("id", "n", "field", "status", "current", "target", "role", "method", "path", "limit", "actual"))


@lru_cache(maxsize=16)
def _templates(language: str, part: str) -> tuple[tuple[re.Pattern[str], str, bool], ...]:
    """The part's templates as (pattern, translation, fragment only), the most specific (longest fixed text) first."""
    found = []
    for key, translated in catalogue(language, part).items():
        context, _, message = key.rpartition("\x04")
        if not _PLACEHOLDER.search(message):
            continue
        pieces = _PLACEHOLDER.split(message)  # text, name, text, name, …, text
        pattern = "".join(
            re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>{_ONE if piece in ONE_WORD else _ANY})"
            for i, piece in enumerate(pieces)
        )
        fixed = sum(len(piece) for piece in pieces[::2])
        found.append((fixed, re.compile(f"^{pattern}$", re.DOTALL), translated, context == FRAGMENT))
    found.sort(key=lambda item: -item[0])
    return tuple((pattern, translated, fragment) for _, pattern, translated, fragment in found)


def translate_text(language: str, part: str, text: str, *, _fragment: bool = False, _depth: int = 0) -> str:
    """`text`, written in English by the code (often with values in it), in `language` where the part knows it.

    First the text as a whole (msgid), then the part's templates: msgid `{what} does not exist` with
    msgstr `{what}: такого запису немає` matches `hazardous area 12 does not exist`, and the values
    it captured are translated the same way (`hazardous area {id}` → `небезпечна територія {id}`).
    Text no catalogue knows stays English. Used for the API's error messages (app/api/errors.py).
    """
    table = catalogue(language, part)
    if not table or not text:
        return text
    whole = table.get(text) or (table.get(_key(FRAGMENT, text)) if _fragment else None)
    if whole:
        return whole
    if _depth > 3:
        return text
    for pattern, translated, fragment in _templates(language, part):
        if fragment and not _fragment:
            continue
        match = pattern.match(text)
        if match:
            values = {
                name: translate_text(language, part, value, _fragment=True, _depth=_depth + 1)
                for name, value in match.groupdict().items()
            }
            return _fill(translated, values)
    return text


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


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
    """A place in the reader's language: the official name in Ukrainian, its official Latin form in English.

    Without a recorded Latin form, English gets the name transliterated by the official rules (`latin`).
    """
    if language == "uk":
        return name or name_en or ""
    return name_en or latin(name or "")


# Ukrainian alphabetical order (Unicode puts Є, І, Ї before А), then the Latin letters as they come.
_ALPHABET = {c: i for i, c in enumerate("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя")}


def sort_key(text: str) -> tuple[tuple[int, str], ...]:
    """A key that sorts names as a Ukrainian reader expects (Івано-Франківська after Запорізька), Latin ones too."""
    return tuple((_ALPHABET[c] if c in _ALPHABET else 100 + ord(c), c) for c in text.lower())


# The official transliteration of Ukrainian (Cabinet of Ministers resolution No. 55 of 27 January 2010),
# the one the KATOTTG names in English follow: Харківська → Kharkivska, Ізюм → Izium, Згурівка → Zghurivka.
_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ю": "iu",
    "я": "ia",
}
_LATIN.update({"ь": "", "'": "", "’": "", "ʼ": ""})  # the soft sign and the apostrophe are not written
# At the start of a word these letters are written as in `Yevhen`, `Yizhakevychi`, `Yosypivka`, `Yuzhne`, `Yahotyn`.
_LATIN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def latin(text: str) -> str:
    """`text` in the official Latin transliteration of Ukrainian (letters other than Ukrainian ones are kept)."""
    out: list[str] = []
    previous = ""
    for char in text:
        lower = char.lower()
        if lower == "г" and previous == "з":
            latin_char = "gh"  # зг → zgh, so that it is not read as "zh"
        elif lower in _LATIN_INITIAL and (not previous or not (previous.isalpha() or previous in "'’ʼ")):
            latin_char = _LATIN_INITIAL[lower]
        else:
            latin_char = _LATIN.get(lower, char)
        if char != lower and latin_char:
            latin_char = latin_char[0].upper() + latin_char[1:]
        out.append(latin_char)
        previous = lower
    return "".join(out)
