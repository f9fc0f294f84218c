"""`/api/v1/imports` and `/api/v1/import-mappings`: bring a file in, watch the job, read its report, keep mappings."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, File, Form, Query, Request, Response, UploadFile
from sqlalchemy.engine import RowMapping

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.params import page_limit
from app.api.responses import page_links, split_page
from app.db.models import ImportJob
from app.domain.errors import Invalid
from app.domain.vocabulary import ImportKind, ImportOutcome
from app.schemas.common import Link
from app.schemas.importing import (
    ImportJobPage,
    ImportJobPublic,
    ImportMappingCreate,
    ImportMappingPublic,
    ImportReport,
    ReportEntry,
)
from app.services.importing import jobs, mappings
from app.services.importing.report import report_csv, report_page
from app.services.importing.submission import create_job, discard_upload, store_upload
from app.services.pagination import decode_cursor

router = APIRouter(tags=["imports"])
IMPORTS, MAPPINGS = "/api/v1/imports", "/api/v1/import-mappings"
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such import (or saved mapping)"},
    409: {"description": "The import is already over"},
    422: {"description": "The file cannot be read, or the mapping does not fit it: the body says what to fix"},
}


@router.post(IMPORTS, status_code=202, response_model=ImportJobPublic, responses=ERRORS)
def submit_import(
    response: Response,
    background: BackgroundTasks,
    session: SessionDep,
    actor: Caller,
    file: Annotated[UploadFile, File(description="GeoJSON, GeoPackage, zipped Shapefile, KML/KMZ, CSV or XLSX")],
    kind: Annotated[ImportKind, Form(description="What the rows are")],
    source: Annotated[str, Form(description="The system or dataset the file comes from, e.g. IMSMA export 2024")],
    mapping: Annotated[
        str | None, Form(description='JSON {field: {"column": …, "values": {…}, "default": …}}; guessed if left out')
    ] = None,
    mapping_name: Annotated[str | None, Form(description="A saved mapping (GET /api/v1/import-mappings)")] = None,
    layer: Annotated[str | None, Form(description="The layer of a multi-layer file (default: every layer)")] = None,
    dry_run: Annotated[bool, Form(description="Only report what would be done; write nothing")] = False,
    skip_refused: Annotated[bool, Form(description="Write the good rows even if some are refused")] = False,
) -> ImportJobPublic:
    """Queue an import of the file (202); follow it at the `Location`, then read its report.

    All or nothing by default: one refused row anywhere and nothing is written. A file that cannot
    be read, or a mapping that does not fit it, is refused here (422) before anything is queued.
    """
    given = _mapping_json(mapping)
    path = store_upload(file.file, file.filename)
    try:
        job = create_job(
            session,
            path,
            kind=kind,
            source=source,
            mapping=given,
            mapping_name=mapping_name,
            layer=layer,
            dry_run=dry_run,
            skip_refused=skip_refused,
            actor=actor,
            filename=file.filename,
        )
    except Exception:
        discard_upload(path)
        raise
    # After the answer, hence after the commit: the worker's own session sees the job.
    background.add_task(jobs.start_in_background, job.id, path, actor=actor, layer=layer)
    response.headers["Location"] = f"{IMPORTS}/{job.id}"
    return _public(job)


@router.get(IMPORTS, response_model=ImportJobPage)
def list_imports(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limit: Annotated[int | None, Query(description="page size")] = None,
    cursor: Annotated[str | None, Query(description="from a `next` link")] = None,
) -> ImportJobPage:
    """Imports, newest first."""
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    rows = jobs.list_jobs(session, before_id=decode_cursor(cursor), limit=size + 1)
    page, more = split_page(rows, size)
    return ImportJobPage(
        items=[_public(row) for row in page],
        numberReturned=len(page),
        links=page_links(request, page[-1]["id"] if more else None, size, "application/json"),
    )


@router.get(f"{IMPORTS}/{{job_id}}", response_model=ImportJobPublic, responses={404: ERRORS[404]})
def get_import(job_id: int, session: SessionDep) -> ImportJobPublic:
    """The job: its status, rows done of rows total, counts by outcome, and why it wrote nothing if so."""
    return _public(jobs.get_job(session, job_id))


@router.get(
    f"{IMPORTS}/{{job_id}}/report",
    response_model=ImportReport,
    responses={404: ERRORS[404], 200: {"content": {"text/csv": {}}}},
)
def import_report(
    job_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    format: Annotated[Literal["json", "csv"], Query(description="csv: the whole report as one download")] = "json",
    outcome: Annotated[ImportOutcome | None, Query(description="Only lines of this outcome")] = None,
    limit: Annotated[int | None, Query(description="page size (JSON)")] = None,
    cursor: Annotated[str | None, Query(description="from a `next` link")] = None,
) -> Any:
    """The row-by-row report: row, external id, outcome, field, problem and its suggested fix."""
    job = jobs.get_job(session, job_id)
    if format == "csv":
        # Read whole within the request's transaction, which ends before the answer is sent.
        headers = {"Content-Disposition": f'attachment; filename="import-{job_id}-report.csv"'}
        body = "".join(report_csv(session, job_id))
        return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    rows = report_page(session, job_id, outcome=outcome, after_id=decode_cursor(cursor), limit=size + 1)
    page, more = split_page(rows, size)
    return ImportReport(
        job_id=job.id,
        status=job.status,
        dry_run=job.dry_run,
        counts=job.counts,
        entries=[ReportEntry.model_validate(row) for row in page],
        numberReturned=len(page),
        links=page_links(request, page[-1]["id"] if more else None, size, "application/json"),
    )


@router.post(f"{IMPORTS}/{{job_id}}/cancel", response_model=ImportJobPublic, responses=ERRORS)
def cancel_import(job_id: int, session: SessionDep, actor: Caller) -> ImportJobPublic:
    """Stop an import: a queued one at once, a running one at its next batch of rows, writing nothing."""
    return _public(jobs.cancel_job(session, job_id, actor=actor))


@router.get(MAPPINGS, response_model=list[ImportMappingPublic])
def list_import_mappings(
    session: SessionDep, kind: Annotated[ImportKind | None, Query(description="Only mappings of this kind")] = None
) -> list[Any]:
    """Saved mappings, by name."""
    return mappings.list_mappings(session, kind=kind)


@router.post(MAPPINGS, status_code=201, response_model=ImportMappingPublic, responses={422: ERRORS[422]})
def save_import_mapping(
    body: ImportMappingCreate, response: Response, session: SessionDep, actor: Caller
) -> ImportMappingPublic:
    """Save a mapping under a name (201), or replace the one of that name (200), for the next file."""
    saved, new = mappings.save_mapping(session, body, actor=actor)
    response.status_code = 201 if new else 200
    return ImportMappingPublic.model_validate(saved, from_attributes=True)


def _mapping_json(mapping: str | None) -> dict[str, Any] | None:
    if mapping is None or not mapping.strip():
        return None
    try:
        parsed = json.loads(mapping)
    except json.JSONDecodeError as error:
        raise Invalid(f"mapping is not JSON ({error.msg} at character {error.pos})", field="mapping") from error
    if not isinstance(parsed, dict):
        raise Invalid('mapping must be a JSON object: {"field": {"column": …}}', field="mapping")
    return parsed


def _public(job: ImportJob | RowMapping) -> ImportJobPublic:
    """A job as the API shows it, with links to itself and its report."""
    public = ImportJobPublic.model_validate(dict(job) if isinstance(job, RowMapping) else job, from_attributes=True)
    url = f"{IMPORTS}/{public.id}"
    public.links = [
        Link(href=url, rel="self"),
        Link(href=f"{url}/report", rel="report"),
        Link(href=f"{url}/report?format=csv", rel="report", type="text/csv"),
    ]
    return public
