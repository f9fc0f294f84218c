"""Admin units of any country: boundaries loaded from files, and areas' admin codes derived from them.

`admin_unit` holds each unit's polygon under the code records carry (oblast_code, raion_code,
hromada_code for levels 1–3). Loading a country's boundaries is all it takes for the filters,
reports and derived codes to work there; Ukraine's ship with the package (gis/data/ukraine-admin/).
Derivation is set-based (a few UPDATE … FROM statements whatever the number of areas), because an
import derives codes for thousands of areas at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
from sqlalchemy import func, select, text
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from app.db.bulk import copy_rows, ewkb
from app.db.models import AdminUnit, HazardousArea
from app.domain.errors import Invalid
from app.schemas.common import HROMADA_PATTERN, OBLAST_PATTERN, RAION_PATTERN
from app.services.registry.quality import refresh_quality
from gis.boundaries import UKRAINE, UKRAINE_ATTRIBUTION, BoundaryFields, read_boundaries, read_ukraine

ADMIN_COLUMNS = {1: "oblast_code", 2: "raion_code", 3: "hromada_code"}
LEVEL_PATTERNS = {1: OBLAST_PATTERN, 2: RAION_PATTERN, 3: HROMADA_PATTERN}
SHOWN = 5  # codes named in a refusal before "…"


@dataclass(frozen=True)
class BoundariesLoaded:
    """What loading one level of one country's boundaries did."""

    country: str
    level: int
    added: int
    updated: int
    absent: int  # units of this country and level already loaded but not in the file: kept as they were
    areas_coded: int  # live areas that had no code at this level and got one from these units
    repaired: int = 0  # invalid polygons made valid on reading
    reprojected_from: str | None = None  # the file's CRS when it was not WGS 84


# Staging table for COPY: the rows are checked as a set, then upserted by one INSERT … SELECT.
STAGING_SQL = """
    CREATE TEMP TABLE admin_unit_load (
        code text, name text, name_en text, parent_code text, geom geometry(MultiPolygon, 4326)
    ) ON COMMIT DROP"""
UPSERT_SQL = """
    INSERT INTO admin_unit (country, level, code, name, name_en, parent_code, source, geom, created_by)
    SELECT :country, :level, code, name, name_en, parent_code, :source, geom, :user FROM admin_unit_load
    ON CONFLICT (country, code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en,
        parent_code = EXCLUDED.parent_code, source = EXCLUDED.source, geom = EXCLUDED.geom"""


def load_boundaries(
    session: Session, frame: gpd.GeoDataFrame, *, country: str, level: int, source: str | None, user: str
) -> BoundariesLoaded:
    """Upsert one level of a country's units by (country, code) and derive the codes live areas lack (no commit).

    `frame` is what `gis.boundaries.read_boundaries` returns: code, name, name_en, parent_code and
    valid WGS 84 MultiPolygons.
    """
    if not re.fullmatch(r"[A-Z]{2}", country or ""):
        raise Invalid(f"country {country!r} is not an ISO 3166-1 alpha-2 code such as UA or XK", field="country")
    if level not in ADMIN_COLUMNS:
        raise Invalid(f"level {level} is not an admin level: 1 (oblast), 2 (raion) or 3 (hromada)", field="level")
    _check_codes(frame, level)
    session.execute(text("DROP TABLE IF EXISTS pg_temp.admin_unit_load"))  # a second level in the same transaction
    session.execute(text(STAGING_SQL))
    rows = zip(
        frame["code"], frame["name"], frame["name_en"], frame["parent_code"], ewkb(frame.geometry.values), strict=True
    )
    copy_rows(session, "admin_unit_load", ("code", "name", "name_en", "parent_code", "geom"), rows)
    _check_against_loaded(session, country=country, level=level)
    params = {"country": country, "level": level}
    updated = session.execute(
        text("SELECT count(*) FROM admin_unit_load l JOIN admin_unit u ON u.country = :country AND u.code = l.code"),
        params,
    ).scalar_one()
    absent = session.execute(
        text(
            "SELECT count(*) FROM admin_unit u WHERE u.country = :country AND u.level = :level"
            " AND NOT EXISTS (SELECT FROM admin_unit_load l WHERE l.code = u.code)"
        ),
        params,
    ).scalar_one()
    session.execute(text(UPSERT_SQL), {**params, "source": source, "user": user})
    uncoded = select(HazardousArea.id).where(
        getattr(HazardousArea, ADMIN_COLUMNS[level]).is_(None), HazardousArea.deleted_at.is_(None)
    )
    ids = list(session.scalars(uncoded))
    derive_admin_codes(session, ids)
    coded = len(ids) - (session.scalar(select(func.count()).select_from(uncoded.subquery())) or 0)
    if level == 1:  # the country's outline changed: which areas lie outside it may have too
        refresh_quality(
            session, list(session.scalars(select(HazardousArea.id).where(HazardousArea.deleted_at.is_(None))))
        )
    return BoundariesLoaded(country, level, len(frame) - updated, updated, absent, coded)


