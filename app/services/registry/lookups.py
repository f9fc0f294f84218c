"""Lookup lists that programmes tailor (contamination types, evidence, blockages), and their labels per language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import BlockageType, ContaminationType, ContextLayer, EvidenceType, Lookup, Method
from app.domain.errors import Invalid

LOOKUPS: dict[str, type[Lookup]] = {
    "contamination_types": ContaminationType,
    "evidence": EvidenceType,
    "blockages": BlockageType,
    "methods": Method,
}
# Listed with the others (GET /api/v1/lookups) but checked where layers are loaded (services.priorities.context).
LISTED: dict[str, type[Lookup]] = {**LOOKUPS, "context_layers": ContextLayer}


def label_of(row: Lookup | Mapping[str, Any], language: str) -> str:
    """A lookup row's label in `language`: its translation if it has one, else its English label, else its code.

    `row` is a model instance or a dict with `label` and `translations` (as `list_lookups` gives them).
    """
    if isinstance(row, Mapping):
        label, translations, code = row.get("label"), row.get("translations") or {}, row.get("code")
    else:
        label, translations, code = row.label, row.translations or {}, row.code
    return str(translations.get(language) or label or code or "")


def lookup_labels(session: Session, language: str) -> dict[str, dict[str, str]]:
    """{list: {code: label}} of every lookup list in `language` (for pages, reports and exports)."""
    return {
        field: {str(entry["code"]): label_of(entry, language) for entry in entries}
        for field, entries in list_lookups(session).items()
    }


def list_lookups(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every lookup list, ordered as the programme configured it, each row with its labels in other languages."""
    out: dict[str, list[dict[str, Any]]] = {}
    for field, model in LISTED.items():
        rows = session.scalars(select(model).order_by(model.sort_order, model.code))
        out[field] = [
            {"code": r.code, "label": r.label, "kind": getattr(r, "kind", None), "translations": r.translations or {}}
            for r in rows
        ]
    return out


def check_codes(session: Session, field: str, codes: Iterable[str], *, where: str | None = None) -> list[str]:
    """Return the codes de-duplicated in order, or refuse unknown ones naming the known ones."""
    model = LOOKUPS[field]
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return wanted
    known = list(session.scalars(select(model.code).order_by(model.sort_order, model.code)))
    unknown = [code for code in wanted if code not in known]
    if unknown:
        name = (where or field).rsplit(".", 1)[-1]
        raise Invalid(
            f"unknown {name} code(s) {', '.join(unknown)}; known codes: {', '.join(known)}",
            field=where or f"properties.{field}",
        )
    return wanted
