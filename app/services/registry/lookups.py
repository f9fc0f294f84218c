"""Lookup lists that programmes tailor (contamination types, evidence, blockages)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import BlockageType, ContaminationType, EvidenceType, Lookup, Method
from app.domain.errors import Invalid

LOOKUPS: dict[str, type[Lookup]] = {
    "contamination_types": ContaminationType,
    "evidence": EvidenceType,
    "blockages": BlockageType,
    "methods": Method,
}


def list_lookups(session: Session) -> dict[str, list[dict[str, str | None]]]:
    """Every lookup list, ordered as the programme configured it."""
    out: dict[str, list[dict[str, str | None]]] = {}
    for field, model in LOOKUPS.items():
        rows = session.scalars(select(model).order_by(model.sort_order, model.code))
        out[field] = [{"code": r.code, "label": r.label, "kind": getattr(r, "kind", None)} for r in rows]
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
