"""`/api/v1/tasks/{task_id}/beneficiaries`: people a task served, as the operator recorded them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.api.access import Caller
from app.api.deps import SessionDep
from app.schemas.funding import BeneficiaryCountCreate, BeneficiaryCountPublic
from app.services.funding import agreements as service

router = APIRouter(prefix="/api/v1/tasks/{task_id}/beneficiaries", tags=["funding"])
ERRORS: dict[int | str, dict[str, Any]] = {404: {"description": "No such task"}, 410: {"description": "Deleted"}}


@router.post("", status_code=201, response_model=BeneficiaryCountPublic, responses=ERRORS)
def add_beneficiaries(
    task_id: int, body: BeneficiaryCountCreate, session: SessionDep, actor: Caller
) -> BeneficiaryCountPublic:
    """Record direct or indirect beneficiaries of a task by women, men, girls and boys."""
    row = service.add_beneficiaries(session, task_id, body, actor=actor)
    return BeneficiaryCountPublic.model_validate(row, from_attributes=True)


@router.get("", response_model=list[BeneficiaryCountPublic], responses=ERRORS)
def list_beneficiaries(task_id: int, session: SessionDep) -> list[BeneficiaryCountPublic]:
    """A task's beneficiary counts by date."""
    rows = service.list_beneficiaries(session, task_id)
    return [BeneficiaryCountPublic.model_validate(r, from_attributes=True) for r in rows]
