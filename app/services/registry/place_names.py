"""Admin units by name in the reader's language, for choices and labels (docs/languages.md).

A loaded unit (`admin_unit`) has its official name and, from the boundary file, its official Latin
form (`name_en`); where no boundaries are loaded the shipped hromada list (gis.reference) names
Ukraine's oblasts and hromadas in Ukrainian, and English gets them transliterated by the official
rules (`app.i18n.latin`, which gives the boundary files' Latin forms letter for letter).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import AdminUnit, ContaminationType
from app.i18n import place_name, sort_key
from app.services.registry.lookups import label_of
from gis.reference import load_hromadas

# The keys of the filter choices that hold admin codes, widest first.
ADMIN_KEYS = ("oblasts", "raions", "hromadas")


@lru_cache(maxsize=1)
def _reference() -> dict[str, str]:
    """Ukrainian names of Ukraine's oblasts and hromadas by KATOTTG code, from the shipped list."""
    hromadas = load_hromadas()
    return {
        **dict(zip(hromadas["oblast_code"], hromadas["oblast_name"], strict=True)),
        **dict(zip(hromadas["hromada_code"], hromadas["hromada"], strict=True)),
    }


def unit_names(session: Session, codes: set[str], language: str) -> dict[str, str]:
    """Names in `language` of the admin units with these codes: loaded units first, then the shipped list."""
    names = {code: place_name(name, None, language) for code, name in _reference().items() if code in codes}
    rows = session.execute(select(AdminUnit.code, AdminUnit.name, AdminUnit.name_en).where(AdminUnit.code.in_(codes)))
    names.update({code: place_name(name, name_en, language) for code, name, name_en in rows})
    return names


def named_choices(session: Session, choices: dict[str, list[Any]], language: str) -> dict[str, list[Any]]:
    """The filter choices worded in `language`: admin units by name (in its order), contamination types by label.

    `admin_names` holds [code, name] pairs of every admin code offered that has a name; codes
    stay the values, so a filter works the same in either language.
    """
    named = dict(choices)
    codes = {code for key in ADMIN_KEYS for code in choices.get(key, [])}
    names = unit_names(session, codes, language) if codes else {}
    for key in ADMIN_KEYS:
        if key in choices:
            named[key] = sorted(
                choices[key], key=lambda code: (code not in names, sort_key(str(names.get(code) or code)))
            )
    named["admin_names"] = [[code, names[code]] for key in ADMIN_KEYS for code in named.get(key, []) if code in names]
    rows = session.scalars(select(ContaminationType).order_by(ContaminationType.sort_order, ContaminationType.code))
    named["contamination_types"] = [(row.code, label_of(row, language)) for row in rows]
    return named


def named_features(collection: str, language: str) -> str:
    """A GeoJSON FeatureCollection (text) whose features' `name` is a Ukrainian place name, named in `language`."""
    if language == "uk":
        return collection
    parsed = json.loads(collection)
    for feature in parsed.get("features", []):
        properties = feature.get("properties") or {}
        if isinstance(properties.get("name"), str):
            properties["name"] = place_name(properties["name"], None, language)
    return json.dumps(parsed, ensure_ascii=False, separators=(",", ":"))
