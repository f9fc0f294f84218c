"""Admin codes of imported areas, derived on the staging table before the areas are written.

The rule is the API's (`derive_admin_codes`, app/services/registry/admin_units.py): codes given
are kept; a code above a known unit is that unit's parent; a code still missing is the unit of its
level holding the largest part of the area, among those inside the area's parent unit, the code
breaking ties. Only the way is different, for 100,000 areas at once: which units each area touches
is found in one pass over the file's geometries (gis/importing/units.py) and the codes are chosen
in memory, and the areas are written once, already coded,
instead of being rewritten afterwards (each rewrite of a wide, indexed row costs more than finding
its units).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.services.registry.admin_units import ADMIN_COLUMNS
from gis.importing.units import unit_hits


def staged_codes(
    session: Session, staging: str, written: str, row_nos: npt.NDArray[np.int_], geometries: npt.NDArray[np.object_]
) -> dict[str, npt.NDArray[np.object_]]:
    """The admin codes (by column) of the staged rows matching `written` (alias `s`), lacking ones derived.

    `row_nos` (ascending) and `geometries` are those rows' numbers and geometries, exactly as staged;
    the codes come in the same order.
    """
    columns = list(ADMIN_COLUMNS.values())
    staged = session.execute(
        text(f"SELECT row_no, {', '.join(columns)} FROM {staging} AS s WHERE {written} ORDER BY row_no")
    ).all()
    if not np.array_equal([r[0] for r in staged], row_nos):
        raise RuntimeError("the written rows and their geometries do not match")  # a caller's slip, not data
    codes = {level: np.array([r[level] for r in staged], dtype=object) for level in ADMIN_COLUMNS}
    if any(pd.isna(codes[level]).any() for level in ADMIN_COLUMNS):
        units = session.execute(text("SELECT level, code, parent_code, ST_AsBinary(geom) FROM admin_unit")).all()
        if units:
            _derive(codes, units, geometries)
    return {ADMIN_COLUMNS[level]: codes[level] for level in ADMIN_COLUMNS}


def _derive(codes: dict[int, npt.NDArray[np.object_]], units: Sequence[Any], geometries: np.ndarray) -> None:
    """Fill the missing codes in place, by the rule of `derive_admin_codes` (app/services/registry/admin_units.py)."""
    levels = np.array([u[0] for u in units])
    # A code above a known unit is that unit's parent (PARENT_SQL there).
    for level in (3, 2):
        parent_of = {code: parent for lvl, code, parent, _ in units if lvl == level and parent is not None}
        child, parent = pd.Series(codes[level], dtype=object), codes[level - 1]
        found = child.map(parent_of).to_numpy(dtype=object)
        fill = pd.isna(parent) & pd.notna(found)
        parent[fill] = found[fill]
    hits = unit_hits(geometries, shapely.from_wkb([bytes(u[3]) for u in units]), levels)
    found_units = pd.DataFrame(
        {
            "row": hits.area,
            "level": levels[hits.unit],
            "code": pd.Series([units[i][1] for i in hits.unit], dtype=object),
            "parent": pd.Series([units[i][2] for i in hits.unit], dtype=object),
            "part": hits.part,
        }
    )
    # Then the unit holding the largest part of the area, within its parent unit; the code breaks ties
    # (LARGEST_PART_SQL there).
    for level in ADMIN_COLUMNS:
        hit = found_units[found_units["level"].to_numpy() == level]
        hit = hit[pd.isna(codes[level][hit["row"].to_numpy()])]
        if level > 1:
            parent = codes[level - 1][hit["row"].to_numpy()]
            hit = hit[pd.isna(parent) | hit["parent"].isna().to_numpy() | (hit["parent"].to_numpy() == parent)]
        if hit.empty:
            continue
        several = hit.groupby("row")["row"].transform("size").to_numpy() > 1
        hit = hit.assign(key=np.where(several, hit["part"].to_numpy(), 0.0))
        best = hit.sort_values(["row", "key", "code"], ascending=[True, False, True]).drop_duplicates("row")
        codes[level][best["row"].to_numpy()] = best["code"].to_numpy()
