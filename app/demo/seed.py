"""Load the synthetic demo dataset (gis.demo.areas) into the database."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.db.bulk import copy_rows, ewkb
from app.db.models import HazardousArea, Organisation
from app.demo.context import load_demo_context
from app.demo.funding import load_demo_funding
from app.demo.work import load_demo_work
from app.domain.errors import Conflict
from app.services.priorities.ranking import refresh
from app.services.priorities.scenarios import ensure_default_scenarios
from app.services.registry.admin_units import load_ukraine
from app.services.registry.quality import refresh_quality
from gis.demo.areas import DEMO_SOURCE, generate_hazardous_areas

DEMO_USER = "demo-seed"
# Fictional organisations: the demo must never be mistaken for a real operator's record.
DEMO_ORGANISATIONS = [
    ("National Mine Action Authority (demo)", "NMAA-DEMO", "national_authority"),
    ("Steppe Demining Group (synthetic)", "SDG", "ngo"),
    ("Dnipro Clearance Initiative (synthetic)", "DCI", "ngo"),
    ("Northern Survey Teams (synthetic)", "NST", "commercial"),
    ("State Emergency Service pyrotechnic unit (synthetic)", "SES-P", "state"),
]


def count_areas(session: Session) -> int:
    """Live hazardous areas in the database."""
    return int(session.scalar(select(func.count()).where(HazardousArea.deleted_at.is_(None))) or 0)


def load_demo(session: Session, *, areas: int, seed: int, with_work: bool = True, with_context: bool = True) -> int:
    """Insert demo organisations, `areas` synthetic areas, the work on them, its funding and context; one commit."""
    loaded = session.scalar(select(func.count()).where(HazardousArea.source == DEMO_SOURCE))
    if loaded:
        raise Conflict(f"demo data is already loaded ({loaded:,} areas with source {DEMO_SOURCE!r})")
    operators = _organisations(session)
    frame = generate_hazardous_areas(areas, seed=seed)
    rng = np.random.default_rng(seed)
    reporters = rng.choice(operators, size=len(frame))
    geometries = ewkb(frame.geometry.values)
    # Every area enters the register open, as reported; the work loaded next moves it on.
    columns = [c for c in frame.columns if c not in ("geometry", "status")]
    extra = [
        "status",
        "remaining_area_m2",
        "reporting_organisation_id",
        "status_changed_on",
        "information_date",
        "geom",
        "remaining_geom",
        "created_by",
        "updated_by",
    ]

    def rows() -> Iterator[list[Any]]:
        for i, record in enumerate(frame[columns].itertuples(index=False)):
            values = [_plain(v) for v in record]
            area = values[columns.index("original_area_m2")]
            reported_on = values[columns.index("reported_on")]
            yield [
                *values,
                "open",
                area,
                int(reporters[i]),
                reported_on,
                reported_on,
                geometries[i],
                geometries[i],
                DEMO_USER,
                DEMO_USER,
            ]

    copy_rows(session, "hazardous_area", columns + extra, rows())
    if with_work:
        ids = dict(
            session.execute(
                select(HazardousArea.external_id, HazardousArea.id).where(HazardousArea.source == DEMO_SOURCE)
            ).all()
        )
        load_demo_work(session, frame, [ids[e] for e in frame["external_id"]], operators, seed=seed, user=DEMO_USER)
        load_demo_funding(session, seed=seed, user=DEMO_USER)  # donors, agreements, money and people served
    if with_context:
        load_demo_context(session, seed=seed, user=DEMO_USER)
        load_ukraine(session, user=DEMO_USER, if_empty=True)  # the demo's filters and derived codes need them
    # Bulk-copied areas get the quality flags a write through the API computes (overlaps, slivers…).
    refresh_quality(session, list(session.scalars(select(HazardousArea.id).where(HazardousArea.source == DEMO_SOURCE))))
    ensure_default_scenarios(session, user=DEMO_USER)
    session.commit()
    # Fresh bulk loads have no planner statistics; without them the ranking joins pick nested loops
    # that take seconds instead of milliseconds until autovacuum gets round to it.
    session.execute(text("ANALYZE"))
    session.commit()
    refresh(session, user=DEMO_USER)  # the demo is ranked when it is served: reads never score
    session.commit()
    return len(frame)


def _organisations(session: Session) -> list[int]:
    """Ids of the demo operators, created on first use."""
    ids = []
    for name, acronym, kind in DEMO_ORGANISATIONS:
        org_id = session.scalar(select(Organisation.id).where(Organisation.name == name))
        if org_id is None:
            org = Organisation(
                name=name,
                acronym=acronym,
                kind=kind,
                country="UA",
                created_by=DEMO_USER,
                updated_by=DEMO_USER,
                notes="SYNTHETIC DEMO DATA",
            )
            session.add(org)
            session.flush()
            org_id = org.id
        if kind != "national_authority":
            ids.append(org_id)
    return ids


def _plain(value: Any) -> Any:
    """NumPy scalars and NaN from pandas become plain Python values for the driver."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value
