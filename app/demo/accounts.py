"""Demo users, one per role, with passwords made afresh each time (there are no default credentials).

The demo donor officer reads for the first demo donor (app.demo.funding, loaded by `mais seed`); a
database seeded before the demo had donors gets that donor and one grant here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Donor, Expenditure, FundingAgreement, Organisation, Task
from app.demo.funding import DEMO_DONORS
from app.domain.access import Actor
from app.services.accounts.passwords import hash_password
from app.services.accounts.users import create_user, end_access, find_user
from app.services.records import touch

DEMO_ACTOR = Actor.system("demo-seed")
DEMO_DONOR = DEMO_DONORS[0][0]  # "Demo Humanitarian Fund (synthetic)"
DEMO_AGREEMENT = "DEMO-GRANT-001"
# (username, role, organisation acronym); the donor officer also names the demo donor.
DEMO_USERS = [
    ("demo.admin", "admin", "NMAA-DEMO"),
    ("demo.coordinator", "coordinator", "NMAA-DEMO"),
    ("demo.operator", "operator", "SDG"),
    ("demo.donor", "donor", "NMAA-DEMO"),
    ("demo.viewer", "viewer", "NMAA-DEMO"),
]


@dataclass(frozen=True)
class DemoLogin:
    """A demo account and the password it has until the next `mais demo-users`."""

    username: str
    password: str
    role: str
    organisation: str


def ensure_demo_users(session: Session) -> list[DemoLogin] | None:
    """Create the demo users (or give them new passwords) after `mais seed`; None without the demo's organisations.

    A deactivated demo user stays deactivated; a new password ends the sessions of the old one.
    """
    organisations = {
        acronym: org_id for acronym, org_id in session.execute(select(Organisation.acronym, Organisation.id))
    }
    if not {acronym for _, _, acronym in DEMO_USERS} <= organisations.keys():
        return None
    names = {org_id: name for org_id, name in session.execute(select(Organisation.id, Organisation.name))}
    donor_id = _demo_donor(session, organisations["SDG"])
    logins = []
    for username, role, acronym in DEMO_USERS:
        password = secrets.token_urlsafe(9)  # 12 characters, shown once
        user = find_user(session, username)
        if user is None:
            create_user(
                session,
                username=username,
                role=role,
                organisation_id=organisations[acronym],
                donor_id=donor_id if role == "donor" else None,
                password=password,
                full_name=f"Demo {role}",
                actor=DEMO_ACTOR,
            )
        else:
            user.password_hash = hash_password(password)
            end_access(session, user.id, tokens=False, by=DEMO_ACTOR.name)
            touch(user, DEMO_ACTOR.name)
        logins.append(DemoLogin(username, password, role, names[organisations[acronym]]))
    session.flush()
    return logins


def _demo_donor(session: Session, operator_id: int) -> int:
    """The demo donor; without it (an older seed), it and its grant to the first demo operator, funding its tasks."""
    donor_id = session.scalar(select(Donor.id).where(Donor.name == DEMO_DONOR))
    if donor_id is not None:
        return donor_id  # seeded with its agreements, money and beneficiaries (app.demo.funding)
    donor = Donor(
        name=DEMO_DONOR, acronym="DHF", notes="SYNTHETIC DEMO DATA", created_by="demo-seed", updated_by="demo-seed"
    )
    session.add(donor)
    session.flush()
    donor_id = donor.id
    agreement_id = session.scalar(select(FundingAgreement.id).where(FundingAgreement.reference == DEMO_AGREEMENT))
    if agreement_id is None:
        agreement = FundingAgreement(
            reference=DEMO_AGREEMENT,
            donor_id=donor_id,
            organisation_id=operator_id,
            title="Survey and clearance, synthetic demo grant",
            amount=2_500_000,
            currency="EUR",
            period_start=date(2023, 1, 1),
            period_end=date(2027, 12, 31),
            notes="SYNTHETIC DEMO DATA",
            created_by="demo-seed",
            updated_by="demo-seed",
        )
        session.add(agreement)
        session.flush()
        agreement_id = agreement.id
        # Spent so far, so that the donor's report has a cost per m² to show.
        session.add(
            Expenditure(
                funding_agreement_id=agreement_id,
                period_start=date(2023, 1, 1),
                period_end=date(2025, 12, 31),
                amount=1_850_000,
                notes="SYNTHETIC DEMO DATA",
                created_by="demo-seed",
            )
        )
    for task in session.scalars(
        select(Task).where(Task.organisation_id == operator_id, Task.funding_agreement_id.is_(None))
    ):
        task.funding_agreement_id = agreement_id
    return donor_id
