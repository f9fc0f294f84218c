"""`/api/v1/reports`: donor reports as JSON, CSV with HXL, XLSX and PDF, all from one set of figures."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from app.api.deps import SessionDep
from app.api.json_body import JSONBody
from app.errors import NotFound
from app.reports import csv_hxl
from app.reports.formats import FORMATS
from app.reports.tables import TABLES
from app.services.report_scope import DEFAULT_DISTANCE_M, ReportFilter
from app.services.reports import build_report

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such table or format"},
    422: {"description": "A filter is malformed, refers to nothing, or date_to is before date_from"},
}


def _filters(
    donor_id: Annotated[int | None, Query(description="Work funded by this donor (through task → agreement)")] = None,
    agreement_id: Annotated[int | None, Query(description="Work funded by this agreement")] = None,
    organisation_id: Annotated[int | None, Query(description="Work of this organisation")] = None,
    oblast_code: Annotated[str | None, Query(examples=["UA63"])] = None,
    raion_code: Annotated[str | None, Query(examples=["UA6312"])] = None,
    hromada_code: Annotated[str | None, Query(examples=["UA63120270000028556"])] = None,
    date_from: Annotated[date | None, Query(description="First day of the period")] = None,
    date_to: Annotated[date | None, Query(description="Last day of the period")] = None,
    distance_m: Annotated[float, Query(description="People living within this distance of released land")] = (
        DEFAULT_DISTANCE_M
    ),
) -> ReportFilter:
    return ReportFilter(
        donor_id=donor_id,
        agreement_id=agreement_id,
        organisation_id=organisation_id,
        oblast_code=oblast_code,
        raion_code=raion_code,
        hromada_code=hromada_code,
        date_from=date_from,
        date_to=date_to,
        distance_m=distance_m,
    )


Filters = Annotated[ReportFilter, Depends(_filters)]


@router.get("/tables")
def list_tables() -> JSONBody:
    """The report's tables: columns, units and HXL hashtags."""
    return JSONBody(
        {name: {"title": t.title, "columns": [c.__dict__ for c in t.columns]} for name, t in TABLES.items()}
    )


@router.get("/donor", response_class=JSONBody, responses=ERRORS)
def donor_report(session: SessionDep, flt: Filters) -> JSONBody:
    """Every figure of the report, with its filters and the time the data is as of."""
    return JSONBody(build_report(session, flt))


@router.get("/donor/{table}.csv", responses=ERRORS)
def donor_report_table(table: str, session: SessionDep, flt: Filters) -> Response:
    """One table as CSV with an HXL hashtag row under the header."""
    if table not in TABLES:
        raise NotFound(f"no report table {table!r}; tables: {', '.join(TABLES)}")
    body = csv_hxl.table_csv(build_report(session, flt), table)
    headers = {"Content-Disposition": f'attachment; filename="{table}.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/donor.{extension}", responses=ERRORS)
def donor_report_file(extension: str, session: SessionDep, flt: Filters) -> Response:
    """The report as `zip` (every table as CSV with HXL), `xlsx` (with charts) or `pdf` (with charts and map)."""
    fmt = next((f for f in FORMATS.values() if f.extension == extension and extension != "json"), None)
    if fmt is None:
        raise NotFound(f"no report format {extension!r}; use zip, xlsx or pdf (or /donor for JSON)")
    body = fmt.render(build_report(session, flt, with_map=fmt.needs_map))
    headers = {"Content-Disposition": f'attachment; filename="donor-report.{extension}"'}
    return Response(body, media_type=fmt.media_type, headers=headers)
