"""Donors, funding agreements, their tasks and expenditure, and beneficiaries recorded on tasks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.db.models import BeneficiaryCount, Donor, Expenditure, FundingAgreement, Organisation, Task
from app.domain import clock
from app.domain.access import Actor, require
from app.domain.errors import Conflict, Invalid
from app.schemas.funding import BeneficiaryCountCreate, DonorCreate, ExpenditureCreate, FundingAgreementCreate
from app.services.pagination import keyset_page
from app.services.periods import refuse_overlap
from app.services.records import require_live, touch
from app.services.sql import id_array


def create_donor(session: Session, body: DonorCreate, *, actor: Actor) -> Donor:
    """Store a new donor; names are unique (case-insensitive)."""
    require(actor, "funding.edit")
    user = actor.name
    holder = session.scalar(select(Donor.id).where(func.lower(Donor.name) == body.name.lower()))
    if holder is not None:
        raise Conflict(f"a donor named {body.name!r} already exists (id {holder})", existing_id=holder)
    donor = Donor(**body.model_dump(), created_by=user, updated_by=user)
    session.add(donor)
    session.flush()
    return get_donor(session, donor.id)


def get_donor(session: Session, donor_id: int) -> Donor:
    """One live donor."""
    return require_live(session.get(Donor, donor_id), f"donor {donor_id}")


def list_donors(session: Session, *, after_id: int | None, limit: int) -> list[Donor]:
    """One page of live donors in id order."""
    query = select(Donor).where(Donor.deleted_at.is_(None))
    if after_id is not None:
        query = query.where(Donor.id > after_id)
    return list(session.scalars(query.order_by(Donor.id).limit(limit)))


def create_agreement(session: Session, body: FundingAgreementCreate, *, actor: Actor) -> int:
    """Store a funding agreement between a live donor and a live organisation (the caller commits)."""
    require(actor, "funding.edit")
    user = actor.name
    get_donor(session, body.donor_id)
    require_live(session.get(Organisation, body.organisation_id), f"organisation {body.organisation_id}")
    holder = session.scalar(select(FundingAgreement.id).where(FundingAgreement.reference == body.reference))
    if holder is not None:
        raise Conflict(f"agreement reference {body.reference!r} is already used (id {holder})", field="reference")
    agreement = FundingAgreement(**body.model_dump(), created_by=user, updated_by=user)
    session.add(agreement)
    session.flush()
    return agreement.id


def _agreement_select() -> Select[Any]:
    spent = (
        select(func.coalesce(func.sum(Expenditure.amount), 0.0).label("expenditure"))
        .where(Expenditure.funding_agreement_id == FundingAgreement.id)
        .scalar_subquery()
    )
    tasks = select(id_array(Task.id, "task_ids")).where(Task.funding_agreement_id == FundingAgreement.id)
    hidden = ("deleted_at", "deleted_by", "delete_reason", "updated_at", "updated_by")
    return (
        select(
            *[c for c in FundingAgreement.__table__.columns if c.name not in hidden],
            Donor.name.label("donor"),
            Organisation.name.label("organisation"),
            spent.label("expenditure"),
            tasks.scalar_subquery().label("task_ids"),
        )
        .join(Donor, Donor.id == FundingAgreement.donor_id)
        .join(Organisation, Organisation.id == FundingAgreement.organisation_id)
        .where(FundingAgreement.deleted_at.is_(None))
    )


def get_agreement(session: Session, agreement_id: int) -> dict[str, Any]:
    """One live agreement with donor and organisation names, expenditure so far and its tasks."""
    require_live(session.get(FundingAgreement, agreement_id), f"funding agreement {agreement_id}")
    return dict(session.execute(_agreement_select().where(FundingAgreement.id == agreement_id)).mappings().one())


def list_agreements(
    session: Session, *, donor_id: int | None, organisation_id: int | None, after_id: int | None, limit: int
) -> list[dict[str, Any]]:
    """One page of live agreements in id order."""
    query = _agreement_select()
    if donor_id is not None:
        query = query.where(FundingAgreement.donor_id == donor_id)
    if organisation_id is not None:
        query = query.where(FundingAgreement.organisation_id == organisation_id)
    return [dict(r) for r in keyset_page(session, query, FundingAgreement.id, after_id=after_id, limit=limit)]


def add_expenditure(session: Session, agreement_id: int, body: ExpenditureCreate, *, actor: Actor) -> Expenditure:
    """Record spending for a period inside the agreement; periods never overlap, so nothing counts twice."""
    user = actor.name
    agreement = require_live(
        session.get(FundingAgreement, agreement_id, with_for_update=True), f"funding agreement {agreement_id}"
    )
    require(actor, "expenditure.record", organisation_id=agreement.organisation_id)
    if body.period_start < agreement.period_start or body.period_end > agreement.period_end:
        raise Invalid(
            f"the period {body.period_start}..{body.period_end} is outside the agreement's "
            f"{agreement.period_start}..{agreement.period_end}",
            field="period_start",
        )
    refuse_overlap(
        session,
        Expenditure,
        Expenditure.funding_agreement_id,
        agreement_id,
        body.period_start,
        body.period_end,
        what="expenditure",
        advice="report each day's spending once",
    )
    row = Expenditure(funding_agreement_id=agreement_id, **body.model_dump(), created_by=user)
    session.add(row)
    session.flush()
    return row


def list_expenditure(session: Session, agreement_id: int) -> list[Expenditure]:
    """An agreement's expenditure by period."""
    require_live(session.get(FundingAgreement, agreement_id), f"funding agreement {agreement_id}")
    query = select(Expenditure).where(Expenditure.funding_agreement_id == agreement_id)
    return list(session.scalars(query.order_by(Expenditure.period_start)))