def _check_codes(frame: gpd.GeoDataFrame, level: int) -> None:
    """Codes that records could not carry through the API are refused before anything is written."""
    if level == 1 and frame["parent_code"].notna().any():
        raise Invalid("level-1 units have no parent: load them without a parent field", field="parent_field")
    bad = [code for code in frame["code"] if not re.match(LEVEL_PATTERNS[level], code)]
    if bad:
        raise Invalid(
            f"code(s) {_listed(bad)} cannot be admin codes of level {level}: use letters, digits, - _ . (up to 32, "
            "starting with a letter, e.g. the country's ISO code: XK01); Ukrainian codes are KATOTTG (UA63, "
            "UA6312, UA + 17 digits)",
            field="code_field",
        )


def _check_against_loaded(session: Session, *, country: str, level: int) -> None:
    """A code may not name a unit of another level; parents must exist once their level is loaded."""
    params = {"country": country, "level": level}
    clashes = session.scalars(
        text(
            "SELECT l.code FROM admin_unit_load l JOIN admin_unit u ON u.country = :country AND u.code = l.code"
            " WHERE u.level <> :level ORDER BY 1"
        ),
        params,
    ).all()
    if clashes:
        raise Invalid(
            f"code(s) {_listed(clashes)} are already units of another level of {country}: "
            "codes are unique within a country",
            field="code_field",
        )
    orphans = session.scalars(
        text(
            "SELECT DISTINCT l.parent_code FROM admin_unit_load l"
            " WHERE l.parent_code IS NOT NULL"
            " AND EXISTS (SELECT FROM admin_unit p WHERE p.country = :country AND p.level = :level - 1)"
            " AND NOT EXISTS (SELECT FROM admin_unit p WHERE p.country = :country AND p.level = :level - 1"
            "                 AND p.code = l.parent_code) ORDER BY 1"
        ),
        params,
    ).all()
    if orphans:
        raise Invalid(
            f"parent code(s) {_listed(orphans)} are no level-{level - 1} unit of {country}: "
            "check the parent field, or load the parent level from the same source first",
            field="parent_field",
        )


def load_boundary_file(
    session: Session,
    path: str,
    fields: BoundaryFields,
    *,
    country: str,
    level: int,
    layer: str | None = None,
    source: str | None = None,
    user: str,
) -> BoundariesLoaded:
    """Read one level of a country's boundaries from a file and load it (`mais load-boundaries FILE`; no commit)."""
    read = read_boundaries(path, fields, layer=layer)
    loaded = load_boundaries(
        session, read.frame, country=country, level=level, source=source or Path(path).name, user=user
    )
    return replace(loaded, repaired=read.repaired, reprojected_from=read.reprojected_from)


def load_ukraine(session: Session, *, user: str, if_empty: bool = False) -> list[BoundariesLoaded]:
    """Ukraine's shipped oblasts, raions and hromadas (27 / 138 / 1,472); with `if_empty`, only into an empty table."""
    if if_empty and session.scalar(select(AdminUnit.id).limit(1)) is not None:
        return []
    return [
        load_boundaries(
            session, read_ukraine(level).frame, country="UA", level=level, source=UKRAINE_ATTRIBUTION, user=user
        )
        for level in sorted(UKRAINE)
    ]


# Derivation works on a scratch copy of the areas' codes and writes each changed area once at the
# end: rewriting an area row costs far more than finding its units (the row is wide and indexed).
DERIVED_SQL = """
    CREATE TEMP TABLE admin_codes_derived ON COMMIT DROP AS
    SELECT id, oblast_code, raion_code, hromada_code FROM hazardous_area WHERE id = ANY(CAST(:ids AS bigint[]))"""
# Codes above a known unit are its parents: filled from the table before any geometry is looked at.
PARENT_SQL = """
    UPDATE admin_codes_derived AS d SET {parent} = u.parent_code
    FROM admin_unit AS u
    WHERE d.{parent} IS NULL AND u.level = :level AND u.code = d.{column} AND u.parent_code IS NOT NULL"""
# The unit holding the largest part of each area, among those inside the area's parent unit when it
# has one; the intersection is measured only where more than one unit is hit. Planar degrees² are
# enough to compare the parts of one area with each other. {hits} finds (area, unit) pairs.
LARGEST_PART_SQL = """
    UPDATE admin_codes_derived AS d SET {column} = best.code
    FROM (
        SELECT DISTINCT ON (hit.id) hit.id, hit.code
        FROM (
            SELECT d.id, u.id AS unit_id, u.code, count(*) OVER (PARTITION BY d.id) AS units
            FROM {hits}
            JOIN admin_codes_derived AS d ON d.id = h.id
            WHERE u.level = :level AND d.{column} IS NULL{within_parent}
        ) AS hit
        ORDER BY hit.id,
                 CASE WHEN hit.units = 1 THEN 0 ELSE (
                     SELECT ST_Area(ST_Intersection(u.geom, h.geom)) FROM hazardous_area AS h, admin_unit AS u
                     WHERE h.id = hit.id AND u.id = hit.unit_id) END DESC,
                 hit.code
    ) AS best
    WHERE d.id = best.id"""
