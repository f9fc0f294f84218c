"""SYNTHETIC donors, funding agreements, expenditure and beneficiaries for the demo, so every donor report has content.

Three invented donors fund the demo operators through six agreements in EUR and USD. Tasks are
given to the agreements of their operator in force when they were planned (every ninth task stays
unfunded: the operator's own money). Expenditure is booked per calendar quarter from 2024 to the
last quarter ended, a fixed running cost plus a rate per m² the agreement's tasks released;
beneficiaries are recorded per task and quarter in which it released land. Everything follows
from the work already loaded and the seed, so the same seed on the same day gives the same money.
The tasks' own record (status events, monthly progress reports) is written by app.demo.work.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db.bulk import copy_rows
from app.db.models import Donor, FundingAgreement, Organisation
from app.domain import clock

NOTE = "SYNTHETIC DEMO DATA"
# (name, acronym, country); the first is the donor of the demo donor officer (app.demo.accounts).
DEMO_DONORS = [
    ("Demo Humanitarian Fund (synthetic)", "DHF", None),
    ("Northern Lights Mine Action Trust (synthetic)", "NLT", None),
    ("Danube Stabilisation Facility (synthetic)", "DSF", None),
]


@dataclass(frozen=True)
class DemoAgreement:
    """A grant of one demo donor (by acronym) to one demo operator (by acronym)."""

    reference: str
    donor: str
    operator: str
    amount: float
    currency: str
    start: date
    end: date
    title: str


DEMO_AGREEMENTS = [
    DemoAgreement(
        "DEMO-GRANT-001",
        "DHF",
        "SDG",
        2_500_000,
        "EUR",
        date(2023, 1, 1),
        date(2027, 12, 31),
        "Survey and clearance, synthetic demo grant",
    ),
    DemoAgreement(
        "DHF-DCI-2024",
        "DHF",
        "DCI",
        1_200_000,
        "EUR",
        date(2024, 1, 1),
        date(2026, 12, 31),
        "Clearance of farmland, synthetic",
    ),
    DemoAgreement(
        "NLT-NST-2024",
        "NLT",
        "NST",
        1_800_000,
        "USD",
        date(2024, 1, 1),
        date(2026, 12, 31),
        "Non-technical and technical survey, synthetic",
    ),
    DemoAgreement(
        "NLT-SDG-2025",
        "NLT",
        "SDG",
        900_000,
        "USD",
        date(2025, 1, 1),
        date(2026, 12, 31),
        "Survey of returnee areas, synthetic",
    ),
    DemoAgreement(
        "DSF-SESP-2024",
        "DSF",
        "SES-P",
        1_500_000,
        "EUR",
        date(2024, 4, 1),
        date(2026, 9, 30),
        "Clearance near critical infrastructure, synthetic",
    ),
    DemoAgreement(
        "DSF-DCI-2025",
        "DSF",
        "DCI",
        1_100_000,
        "EUR",
        date(2025, 1, 1),
        date(2027, 6, 30),
        "Battle area clearance, synthetic",
    ),
]
EXPENDITURE_FROM = date(2024, 1, 1)
RUNNING_COST = 30_000.0  # per quarter and agreement, in the agreement's currency
COST_PER_M2 = {"cancelled": 0.03, "reduced": 0.4, "cleared": 1.6}  # EUR; USD agreements pay 1.08 times as much
USD_PER_EUR = 1.08
UNFUNDED_EVERY = 9  # every ninth task is paid by its operator: a report by donor does not cover all work


def load_demo_funding(session: Session, *, seed: int, user: str) -> dict[str, int]:
    """Donors, agreements, the demo tasks' funding, expenditure and beneficiaries; returns donor ids by acronym."""
    named = session.execute(select(Organisation.acronym, Organisation.id))
    operators: dict[str, int] = {acronym: org_id for acronym, org_id in named if acronym}
    donors: dict[str, int] = {}
    for name, acronym, country in DEMO_DONORS:
        donor_id = session.scalar(select(Donor.id).where(Donor.name == name))
        if donor_id is None:
            donor = Donor(name=name, acronym=acronym, country=country, notes=NOTE, created_by=user, updated_by=user)
            session.add(donor)
            session.flush()
            donor_id = donor.id
        donors[acronym] = donor_id
    agreements: dict[str, tuple[int, DemoAgreement]] = {}
    for a in DEMO_AGREEMENTS:
        if a.operator not in operators:
            continue
        agreement_id = session.scalar(select(FundingAgreement.id).where(FundingAgreement.reference == a.reference))
        if agreement_id is None:
            row = FundingAgreement(
                reference=a.reference,
                donor_id=donors[a.donor],
                organisation_id=operators[a.operator],
                title=a.title,
                amount=a.amount,
                currency=a.currency,
                period_start=a.start,
                period_end=a.end,
                notes=NOTE,
                created_by=user,
                updated_by=user,
            )
            session.add(row)
            session.flush()
            agreement_id = row.id
        agreements[a.reference] = (agreement_id, a)
    _fund_tasks(session, operators, agreements)
    _expenditure(session, agreements, user)
    _beneficiaries(session, seed=seed, user=user)
    return donors


