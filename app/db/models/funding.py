"""Who pays for the work: donors, funding agreements, expenditure, and the people the work served."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, Date, Double, ForeignKey, Identity, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, Created, Recorded
from app.domain.vocabulary import REACH_KINDS, check_in


class Donor(Recorded, Base):
    """A government, multilateral fund or foundation that funds mine action (docs/mine-action.md §6)."""

    __tablename__ = "donor"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    acronym: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(Text)
    # IATI organisation identifier (e.g. GB-GOV-1), so reports can be matched to published aid data.
    iati_org_ref: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class FundingAgreement(Recorded, Base):
    """A grant from a donor to an operator: amount, currency (ISO 4217) and period."""

    __tablename__ = "funding_agreement"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_non_negative"),
        CheckConstraint("period_end >= period_start", name="period_order"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_code"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    reference: Mapped[str] = mapped_column(Text, unique=True)
    donor_id: Mapped[int] = mapped_column(ForeignKey("donor.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[float] = mapped_column(Double)
    currency: Mapped[str] = mapped_column(Text)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class Expenditure(Created, Base):
    """Money spent under an agreement in one reporting period, in the agreement's currency."""

    __tablename__ = "expenditure"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_non_negative"),
        CheckConstraint("period_end >= period_start", name="period_order"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    funding_agreement_id: Mapped[int] = mapped_column(ForeignKey("funding_agreement.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    amount: Mapped[float] = mapped_column(Double)
    notes: Mapped[str | None] = mapped_column(Text)


class BeneficiaryCount(Created, Base):
    """People a task served, as the operator recorded them: direct or indirect, by sex and age."""

    __tablename__ = "beneficiary_count"
    __table_args__ = (
        CheckConstraint(check_in("reach", REACH_KINDS), name="reach"),
        CheckConstraint("women >= 0 AND men >= 0 AND girls >= 0 AND boys >= 0", name="non_negative"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    recorded_on: Mapped[date] = mapped_column(Date)
    reach: Mapped[str] = mapped_column(Text)
    women: Mapped[int] = mapped_column(Integer, server_default="0")
    men: Mapped[int] = mapped_column(Integer, server_default="0")
    girls: Mapped[int] = mapped_column(Integer, server_default="0")
    boys: Mapped[int] = mapped_column(Integer, server_default="0")
    notes: Mapped[str | None] = mapped_column(Text)
