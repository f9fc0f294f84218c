"""`/api/v1/reports`: donor reports as JSON, CSV with HXL, XLSX and PDF, all from one set of figures."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.json_body import JSONBody
from app.api.language import RequestLanguage
from app.domain.errors import NotFound
from app.i18n import Language, latin
from app.reporting.figures import build_report
from app.reporting.filter import ReportFilter
from app.reporting.formats import FORMATS_BY_EXTENSION
from app.reporting.iati import ReportingOrg, build_iati
from app.reporting.render import csv_hxl
from app.reporting.render.tables import TABLES

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "A donor officer asked for another donor's report or agreement"},
    404: {"description": "No such table or format"},
    422: {"description": "A filter is malformed, refers to nothing, or date_to is before date_from"},
}


# One model for the query string and the command line; a filter it refuses is a 422 with the reason.
Filters = Annotated[ReportFilter, Query()]
# Read by RequestLanguage (with the switch's cookie and Accept-Language); declared so that /docs offers it.
Lang = Annotated[Language | None, Query(description="Language of the PDF and XLSX: en or uk (default: the request's)")]
BINARY = {"schema": {"type": "string", "format": "binary"}}
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report as a file: a ZIP of CSVs with HXL, an XLSX workbook or a PDF document",
        "content": {f.media_type: BINARY for f in FORMATS_BY_EXTENSION.values() if f.extension != "json"},
    },
    **ERRORS,
}
CSV_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "One table as CSV with an HXL hashtag row", "content": {"text/csv": BINARY}},
    **ERRORS,
}


@router.get("/tables")
def list_tables() -> JSONBody:
    """The report's tables: columns, units and HXL hashtags."""
    return JSONBody(
        {name: {"title": t.title, "columns": [c.__dict__ for c in t.columns]} for name, t in TABLES.items()}
    )


@router.get("/donor", response_class=JSONBody, responses=ERRORS)
def donor_report(session: SessionDep, actor: Caller, flt: Filters) -> JSONBody:
    """Every figure of the report, with its filters and the time the data is as of.

    A donor officer's report covers what its donor funds, whether or not it gives `donor_id`.
    """
    return JSONBody(build_report(session, flt, actor=actor).as_json())


@router.get("/donor/{table}.csv", response_class=Response, responses=CSV_RESPONSES)
def donor_report_table(table: str, session: SessionDep, actor: Caller, flt: Filters) -> Response:
    """One table as CSV with an HXL hashtag row under the header."""
    if table not in TABLES:
        raise NotFound(f"no report table {table!r}; tables: {', '.join(TABLES)}")
    body = csv_hxl.table_csv(build_report(session, flt, actor=actor), table)
    headers = {"Content-Disposition": f'attachment; filename="{table}.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/donor.{extension}", response_class=Response, responses=FILE_RESPONSES)
def donor_report_file(
    extension: str, session: SessionDep, actor: Caller, flt: Filters, language: RequestLanguage, lang: Lang = None
) -> Response:
    """The report as `zip` (every table as CSV with HXL), `xlsx` (with charts) or `pdf` (with charts and map).

    The PDF and XLSX are written in `lang` (else the language switch's cookie, else Accept-Language).
    """
    fmt = FORMATS_BY_EXTENSION.get(extension) if extension != "json" else None
    if fmt is None:
        raise NotFound(f"no report format {extension!r}; use zip, xlsx or pdf (or /donor for JSON)")
    report = build_report(session, flt, actor=actor, with_map=fmt.needs_map)
    body = fmt.render(report, lang or language)
    headers = {
        "Content-Disposition": f'attachment; filename="{file_name(report.filters, extension)}"',
        "Content-Language": lang or language,
    }
    return Response(body, media_type=fmt.media_type, headers=headers)


IATI_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "An IATI 2.03 activity file", "content": {"application/xml": {"schema": {"type": "string"}}}},
    **ERRORS,
}


@router.get("/iati.xml", response_class=Response, responses=IATI_RESPONSES)
def iati_activities(session: SessionDep, settings: SettingsDep, actor: Caller, flt: Filters) -> Response:
    """The funding agreements in scope as an IATI 2.03 activity file (docs/iati.md).

    Same filters and reader scope as `/donor`: a donor officer gets its own donor's agreements only.
    The publisher is the configured reporting organisation (MAIS_IATI_REPORTING_ORG_REF, …).
    """
    publisher = ReportingOrg(
        ref=settings.iati_reporting_org_ref,
        name=settings.iati_reporting_org_name,
        type=settings.iati_reporting_org_type,
    )
    body = build_iati(session, flt, actor=actor, reporting_org=publisher)
    headers = {"Content-Disposition": 'attachment; filename="iati-activities.xml"'}
    return Response(body, media_type="application/xml", headers=headers)


def file_name(filters: dict[str, Any], extension: str) -> str:
    """`land-release-report-nordic-fund-2025-04-01-2025-06-30.pdf`: whose report and which period, in ASCII.

    >>> file_name({"donor": "Фонд «Схід»", "date_from": None, "date_to": None}, "xlsx")
    'land-release-report-fond-skhid.xlsx'
    """
    parts = ["land-release-report"]
    who = filters.get("donor") or filters.get("agreement") or filters.get("organisation")
    if who:
        parts.append(re.sub(r"[^a-z0-9]+", "-", latin(str(who)).lower()).strip("-")[:40])
    parts += [str(filters[k]) for k in ("date_from", "date_to") if filters.get(k)]
    return "-".join(p for p in parts if p) + "." + extension
