"""`/api/v1/organisations`: operators, the national authority and donors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.etags import IfMatch, tagged
from app.api.params import comma_list, page_limit
from app.api.responses import page_links, split_page
from app.domain.vocabulary import ORGANISATION_KINDS
from app.schemas.organisation import OrganisationCreate, OrganisationFields, OrganisationPage, OrganisationPublic
from app.services.pagination import decode_cursor
from app.services.registry import organisations as service

router = APIRouter(prefix="/api/v1/organisations", tags=["organisations"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such organisation"},
    409: {"description": "Name already used"},
    410: {"description": "The organisation was deleted"},
}


@router.get("", response_model=OrganisationPage)
def list_organisations(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    kind: Annotated[list[str] | None, Query(description=", ".join(ORGANISATION_KINDS))] = None,
    q: Annotated[str | None, Query(description="part of the name or acronym")] = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> OrganisationPage:
    """Live organisations, in pages linked by `next`."""
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    rows = service.list_organisations(
        session,
        kind=comma_list("kind", kind, ORGANISATION_KINDS),
        q=q,
        after_id=decode_cursor(cursor),
        limit=size + 1,
    )
    page, more = split_page(rows, size)
    return OrganisationPage(
        items=[OrganisationPublic.model_validate(org, from_attributes=True) for org in page],
        numberReturned=len(page),
        links=page_links(request, page[-1].id if more else None, size, "application/json"),
    )


@router.post("", status_code=201, response_model=OrganisationPublic, responses={409: ERRORS[409]})
def create_organisation(body: OrganisationCreate, session: SessionDep, actor: Caller) -> OrganisationPublic:
    """Register an organisation."""
    org = service.create_organisation(session, body, actor=actor)
    return OrganisationPublic.model_validate(org, from_attributes=True)


@router.get("/{org_id}", response_model=OrganisationPublic, responses={404: ERRORS[404], 410: ERRORS[410]})
def get_organisation(org_id: int, session: SessionDep, response: Response) -> OrganisationPublic:
    """One organisation; `ETag` for If-Match."""
    org = service.get_organisation(session, org_id)
    tagged(response, org.id, org.updated_at)
    return OrganisationPublic.model_validate(org, from_attributes=True)


@router.patch("/{org_id}", response_model=OrganisationPublic, responses=ERRORS)
def update_organisation(
    org_id: int, body: OrganisationFields, session: SessionDep, actor: Caller, if_match: IfMatch, response: Response
) -> OrganisationPublic:
    """Correct some attributes of an organisation (412 if it changed since you read it)."""
    org = service.update_organisation(session, org_id, body, actor=actor, if_match=if_match)
    tagged(response, org.id, org.updated_at)
    return OrganisationPublic.model_validate(org, from_attributes=True)


@router.delete("/{org_id}", status_code=204, responses={404: ERRORS[404], 410: ERRORS[410]})
def delete_organisation(
    org_id: int, session: SessionDep, actor: Caller, if_match: IfMatch, reason: str | None = None
) -> Response:
    """Mark an organisation deleted; it stays with who, when and why (412 if it changed since you read it)."""
    service.delete_organisation(session, org_id, actor=actor, reason=reason, if_match=if_match)
    return Response(status_code=204)