def fund_tasks(session: Session, agreement_id: int, task_ids: list[int], *, actor: Actor) -> None:
    """Fund tasks of the agreement's organisation from it; a task funded by another agreement is a 409."""
    require(actor, "funding.edit")
    user = actor.name
    agreement = require_live(session.get(FundingAgreement, agreement_id), f"funding agreement {agreement_id}")
    tasks = []
    for task_id in dict.fromkeys(task_ids):
        task = require_live(session.get(Task, task_id, with_for_update=True), f"task {task_id}")
        tasks.append(task)
        if task.organisation_id != agreement.organisation_id:
            raise Invalid(
                f"task {task.reference} belongs to organisation {task.organisation_id}, "
                f"not to the agreement's organisation {agreement.organisation_id}",
                field="task_ids",
            )
        if task.funding_agreement_id not in (None, agreement_id):
            raise Conflict(
                f"task {task.reference} is already funded by agreement {task.funding_agreement_id}: "
                "a task has one agreement, so that reports by donor add up to the total",
                field="task_ids",
            )
    for task in tasks:  # row by row, so that each task's change is in the audit trail
        if task.funding_agreement_id != agreement_id:
            task.funding_agreement_id = agreement_id
            touch(task, user)
    session.flush()


def add_beneficiaries(
    session: Session, task_id: int, body: BeneficiaryCountCreate, *, actor: Actor
) -> BeneficiaryCount:
    """Record people a task served, as the operator counted them."""
    user = actor.name
    task = require_live(session.get(Task, task_id), f"task {task_id}")
    require(actor, "beneficiaries.record", organisation_id=task.organisation_id)
    clock.refuse_future(body.recorded_on, "recorded_on", what="the people were counted")
    row = BeneficiaryCount(task_id=task_id, **body.model_dump(), created_by=user)
    session.add(row)
    session.flush()
    return row


def list_beneficiaries(session: Session, task_id: int) -> list[BeneficiaryCount]:
    """A task's beneficiary counts by date."""
    require_live(session.get(Task, task_id), f"task {task_id}")
    query = select(BeneficiaryCount).where(BeneficiaryCount.task_id == task_id)
    return list(session.scalars(query.order_by(BeneficiaryCount.recorded_on, BeneficiaryCount.id)))