WITHIN_PARENT = " AND (d.{parent} IS NULL OR u.parent_code IS NULL OR u.parent_code = d.{parent})"
# Both use the GiST index of admin_unit or hazardous_area. For a few areas, each area looks up its
# units. For many, each unit looks up its areas: consecutive tests then share the unit's polygon,
# which PostGIS prepares once (cached), about ten times faster than preparing a large oblast polygon
# for every area; OFFSET 0 keeps the planner from turning the loop around.
HITS_BY_AREA = """hazardous_area AS h
            JOIN admin_unit AS u ON ST_Intersects(u.geom, h.geom) AND h.id = ANY(CAST(:ids AS bigint[]))"""
HITS_BY_UNIT = """admin_unit AS u
            CROSS JOIN LATERAL (
                SELECT h.id FROM hazardous_area AS h
                WHERE h.geom && u.geom AND h.id = ANY(CAST(:ids AS bigint[])) AND ST_Intersects(u.geom, h.geom)
                OFFSET 0
            ) AS h"""
FEW_AREAS = 200  # one by one, an area costs ~0.7 ms at oblast level; the loop over units, ~60 µs an area in the table
WRITE_BACK_SQL = """
    UPDATE hazardous_area AS a
    SET oblast_code = d.oblast_code, raion_code = d.raion_code, hromada_code = d.hromada_code
    FROM admin_codes_derived AS d
    WHERE a.id = d.id AND (a.oblast_code, a.raion_code, a.hromada_code)
                          IS DISTINCT FROM (d.oblast_code, d.raion_code, d.hromada_code)"""


def derive_admin_codes(session: Session, area_ids: list[int]) -> None:
    """Fill the admin codes these areas lack: from their lower unit's parents, else from their geometry.

    At each level a code still missing becomes the loaded unit of that level holding the largest
    part of the area, within its parent unit so that the codes nest. Codes already set are kept.
    Set-based: a fixed number of statements, whatever the number of areas.
    """
    if not area_ids:
        return
    session.execute(text("DROP TABLE IF EXISTS pg_temp.admin_codes_derived"))  # a second call in the transaction
    session.execute(text(DERIVED_SQL), {"ids": list(area_ids)})
    session.execute(text("ALTER TABLE admin_codes_derived ADD PRIMARY KEY (id)"))
    session.execute(text("ANALYZE admin_codes_derived"))  # temporary tables get no statistics otherwise
    for level in (3, 2):
        sql = PARENT_SQL.format(parent=ADMIN_COLUMNS[level - 1], column=ADMIN_COLUMNS[level])
        session.execute(text(sql), {"level": level})
    for level, column in ADMIN_COLUMNS.items():
        missing = list(session.scalars(text(f"SELECT id FROM admin_codes_derived WHERE {column} IS NULL")))
        if not missing:
            continue
        hits = HITS_BY_AREA if len(missing) <= FEW_AREAS else HITS_BY_UNIT
        within = WITHIN_PARENT.format(parent=ADMIN_COLUMNS[level - 1]) if level > 1 else ""
        sql = LARGEST_PART_SQL.format(column=column, hits=hits, within_parent=within)
        session.execute(text(sql), {"ids": missing, "level": level})
    session.execute(text(WRITE_BACK_SQL))


def list_admin_units(
    session: Session, *, country: str | None, level: int | None, parent_code: str | None
) -> list[RowMapping]:
    """Loaded units without their polygons, by country, level and name."""
    query = select(
        AdminUnit.country, AdminUnit.level, AdminUnit.code, AdminUnit.name, AdminUnit.name_en, AdminUnit.parent_code
    ).order_by(AdminUnit.country, AdminUnit.level, AdminUnit.name, AdminUnit.code)
    if country is not None:
        query = query.where(AdminUnit.country == country)
    if level is not None:
        query = query.where(AdminUnit.level == level)
    if parent_code is not None:
        query = query.where(AdminUnit.parent_code == parent_code)
    return list(session.execute(query).mappings())


def admin_choices(session: Session) -> dict[int, list[tuple[str, str]]]:
    """(code, name) of every loaded unit by level, ordered by name; empty when no boundaries are loaded."""
    rows = session.execute(select(AdminUnit.level, AdminUnit.code, AdminUnit.name).order_by(AdminUnit.name))
    choices: dict[int, list[tuple[str, str]]] = {}
    for level, code, name in rows:
        choices.setdefault(level, []).append((code, name))
    return choices


def _listed(values: Any) -> str:
    items = [str(v) for v in values]
    return ", ".join(items[:SHOWN]) + (f" … ({len(items)} in all)" if len(items) > SHOWN else "")
