"""Words instead of codes for the dashboard: lookup labels and place names in the reader's language.

Lookup tables carry an English `label` and `translations` ({"uk": "…"}); admin units carry the
official name (Ukrainian) and its Latin form. A code shows only when nothing names it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.i18n import place_name
from app.services.registry.lookups import lookup_labels as registry_lookup_labels

# The page's names of the lookup lists (their tables'), from those of GET /api/v1/lookups.
PAGE_NAMES = {
    "contamination_types": "contamination_type",
    "methods": "method",
    "evidence": "evidence_type",
    "blockages": "blockage_type",
}


def lookup_labels(session: Session, language: str) -> dict[str, dict[str, str]]:
    """Code → label in `language` (English when untranslated) of every lookup list the dashboard shows."""
    lists = registry_lookup_labels(session, language)
    return {page: lists.get(name, {}) for name, page in PAGE_NAMES.items()}


def admin_names(session: Session, codes: Iterable[str | None], language: str) -> dict[str, str]:
    """Names in `language` of the loaded admin units with these codes."""
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    rows = session.execute(
        text("SELECT code, name, name_en FROM admin_unit WHERE code = ANY(:codes)"), {"codes": wanted}
    )
    return {r.code: place_name(r.name, r.name_en, language) for r in rows}


def place(names: dict[str, str], *codes: str | None) -> str:
    """The named units among `codes` (narrowest first), joined by commas; "" when none is known."""
    return ", ".join(names[c] for c in codes if c and c in names)


def label_rows(session: Session, rows: list[dict[str, Any]], language: str) -> None:
    """Add `place` (hromada, raion, oblast by name) and `contamination` (labels) to rows that carry the codes."""
    names = admin_names(
        session, (r.get(k) for r in rows for k in ("oblast_code", "raion_code", "hromada_code")), language
    )
    types = lookup_labels(session, language)["contamination_type"]
    for row in rows:
        row["place"] = place(names, row.get("hromada_code"), row.get("raion_code"), row.get("oblast_code"))
        row["contamination"] = [types.get(c, c) for c in row.get("contamination_types") or []]
