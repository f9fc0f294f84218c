"""`/api/v1/funding-agreements`: grants from donors to operators, the tasks they fund, and spending."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.params import page_limit
from app.api.responses import page_links, split_page
from app.schemas.funding import (
    ExpenditureCreate,
    ExpenditurePublic,
    FundingAgreementCreate,
    FundingAgreementPage,
    FundingAgreementPublic,
    TaskLinks,
)
from app.services.funding import agreements as service
from app.services.pagination import decode_cursor

router = APIRouter(prefix="/api/v1/funding-agreements", tags=["funding"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such agreement, donor, organisation or task"},
    409: {"description": "Reference already used, overlapping expenditure, or a task funded elsewhere"},
    410: {"description": "Deleted"},
    422: {"description": "Invalid amount, currency, period, or a task of another organisation"},
}


@router.get("", response_model=FundingAgreementPage, responses={422: ERRORS[422]})
def list_agreements(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    donor_id: int | None = None,
    organisation_id: int | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> FundingAgreementPage:
    """Live agreements, optionally of one donor or organisation, in pages linked by `next`."""
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    rows = service.list_agreements(
        session, donor_id=donor_id, organisation_id=organisation_id, after_id=decode_cursor(cursor), limit=size + 1
    )
    page, more = split_page(rows, size)
    return FundingAgreementPage(
        items=[FundingAgreementPublic.model_validate(r) for r in page],
        numberReturned=len(page),
        links=page_links(request, page[-1]["id"] if more else None, size, "application/json"),
    )


@router.post("", status_code=201, response_model=FundingAgreementPublic, responses=ERRORS)
def create_agreement(body: FundingAgreementCreate, session: SessionDep, actor: Caller) -> FundingAgreementPublic:
    """Record a grant from a donor to an organisation (amount ≥ 0, ISO 4217 currency, ordered period)."""
    agreement_id = service.create_agreement(session, body, actor=actor)
    return FundingAgreementPublic.model_validate(service.get_agreement(session, agreement_id))


@router.get("/{agreement_id}", response_model=FundingAgreementPublic, responses=ERRORS)
def get_agreement(agreement_id: int, session: SessionDep) -> FundingAgreementPublic:
    """One agreement with its expenditure so far and the tasks it funds."""
    return FundingAgreementPublic.model_validate(service.get_agreement(session, agreement_id))


@router.post("/{agreement_id}/tasks", status_code=204, responses=ERRORS)
def fund_tasks(agreement_id: int, body: TaskLinks, session: SessionDep, actor: Caller) -> Response:
    """Fund tasks of the agreement's organisation; a task has at most one agreement."""
    service.fund_tasks(session, agreement_id, body.task_ids, actor=actor)
    return Response(status_code=204)


@router.post("/{agreement_id}/expenditure", status_code=201, response_model=ExpenditurePublic, responses=ERRORS)
def add_expenditure(
    agreement_id: int, body: ExpenditureCreate, session: SessionDep, actor: Caller
) -> ExpenditurePublic:
    """Record spending for one reporting period inside the agreement (periods may not overlap)."""
    row = service.add_expenditure(session, agreement_id, body, actor=actor)
    return ExpenditurePublic.model_validate(row, from_attributes=True)


@router.get("/{agreement_id}/expenditure", response_model=list[ExpenditurePublic], responses=ERRORS)
def list_expenditure(agreement_id: int, session: SessionDep) -> list[ExpenditurePublic]:
    """An agreement's expenditure by period."""
    rows = service.list_expenditure(session, agreement_id)
    return [ExpenditurePublic.model_validate(r, from_attributes=True) for r in rows]
