"""An area's admin codes on every write through the API: given codes checked, the others derived from its geometry."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import AdminUnit, HazardousArea
from app.domain.errors import Invalid
from app.schemas.hazardous_area import HazardousAreaFields
from app.services.registry.admin_units import ADMIN_COLUMNS, derive_admin_codes


def settle_admin_codes(
    session: Session, area: HazardousArea, given: HazardousAreaFields, *, geometry_changed: bool
) -> None:
    """Check the codes a client gave against the loaded units and derive the ones it did not give (flushes).

    A given code must name a unit of its level once that level is loaded (422 naming it), and given
    codes must nest. Codes not given are derived from the geometry when they are missing, and again
    when the geometry or another admin code of the area changes. Without loaded boundaries the
    codes stay as given.
    """
    loaded = set(session.scalars(select(AdminUnit.level).distinct()))
    if not loaded:
        return
    given_codes = {
        level: code for level, column in ADMIN_COLUMNS.items() if (code := getattr(given, column)) is not None
    }
    for level, code in given_codes.items():
        if level in loaded and _parent_of(session, level, code) is None:
            column = ADMIN_COLUMNS[level]
            raise Invalid(
                f"{column} {code!r} is not a loaded level-{level} admin unit: see "
                f"GET /api/v1/admin-units?level={level}, or leave it out to derive it from the geometry",
                field=f"properties.{column}",
            )
    stale = [level for level in loaded if level not in given_codes]
    if geometry_changed or given_codes:
        for level in stale:
            setattr(area, ADMIN_COLUMNS[level], None)
    elif all(getattr(area, ADMIN_COLUMNS[level]) is not None for level in stale):
        return
    session.flush()
    derive_admin_codes(session, [area.id])
    columns = [getattr(HazardousArea, column) for column in ADMIN_COLUMNS.values()]
    row = session.execute(select(*columns).where(HazardousArea.id == area.id)).one()
    codes = dict(zip(ADMIN_COLUMNS, row, strict=True))
    if given_codes:
        _check_nesting(session, codes, given_codes)
    # The audit trail records what the ORM writes (app/db/audit.py): the derived codes go through it too.
    for level, column in ADMIN_COLUMNS.items():
        if getattr(area, column) != codes[level]:
            setattr(area, column, codes[level])
    session.flush()


def _parent_of(session: Session, level: int, code: str) -> tuple[str | None] | None:
    """(parent code,) of the loaded unit of this level and code; None when there is no such unit."""
    query = select(AdminUnit.parent_code).where(AdminUnit.level == level, AdminUnit.code == code).limit(1)
    row = session.execute(query).first()
    return None if row is None else (row.parent_code,)


def _check_nesting(session: Session, codes: dict[int, str | None], given: dict[int, str]) -> None:
    """Each unit lies in the next wider one, as the loaded units' parents say; the wider given code is blamed."""
    for level in (3, 2):
        child, parent = codes[level], codes[level - 1]
        found = _parent_of(session, level, child) if child is not None and parent is not None else None
        if found is None or found[0] is None or found[0] == parent:
            continue
        blamed = ADMIN_COLUMNS[level - 1 if level - 1 in given else level]
        raise Invalid(
            f"{ADMIN_COLUMNS[level]} {child} lies in {ADMIN_COLUMNS[level - 1]} {found[0]}, not {parent}: "
            "give codes that nest, or leave the wider ones out to derive them",
            field=f"properties.{blamed}",
        )