def _fund_tasks(session: Session, operators: dict[str, int], agreements: dict[str, tuple[int, DemoAgreement]]) -> None:
    """Each demo task to an agreement of its operator in force at its planned start, in turn; some to none."""
    by_operator: dict[int, list[tuple[int, DemoAgreement]]] = defaultdict(list)
    for agreement_id, a in agreements.values():
        by_operator[operators[a.operator]].append((agreement_id, a))
    tasks = session.execute(
        text("SELECT id, reference, organisation_id, planned_start FROM task WHERE reference LIKE 'DEMO-T-%'")
    ).all()
    updates = []
    for task_id, reference, operator_id, planned in sorted(tasks, key=lambda t: t.reference):
        number = int(reference.rsplit("-", 1)[1])
        if number % UNFUNDED_EVERY == 0:
            continue
        on = planned or date(2024, 1, 1)
        candidates = [agreement_id for agreement_id, a in by_operator[operator_id] if a.start <= on <= a.end]
        if candidates:
            updates.append({"id": task_id, "agreement": candidates[number % len(candidates)]})
    if updates:
        session.execute(text("UPDATE task SET funding_agreement_id = :agreement WHERE id = :id"), updates)


def _quarters(first: date, last: date) -> list[tuple[date, date]]:
    """Calendar quarters from the one holding `first` to the last one that ends on or before `last`.

    >>> _quarters(date(2024, 2, 1), date(2024, 9, 29))
    [(datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)), (datetime.date(2024, 4, 1), datetime.date(2024, 6, 30))]
    """
    start = date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
    out: list[tuple[date, date]] = []
    while True:
        following = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
        end = following - timedelta(days=1)
        if end > last:
            return out
        out.append((start, end))
        start = following


def _expenditure(session: Session, agreements: dict[str, tuple[int, DemoAgreement]], user: str) -> None:
    """Quarterly expenditure: running cost plus a rate per m² released under the agreement in the quarter."""
    released: dict[tuple[int, date], float] = defaultdict(float)
    sql = """
        SELECT t.funding_agreement_id AS agreement, date_trunc('quarter', r.released_on)::date AS quarter,
               r.kind, sum(r.area_m2) AS m2
        FROM release r JOIN activity a ON a.id = r.activity_id JOIN task t ON t.id = a.task_id
        WHERE t.funding_agreement_id = ANY(:ids) GROUP BY 1, 2, 3
    """
    ids = [agreement_id for agreement_id, _ in agreements.values()]
    for row in session.execute(text(sql), {"ids": ids}):
        released[(row.agreement, row.quarter)] += row.m2 * COST_PER_M2[row.kind]
    booked = {r for (r,) in session.execute(text("SELECT DISTINCT funding_agreement_id FROM expenditure"))}
    rows = []
    for agreement_id, a in agreements.values():
        if agreement_id in booked:
            continue
        rate = USD_PER_EUR if a.currency == "USD" else 1.0
        for start, end in _quarters(max(a.start, EXPENDITURE_FROM), min(a.end, clock.today())):
            amount = round((RUNNING_COST + released[(agreement_id, start)]) * rate, -1)
            rows.append([agreement_id, start, end, amount, NOTE, user])
    columns = ["funding_agreement_id", "period_start", "period_end", "amount", "notes", "created_by"]
    copy_rows(session, "expenditure", columns, rows)


def _beneficiaries(session: Session, *, seed: int, user: str) -> None:
    """Direct and indirect beneficiaries per demo task and quarter in which it released land, by sex and age."""
    sql = """
        SELECT a.task_id, date_trunc('quarter', r.released_on)::date AS quarter, max(r.released_on) AS last_on,
               sum(r.area_m2) AS m2
        FROM release r JOIN activity a ON a.id = r.activity_id JOIN task t ON t.id = a.task_id
        WHERE t.reference LIKE 'DEMO-T-%'
          AND NOT EXISTS (SELECT 1 FROM beneficiary_count b WHERE b.task_id = t.id)
        GROUP BY 1, 2 ORDER BY 1, 2
    """
    rng = np.random.default_rng(seed)
    rows = []
    for task_id, _, last_on, m2 in session.execute(text(sql)).all():
        # A household or two per hectare of land given back uses it directly; their village indirectly.
        direct = int(8 + m2 / 10_000 * rng.uniform(2, 6))
        for reach, people in (("direct", direct), ("indirect", int(direct * rng.uniform(3, 6)))):
            shares = rng.dirichlet([30, 28, 21, 21])
            women, men, girls, boys = (round(people * s) for s in shares)
            rows.append([task_id, last_on, reach, women, men, girls, boys, NOTE, user])
    columns = ["task_id", "recorded_on", "reach", "women", "men", "girls", "boys", "notes", "created_by"]
    copy_rows(session, "beneficiary_count", columns, rows)
