"""Each imported row's geometry: from the file or its columns, in WGS 84, checked and cleaned by the API's rules.

Whatever a row's problem (a position that is not one, axes swapped, a geometry the API would
refuse), it is refused with the reason and the fix; repairs the API would make are made and noted.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import get_settings
from app.db.models import AdminUnit
from app.domain.vocabulary import ImportKind
from app.schemas.importing import FieldMap
from app.services.importing.fields import GEOMETRY, GEOMETRY_FIELDS
from app.services.importing.report import Report
from app.services.importing.validation import Problem
from gis.importing.mapping import guess_geometry_columns
from gis.importing.positions import RowProblem, from_columns, swapped_axes, to_wgs84
from gis.importing.readers import ReadError, SourceTable
from gis.importing.shapes import CleanAreas, clean_areas, clean_points


def rows_geometry(
    session: Session, kind: ImportKind, table: SourceTable, mapping: dict[str, FieldMap], report: Report
) -> CleanAreas | np.ndarray | None:
    """Each row's geometry, clean by the API's rules, in WGS 84 (None where a row has none or is refused).

    Areas come measured (`CleanAreas`), points as an array, and kinds without geometry get None.
    """
    need = GEOMETRY[kind]
    if need == "none":
        return None
    columns: dict[str, str] = {
        name: column for name in GEOMETRY_FIELDS if name in mapping and (column := mapping[name].column) is not None
    }
    if not columns and table.geometry is None:
        columns = guess_geometry_columns(table.frame, area=need == "area")
        mapping.update({name: FieldMap(column=column) for name, column in columns.items()})
    if columns:
        read = from_columns(
            table.frame, geometry=columns.get("geometry"), lon=columns.get("longitude"), lat=columns.get("latitude")
        )
        geometry, problems = read.geometry, read.problems
        for repaired in read.repairs:
            report.repair(repaired.index, repaired.problem)
    elif table.geometry is not None:
        geometry, problems, note = to_wgs84(table.geometry, table.crs)
        if note:
            report.notes.append(Problem(-1, "geometry", note))
    else:
        if need == "optional_point":
            return np.full(len(table.frame), None, dtype=object)
        raise ReadError(
            "no column of the file holds the geometry: map one as geometry (WKT, or a KoboToolbox/ODK geoshape or "
            "geopoint), or longitude and latitude"
        )
    problems += swapped_axes(geometry, region=_region(session))
    for problem in problems:
        report.refuse(_problem(problem))
        geometry[problem.index] = None
    unread = {problem.index for problem in problems}  # refused already: not "missing" as well
    if need == "area":
        clean = clean_areas(geometry, max_vertices=get_settings().max_vertices)
        for problem in clean.problems:
            if problem.index not in unread:
                report.refuse(_problem(problem))
        for index, repairs in clean.repairs.items():
            for repair in repairs:
                report.repair(index, repair)
        return clean
    points, problems = clean_points(geometry, required=need == "point")
    for problem in problems:
        if problem.index not in unread:
            report.refuse(_problem(problem))
    return points


def _problem(problem: RowProblem) -> Problem:
    return Problem(problem.index, problem.field, problem.problem, problem.suggestion)


def _region(session: Session) -> tuple[float, float, float, float] | None:
    """Where the loaded country lies (its level-1 units), to catch swapped axes; None without boundaries."""
    box = session.execute(
        select(
            func.ST_XMin(func.ST_Extent(AdminUnit.geom)),
            func.ST_YMin(func.ST_Extent(AdminUnit.geom)),
            func.ST_XMax(func.ST_Extent(AdminUnit.geom)),
            func.ST_YMax(func.ST_Extent(AdminUnit.geom)),
        ).where(AdminUnit.level == 1)
    ).one()
    return None if box[0] is None else (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
