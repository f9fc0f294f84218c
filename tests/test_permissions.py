"""Who may do what, end to end: every write for every role, on its own organisation's records and another's.

The statuses expected are written out in the tables below, not derived from app/domain/access.py:
a mistaken change to GRANTS, to a route's rule or to a service's check fails here. A route added
without a rule, or without a row in these tables, fails too. docs/permissions.md carries the grid of
GRANTS, checked against it at the end.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import text

from app.api.access import OPEN, RULES, WRITES, check_every_route_has_a_rule, routes_of
from app.config import get_settings
from app.db.models import ImportJob, User
from app.db.session import new_session
from app.domain.access import CAPABILITIES, DOING, GRANTS, OWN_ORGANISATION, PUBLIC, ROLES, SCOPED_ROLES
from app.main import ROUTERS, app
from app.services.accounts.tokens import issue_token
from tests.accounts import SYSTEM, Account, authority_id, client_for, make_account
from tests.factories import area_feature, if_match, square

V1 = "/api/v1"
OVERRIDE = {"reason": "joint team, agreed at the tasking meeting"}
CALLERS = (*ROLES, "anonymous")
DOC = Path(__file__).resolve().parents[1] / "docs" / "permissions.md"

# The status each caller gets for each write. "own" and "other": a record of the operator's own
# organisation, or of another operator's (admins, coordinators, donors and viewers belong to neither).
# Columns: admin, coordinator, operator, donor, viewer, anonymous.
EXPECTED_WRITES = """
# accounts
POST   /api/v1/tokens                                                 201 201 201 201 201 401
POST   /api/v1/tokens/{token_id}/revoke                 own           200 200 200 200 200 401
POST   /api/v1/tokens/{token_id}/revoke                 someone-else  200 404 404 404 404 401
POST   /api/v1/users                                                  201 403 403 403 403 401
PATCH  /api/v1/users/{user_id}                                        200 403 403 403 403 401
# areas
POST   /api/v1/hazardous-areas                                        201 201 403 403 403 401
PATCH  /api/v1/hazardous-areas/{area_id}                              200 200 403 403 403 401
DELETE /api/v1/hazardous-areas/{area_id}                              204 204 403 403 403 401
POST   /api/v1/hazardous-areas/{area_id}/restore                      200 403 403 403 403 401
POST   /api/v1/hazardous-areas/{area_id}/status                       200 200 403 403 403 401
POST   /api/v1/hazardous-areas/{area_id}/classification               200 200 403 403 403 401
POST   /api/v1/organisations                                          201 403 403 403 403 401
PATCH  /api/v1/organisations/{org_id}                                 200 403 403 403 403 401
DELETE /api/v1/organisations/{org_id}                                 204 403 403 403 403 401
# activities and releases
POST   /api/v1/activities                               own           201 403 201 403 403 401
POST   /api/v1/activities                               other         201 403 403 403 403 401
PATCH  /api/v1/activities/{activity_id}                 own           200 403 200 403 403 401
PATCH  /api/v1/activities/{activity_id}                 other         200 403 403 403 403 401
POST   /api/v1/releases                                 own           201 403 201 403 403 401
POST   /api/v1/releases                                 other         201 403 403 403 403 401
POST   /api/v1/devices-found                            own           201 403 201 403 403 401
POST   /api/v1/devices-found                            other         201 403 403 403 403 401
# tasks
POST   /api/v1/tasks                                                  201 201 403 403 403 401
POST   /api/v1/tasks                                    override      201 201 403 403 403 401
POST   /api/v1/tasks/check                                            200 200 403 403 403 401
POST   /api/v1/tasks/{task_id}/status                   own           200 200 200 403 403 401
POST   /api/v1/tasks/{task_id}/status                   other         200 200 403 403 403 401
POST   /api/v1/tasks/{task_id}/status                   own-overlap   409 409 409 403 403 401
POST   /api/v1/tasks/{task_id}/status                   own-override  200 200 403 403 403 401
POST   /api/v1/tasks/{task_id}/progress-reports         own           201 403 201 403 403 401
POST   /api/v1/tasks/{task_id}/progress-reports         other         201 403 403 403 403 401
# accidents and victims
POST   /api/v1/accidents                                              201 201 403 403 403 401
DELETE /api/v1/accidents/{accident_id}                                204 204 403 403 403 401
# priorities
POST   /api/v1/priority-scenarios                                     201 201 403 403 403 401
PATCH  /api/v1/priority-scenarios/{scenario_id}                       200 200 403 403 403 401
POST   /api/v1/priorities/recompute                                   200 200 403 403 403 401
# funding
POST   /api/v1/donors                                                 201 403 403 403 403 401
POST   /api/v1/funding-agreements                                     201 403 403 403 403 401
POST   /api/v1/funding-agreements/{agreement_id}/tasks                204 403 403 403 403 401
POST   /api/v1/funding-agreements/{agreement_id}/expenditure  own     201 403 201 403 403 401
POST   /api/v1/funding-agreements/{agreement_id}/expenditure  other   201 403 403 403 403 401
POST   /api/v1/tasks/{task_id}/beneficiaries            own           201 403 201 403 403 401
POST   /api/v1/tasks/{task_id}/beneficiaries            other         201 403 403 403 403 401
# imports
POST   /api/v1/imports                                                202 202 403 403 403 401
POST   /api/v1/imports/{job_id}/cancel                                200 200 403 403 403 401
POST   /api/v1/import-mappings                                        201 201 403 403 403 401
"""

# The status each caller gets for some reads (public reading off). "others" in the funding rows: an
# agreement, a task or a report of another donor than the donor officer's.
EXPECTED_READS = """
# areas
GET    /api/v1/hazardous-areas                                        200 200 200 403 200 401
GET    /api/v1/hazardous-areas/{area_id}                              200 200 200 403 200 401
GET    /api/v1/hazardous-areas/{area_id}/timeline                     200 200 200 403 200 401
GET    /api/v1/organisations                                          200 200 200 403 200 401
GET    /api/v1/activities                                             200 200 200 403 200 401
GET    /api/v1/tasks                                                  200 200 200 403 200 401
GET    /api/v1/releases                                               200 200 200 403 200 401
GET    /api/v1/priority-scenarios                                     200 200 200 403 200 401
GET    /api/v1/exports/mais.{extension}                               200 200 200 403 200 401
# accidents and finds
GET    /api/v1/accidents                                              200 200 200 403 200 401
GET    /api/v1/accidents/{accident_id}                                200 200 200 403 200 401
GET    /api/v1/accidents/{accident_id}/identities                     200 403 403 403 403 401
GET    /api/v1/devices-found                                          200 200 200 403 200 401
GET    /api/v1/devices-found/{find_id}                                200 200 200 403 200 401
# funding and reports
GET    /api/v1/donors                                                 200 200 200 403 200 401
GET    /api/v1/funding-agreements                                     200 200 200 403 200 401
GET    /api/v1/funding-agreements/{agreement_id}                      200 200 200 403 200 401
GET    /api/v1/funding-agreements/{agreement_id}/expenditure          200 200 200 403 200 401
GET    /api/v1/tasks/{task_id}/beneficiaries                          200 200 200 403 200 401
GET    /api/v1/reports/tables                                         200 200 200 200 200 401
GET    /api/v1/reports/donor                                          200 200 200 200 200 401
GET    /api/v1/dashboard/headline                                     200 200 200 403 200 401
# accounts and audit
GET    /api/v1/audit                                                  200 200 403 403 403 401
GET    /api/v1/imports                                                200 200 403 403 403 401
GET    /api/v1/import-mappings                                        200 200 403 403 403 401
GET    /api/v1/users                                                  200 403 403 403 403 401
GET    /api/v1/users/{user_id}                                        200 403 403 403 403 401
GET    /api/v1/me                                                     200 200 200 200 200 401
GET    /api/v1/tokens                                                 200 200 200 200 200 401
# reference lists
GET    /api/v1/lookups                                                200 200 200 200 200 401
GET    /api/v1/priority-criteria                                      200 200 200 200 200 401
"""


def parse(table: str) -> dict[str, dict[str, int]]:
    """{"METHOD /path [variant]": {caller: status}} from one of the tables above."""
    cells: dict[str, dict[str, int]] = {}
    for line in table.strip().splitlines():
        if line.startswith("#"):
            continue
        words = line.split()
        method, path, variant = words[0], words[1], words[2 : -len(CALLERS)]
        key = f"{method} {path}" + (f" [{variant[0]}]" if variant else "")
        assert key not in cells, f"{key} is in the table twice"
        cells[key] = dict(zip(CALLERS, map(int, words[-len(CALLERS) :]), strict=True))
    return cells


WRITE_TABLE = parse(EXPECTED_WRITES)
READ_TABLE = parse(EXPECTED_READS)


def route_of(key: str) -> tuple[str, str]:
    method, path, *_ = key.split()
    return method, path


# ---------------------------------------------------------------------------------------------------
# A world to act in, built as the admin; each write acts on records made for it alone.


class World:
    """Two operator organisations ("own": the operator's; "other"), a donor, and helpers making fresh records."""

    def __init__(self, admin_client: TestClient, admin: Account, caller: str) -> None:
        self.admin = admin_client
        self.n = 0
        self.corner: dict[int, tuple[float, float]] = {}
        self.authority = authority_id()
        self.orgs = {"own": self.organisation("Own Demining"), "other": self.organisation("Other Clearance")}
        self.donor = self.post(f"{V1}/donors", {"name": "Nordic Fund", "country": "NO"})["id"]
        self.caller = caller
        if caller == "admin":
            self.account: Account | None = admin
        elif caller == "anonymous":
            self.account = None
        else:
            self.account = make_account(
                caller,
                organisation_id=self.orgs["own"] if caller == "operator" else None,
                donor_id=self.donor if caller == "donor" else None,
            )

    def next(self) -> int:
        self.n += 1
        return self.n

    def post(self, url: str, body: Any, *, expect: int = 201) -> Any:
        response = self.admin.post(url, json=body)
        assert response.status_code == expect, f"setting up: POST {url}: {response.text}"
        return response.json() if response.content else None

    def organisation(self, name: str) -> int:
        return int(self.post(f"{V1}/organisations", {"name": name, "kind": "ngo"})["id"])

    def area(self) -> int:
        """A fresh 0.01° SHA of its own, away from every other one."""
        n = self.next()
        lon, lat = 35.0 + 0.02 * (n % 50), 49.0 + 0.02 * (n // 50)
        body = area_feature(square(lon, lat), reported_on="2025-01-10")
        area_id = int(self.post(f"{V1}/hazardous-areas", body)["id"])
        self.corner[area_id] = (lon, lat)
        return area_id

    def activity(self, org: str, type_: str = "clearance", area: int | None = None) -> int:
        body = {
            "type": type_,
            "organisation_id": self.orgs[org],
            "hazardous_area_ids": [area or self.area()],
            "status": "ongoing",
            "actual_start": "2025-04-01",
            "methods": ["nts"] if type_ == "nts" else ["manual"],
            **({"clearance_depth_cm": 20} if type_ == "clearance" else {}),
        }
        return int(self.post(f"{V1}/activities", body)["id"])

    def task(self, org: str, status: str = "draft", area: int | None = None) -> int:
        body = {
            "reference": f"T-{self.next()}",
            "organisation_id": self.orgs[org],
            "hazardous_area_ids": [area or self.area()],
            "status": "assigned" if status == "in_progress" else status,
        }
        task_id = int(self.post(f"{V1}/tasks", body)["id"])
        if status == "in_progress":
            self.post(f"{V1}/tasks/{task_id}/status", {"status": "in_progress"}, expect=200)
        return task_id

    def agreement(self, org: str) -> int:
        body = {
            "reference": f"NF-{self.next()}",
            "donor_id": self.donor,
            "organisation_id": self.orgs[org],
            "amount": 100_000,
            "currency": "EUR",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
        }
        return int(self.post(f"{V1}/funding-agreements", body)["id"])

    def token_of(self, user_id: int) -> int:
        with new_session() as session:
            user = session.get(User, user_id)
            assert user is not None
            token_id = issue_token(session, user=user, name="to revoke", days=1, max_days=30, actor=SYSTEM).record.id
            session.commit()
        return int(token_id)


@contextmanager
def acting(world: World) -> Iterator[TestClient]:
    """An HTTP client for the caller under test (none for anonymous)."""
    if world.caller == "admin":
        yield world.admin
        return
    with client_for(app, world.account) as caller:
        yield caller


# ---------------------------------------------------------------------------------------------------
# One function per row of EXPECTED_WRITES: set up as the admin, then make the one request as the caller.

Write = Callable[[World, TestClient], Response]
WRITE_CELLS: dict[str, Write] = {}


def write(key: str) -> Callable[[Write], Write]:
    def register(fn: Write) -> Write:
        assert key not in WRITE_CELLS, key
        WRITE_CELLS[key] = fn
        return fn

    return register


# accounts


@write("POST /api/v1/tokens")
def _issue_token(w: World, c: TestClient) -> Response:
    return c.post(f"{V1}/tokens", json={"name": "nightly sync", "days": 7})


@write("POST /api/v1/tokens/{token_id}/revoke [own]")
def _revoke_own_token(w: World, c: TestClient) -> Response:
    owner = w.account.id if w.account else make_account("viewer", username="token.owner").id
    return c.post(f"{V1}/tokens/{w.token_of(owner)}/revoke")


@write("POST /api/v1/tokens/{token_id}/revoke [someone-else]")
def _revoke_someone_elses_token(w: World, c: TestClient) -> Response:
    bystander = make_account("viewer", username=f"bystander.{w.next()}")
    return c.post(f"{V1}/tokens/{w.token_of(bystander.id)}/revoke")


@write("POST /api/v1/users")
def _create_user(w: World, c: TestClient) -> Response:
    body = {"username": f"new.user.{w.next()}", "role": "viewer", "organisation_id": w.authority}
    return c.post(f"{V1}/users", json=body)


@write("PATCH /api/v1/users/{user_id}")
def _update_user(w: World, c: TestClient) -> Response:
    url = f"{V1}/users/{make_account('viewer', username=f'target.{w.next()}').id}"
    return c.patch(url, json={"full_name": "Renamed"}, headers=if_match(w.admin, url))


# areas and organisations


@write("POST /api/v1/hazardous-areas")
def _create_area(w: World, c: TestClient) -> Response:
    return c.post(f"{V1}/hazardous-areas", json=area_feature(square(38.0, 48.0 + 0.02 * w.next())))


@write("PATCH /api/v1/hazardous-areas/{area_id}")
def _update_area(w: World, c: TestClient) -> Response:
    url = f"{V1}/hazardous-areas/{w.area()}"
    return c.patch(url, json={"properties": {"name": "Field 9"}}, headers=if_match(w.admin, url))


@write("DELETE /api/v1/hazardous-areas/{area_id}")
def _delete_area(w: World, c: TestClient) -> Response:
    url = f"{V1}/hazardous-areas/{w.area()}"
    return c.delete(url, params={"reason": "duplicate"}, headers=if_match(w.admin, url))


@write("POST /api/v1/hazardous-areas/{area_id}/restore")
def _restore_area(w: World, c: TestClient) -> Response:
    url = f"{V1}/hazardous-areas/{w.area()}"
    assert w.admin.delete(url, headers=if_match(w.admin, url)).status_code == 204
    return c.post(f"{url}/restore")


@write("POST /api/v1/hazardous-areas/{area_id}/status")
def _change_area_status(w: World, c: TestClient) -> Response:
    return c.post(f"{V1}/hazardous-areas/{w.area()}/status", json={"status": "worked_on", "on": "2025-03-01"})


@write("POST /api/v1/hazardous-areas/{area_id}/classification")
def _reclassify_area(w: World, c: TestClient) -> Response:
    body = {"classification": "CHA", "evidence": ["item_seen"], "on": "2025-03-01"}
    return c.post(f"{V1}/hazardous-areas/{w.area()}/classification", json=body)


@write("POST /api/v1/organisations")
def _create_organisation(w: World, c: TestClient) -> Response:
    return c.post(f"{V1}/organisations", json={"name": f"New Operator {w.next()}", "kind": "commercial"})


@write("PATCH /api/v1/organisations/{org_id}")
def _update_organisation(w: World, c: TestClient) -> Response:
    url = f"{V1}/organisations/{w.organisation(f'Renamed {w.next()}')}"
    return c.patch(url, json={"acronym": "RN"}, headers=if_match(w.admin, url))


@write("DELETE /api/v1/organisations/{org_id}")
def _delete_organisation(w: World, c: TestClient) -> Response:
    url = f"{V1}/organisations/{w.organisation(f'Closed {w.next()}')}"
    return c.delete(url, headers=if_match(w.admin, url))


# activities, releases and finds, of the operator's own organisation and of another


def _record_activity(org: str) -> Write:
    def run(w: World, c: TestClient) -> Response:
        body = {
            "type": "nts",
            "organisation_id": w.orgs[org],
            "hazardous_area_ids": [w.area()],
            "status": "planned",
            "planned_start": "2025-09-01",
            "methods": ["nts"],
        }
        return c.post(f"{V1}/activities", json=body)

    return run


def _correct_activity(org: str) -> Write:
    def run(w: World, c: TestClient) -> Response:
        url = f"{V1}/activities/{w.activity(org)}"
        return c.patch(url, json={"team": "Team 4", "team_days": 12}, headers=if_match(w.admin, url))

    return run


def _release(activity: int, area: int, corner: tuple[float, float]) -> dict[str, Any]:
    """Land cancelled by non-technical survey: the south-west part of the area."""
    props = {"activity_id": activity, "hazardous_area_id": area, "kind": "cancelled", "method": "nts"}
    return {"type": "Feature", "geometry": square(*corner, 0.004), "properties": {**props, "released_on": "2025-04-10"}}


def _find(activity: int, corner: tuple[float, float]) -> dict[str, Any]:
    """An AP mine destroyed in situ, in the middle of the area."""
    point = {"type": "Point", "coordinates": [corner[0] + 0.005, corner[1] + 0.005]}
    props = {"activity_id": activity, "found_on": "2025-04-10", "category": "ap_mine", "fate": "destroyed_in_situ"}
    return {"type": "Feature", "geometry": point, "properties": props}


def _record_release(org: str) -> Write:
    def run(w: World, c: TestClient) -> Response:
        area = w.area()
        activity = w.activity(org, "nts", area)
        return c.post(f"{V1}/releases", json=_release(activity, area, w.corner[area]))

    return run


def _record_find(org: str) -> Write:
    def run(w: World, c: TestClient) -> Response:
        area = w.area()
        activity = w.activity(org, "clearance", area)
        return c.post(f"{V1}/devices-found", json=_find(activity, w.corner[area]))

    return run


# tasks


@write("POST /api/v1/tasks")
def _create_task(w: World, c: TestClient) -> Response:
    body = {"reference": f"T-{w.next()}", "organisation_id": w.orgs["own"], "hazardous_area_ids": [w.area()]}
    return c.post(f"{V1}/tasks", json={**body, "status": "assigned"})


@write("POST /api/v1/tasks/check")
def _check_task(w: World, c: TestClient) -> Response:
    area = w.area()
    w.task("other", "assigned", area)
    body = {"reference": f"T-{w.next()}", "organisation_id": w.orgs["own"], "hazardous_area_ids": [area]}
    return c.post(f"{V1}/tasks/check", json={**body, "status": "assigned"})


@write("POST /api/v1/tasks [override]")
def _create_overlapping_task(w: World, c: TestClient) -> Response:
    area = w.area()
    w.task("other", "assigned", area)
    body = {"reference": f"T-{w.next()}", "organisation_id": w.orgs["own"], "hazardous_area_ids": [area]}
    return c.post(f"{V1}/tasks", json={**body, "status": "assigned", "deconfliction_override": OVERRIDE})


def _assign_task(org: str) -> Write:
    def run(w: World, c: TestClient) -> Response:
        return c.post(f"{V1}/tasks/{w.task(org)}/status", json={"status": "assigned"})

    return run


def _assign_overlapping_task(*, override: bool) -> Write:
    """The operator's draft task on ground another operator's active task covers, assigned."""

    def run(w: World, c: TestClient) -> Response:
        area = w.area()
        w.task("other", "assigned", area)
        body: dict[str, Any] = {"status": "assigned"}
        if override:
            body["deconfliction_override"] = OVERRIDE
        return c.post(f"{V1}/tasks/{w.task('own', 'draft', area)}/status", json=body)

    return run


def _report_progress(org: str) -> Write:
    def run(w: World, c: TestClient) -> Response:
        body = {"period_start": "2025-05-01", "period_end": "2025-05-31", "cleared_m2": 1_200, "team_days": 20}
        return c.post(f"{V1}/tasks/{w.task(org, 'in_progress')}/progress-reports", json=body)

    return run


# accidents


def _accident() -> dict[str, Any]:
    """A mine accident near Kharkiv with one named victim."""
    point = {"type": "Point", "coordinates": [36.2512, 49.9935]}
    victim = {"outcome": "injured", "sex": "male", "age_band": "18-59", "role": "civilian", "name": "Ivan P."}
    props = {"occurred_on": "2024-06-03", "type": "mine", "victims": [victim]}
    return {"type": "Feature", "geometry": point, "properties": props}


@write("POST /api/v1/accidents")
def _create_accident(w: World, c: TestClient) -> Response:
    return c.post(f"{V1}/accidents", json=_accident())


@write("DELETE /api/v1/accidents/{accident_id}")
def _delete_accident(w: World, c: TestClient) -> Response:
    url = f"{V1}/accidents/{w.post(f'{V1}/accidents', _accident())['id']}"
    return c.delete(url, params={"reason": "entered twice"}, headers=if_match(w.admin, url))


# priorities


@write("POST /api/v1/priority-scenarios")
def _create_scenario(w: World, c: TestClient) -> Response:
    return c.post(f"{V1}/priority-scenarios", json={"name": f"returns {w.next()}", "weights": {"returns": 10}})


@write("PATCH /api/v1/priority-scenarios/{scenario_id}")
def _update_scenario(w: World, c: TestClient) -> Response:
    scenario = w.post(f"{V1}/priority-scenarios", {"name": f"population {w.next()}", "weights": {"population": 10}})
    url = f"{V1}/priority-scenarios/{scenario['id']}"
    return c.patch(url, json={"weights": {"population": 20}, "note": "more weight"}, headers=if_match(w.admin, url))


@write("POST /api/v1/priorities/recompute")
def _recompute(w: World, c: TestClient) -> Response:
    return c.post(f"{V1}/priorities/recompute")


# funding


@write("POST /api/v1/donors")
def _create_donor(w: World, c: TestClient) -> Response:
    return c.post(f"{V1}/donors", json={"name": f"Fund {w.next()}", "country": "DE"})


@write("POST /api/v1/funding-agreements")
def _create_agreement(w: World, c: TestClient) -> Response:
    body = {"reference": f"NF-{w.next()}", "donor_id": w.donor, "organisation_id": w.orgs["own"], "amount": 5_000,
            "currency": "EUR", "period_start": "2025-01-01", "period_end": "2025-12-31"}  # fmt: skip
    return c.post(f"{V1}/funding-agreements", json=body)


@write("POST /api/v1/funding-agreements/{agreement_id}/tasks")
def _fund_tasks(w: World, c: TestClient) -> Response:
    agreement, task = w.agreement("own"), w.task("own")
    return c.post(f"{V1}/funding-agreements/{agreement}/tasks", json={"task_ids": [task]})


def _report_expenditure(org: str) -> Write:
    def run(w: World, c: TestClient) -> Response:
        body = {"period_start": "2025-01-01", "period_end": "2025-03-31", "amount": 12_500}
        return c.post(f"{V1}/funding-agreements/{w.agreement(org)}/expenditure", json=body)

    return run


def _record_beneficiaries(org: str) -> Write:
    def run(w: World, c: TestClient) -> Response:
        body = {"recorded_on": "2025-06-30", "reach": "direct", "women": 12, "men": 10, "girls": 4, "boys": 5}
        return c.post(f"{V1}/tasks/{w.task(org, 'in_progress')}/beneficiaries", json=body)

    return run


# imports


@write("POST /api/v1/imports")
def _submit_import(w: World, c: TestClient) -> Response:
    """A dry run of a one-area file; the answer waits for its background run, which writes nothing."""
    from tests.import_files import areas, finished, upload
    from tests.import_files import write as write_file

    path = write_file(areas(1), Path(tempfile.mkdtemp()) / "one.geojson")
    response = upload(c, path, dry_run=True)
    if response.status_code == 202:
        finished(w.admin, response.json()["id"])
    return response


@write("POST /api/v1/imports/{job_id}/cancel")
def _cancel_import(w: World, c: TestClient) -> Response:
    with new_session() as session:
        job = ImportJob(kind="hazardous_areas", source="permissions", status="queued", created_by="tests")
        session.add(job)
        session.commit()
    return c.post(f"{V1}/imports/{job.id}/cancel")


@write("POST /api/v1/import-mappings")
def _save_import_mapping(w: World, c: TestClient) -> Response:
    body = {"name": f"export {w.next()}", "kind": "hazardous_areas", "mapping": {"external_id": {"column": "ID"}}}
    return c.post(f"{V1}/import-mappings", json=body)


for _org in ("own", "other"):
    write(f"POST /api/v1/activities [{_org}]")(_record_activity(_org))
    write(f"PATCH /api/v1/activities/{{activity_id}} [{_org}]")(_correct_activity(_org))
    write(f"POST /api/v1/releases [{_org}]")(_record_release(_org))
    write(f"POST /api/v1/devices-found [{_org}]")(_record_find(_org))
    write(f"POST /api/v1/tasks/{{task_id}}/status [{_org}]")(_assign_task(_org))
    write(f"POST /api/v1/tasks/{{task_id}}/progress-reports [{_org}]")(_report_progress(_org))
    write(f"POST /api/v1/funding-agreements/{{agreement_id}}/expenditure [{_org}]")(_report_expenditure(_org))
    write(f"POST /api/v1/tasks/{{task_id}}/beneficiaries [{_org}]")(_record_beneficiaries(_org))
write("POST /api/v1/tasks/{task_id}/status [own-overlap]")(_assign_overlapping_task(override=False))
write("POST /api/v1/tasks/{task_id}/status [own-override]")(_assign_overlapping_task(override=True))

# The rows of EXPECTED_WRITES by subject: one test (one world) per subject and caller.
SUBJECTS = {
    "accounts": ("/api/v1/tokens", "/api/v1/users"),
    "areas": ("/api/v1/hazardous-areas", "/api/v1/organisations"),
    "work": ("/api/v1/activities", "/api/v1/releases", "/api/v1/devices-found"),
    "tasks": ("/api/v1/tasks",),
    "accidents and priorities": ("/api/v1/accidents", "/api/v1/priorit"),
    "funding": ("/api/v1/donors", "/api/v1/funding-agreements"),
    "imports": ("/api/v1/imports", "/api/v1/import-mappings"),
}


def subject_of(key: str) -> str:
    """The subject a row of EXPECTED_WRITES belongs to (a task's beneficiaries: funding)."""
    path = route_of(key)[1]
    if path.endswith("/beneficiaries"):
        return "funding"
    return next(s for s, prefixes in SUBJECTS.items() if path.startswith(prefixes))


def check(world: World, keys: list[str], table: dict[str, dict[str, int]], cells: dict[str, Write]) -> None:
    """Make each request as the caller; fail listing every cell whose status is not the one expected."""
    wrong = []
    with acting(world) as caller:
        for key in keys:
            response = cells[key](world, caller)
            expected = table[key][world.caller]
            if response.status_code != expected:
                wrong.append(f"{key}: expected {expected}, got {response.status_code} {response.text[:300]}")
            # The audit trail: one entry, naming the caller, for a change made; none for a refusal or a read.
            entries = audit_entries(response.headers["x-request-id"])
            made = response.status_code < 300 and route_of(key)[0] in WRITES and route_of(key) not in CHANGES_NO_RECORD
            if len(entries) != int(made) or (made and world.account and entries[0] != world.account.username):
                wrong.append(f"{key}: {response.status_code} left audit entries by {entries}")
    assert not wrong, f"as {world.caller}:\n" + "\n".join(wrong)


# A full priority run writes scores and a run record, no record a user keeps: no audit entry.
# The deconfliction preview (POST /api/v1/tasks/check) writes nothing at all.
CHANGES_NO_RECORD = {("POST", "/api/v1/priorities/recompute"), ("POST", "/api/v1/tasks/check")}


def audit_entries(request_id: str) -> list[str]:
    """Who the audit entries of one request name (there should be one, or none)."""
    from sqlalchemy import text

    from app.db.session import new_session

    with new_session() as session:
        sql = text("SELECT user_name FROM audit_entry WHERE request_id = :r")
        return list(session.execute(sql, {"r": request_id}).scalars())


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("subject", list(SUBJECTS))
def test_every_write_gives_each_caller_the_status_of_the_table(
    client: TestClient, admin: Account, subject: str, caller: str
) -> None:
    world = World(client, admin, caller)
    check(world, [k for k in WRITE_TABLE if subject_of(k) == subject], WRITE_TABLE, WRITE_CELLS)


def test_the_write_table_covers_every_write_route_and_nothing_else() -> None:
    """A new write route must get a row (and a request) here before it can pass: the table is the review."""
    writes = {route for route, rule in RULES.items() if route[0] in WRITES and rule != OPEN}
    assert {route_of(k) for k in WRITE_TABLE} == writes
    assert set(WRITE_CELLS) == set(WRITE_TABLE)
    own_organisation = {route for route, rule in RULES.items() if rule in OWN_ORGANISATION and route[0] in WRITES}
    for route in own_organisation:  # each write an operator may do for its own organisation only: both cases
        assert {f"{route[0]} {route[1]} [own]", f"{route[0]} {route[1]} [other]"} <= set(WRITE_TABLE), route


def test_deconfliction_override_is_recorded_with_the_coordinator_who_decided(
    client: TestClient, admin: Account
) -> None:
    world = World(client, admin, "coordinator")
    with acting(world) as coordinator:
        assert _assign_overlapping_task(override=True)(world, coordinator).status_code == 200
    assert world.account is not None
    with new_session() as session:
        decided = session.execute(text("SELECT decided_by, reason FROM task_deconfliction")).all()
    assert [tuple(row) for row in decided] == [(world.account.username, OVERRIDE["reason"])]


# ---------------------------------------------------------------------------------------------------
# Reads


class ReadWorld(World):
    """Something to read of each kind: an area worked by a task, an activity and a find; an accident; funding."""

    def __init__(self, admin_client: TestClient, admin: Account, caller: str) -> None:
        super().__init__(admin_client, admin, caller)
        self.area_id = self.area()
        self.task_id = self.task("own", "in_progress", self.area_id)
        self.activity_id = self.activity("own", "clearance", self.area_id)
        self.find_id = self.post(f"{V1}/devices-found", _find(self.activity_id, self.corner[self.area_id]))["id"]
        self.accident_id = self.post(f"{V1}/accidents", _accident())["id"]
        self.agreement_id = self.agreement("own")
        self.post(f"{V1}/funding-agreements/{self.agreement_id}/tasks", {"task_ids": [self.task_id]}, expect=204)
        spent = {"period_start": "2025-01-01", "period_end": "2025-03-31", "amount": 10}
        self.post(f"{V1}/funding-agreements/{self.agreement_id}/expenditure", spent)
        people = {"recorded_on": "2025-06-30", "reach": "direct", "women": 1}
        self.post(f"{V1}/tasks/{self.task_id}/beneficiaries", people)
        self.user_id = admin.id

    def url(self, path: str) -> str:
        ids = {
            "area_id": self.area_id,
            "accident_id": self.accident_id,
            "find_id": self.find_id,
            "agreement_id": self.agreement_id,
            "task_id": self.task_id,
            "user_id": self.user_id,
            "extension": "gpkg",
        }
        return path.format(**ids)


def _reader(key: str) -> Write:
    def run(w: World, c: TestClient) -> Response:
        assert isinstance(w, ReadWorld)
        return c.get(w.url(route_of(key)[1]))

    return run


READ_CELLS = {key: _reader(key) for key in READ_TABLE}


@pytest.mark.parametrize("caller", CALLERS)
def test_reads_give_each_caller_the_status_of_the_table(client: TestClient, admin: Account, caller: str) -> None:
    check(ReadWorld(client, admin, caller), list(READ_TABLE), READ_TABLE, READ_CELLS)


def test_read_table_names_only_read_routes_with_rules() -> None:
    for key in READ_TABLE:
        assert route_of(key) in RULES and route_of(key)[0] == "GET", key


def test_a_donor_officer_reads_its_own_agreements_only_through_its_report(client: TestClient, admin: Account) -> None:
    world = World(client, admin, "donor")
    own = world.agreement("own")
    other_donor = world.post(f"{V1}/donors", {"name": "Other Fund", "country": "DE"})["id"]
    body = {"reference": "OF-1", "donor_id": other_donor, "organisation_id": world.orgs["other"], "amount": 5,
            "currency": "EUR", "period_start": "2025-01-01", "period_end": "2025-12-31"}  # fmt: skip
    others = world.post(f"{V1}/funding-agreements", body)["id"]
    with acting(world) as donor:
        # Regression: a donor officer read every donor's agreements and expenditure.
        for url in (f"{V1}/funding-agreements", f"{V1}/funding-agreements/{own}", f"{V1}/funding-agreements/{others}",
                    f"{V1}/funding-agreements/{others}/expenditure", f"{V1}/donors"):  # fmt: skip
            assert donor.get(url).status_code == 403, url
        report = donor.get(f"{V1}/reports/donor").json()
        assert "OF-1" not in str(report)  # the other donor's agreement


PUBLIC_READS = {
    "/api/v1/hazardous-areas": 200,
    "/api/v1/reports/donor": 200,
    "/api/v1/dashboard/headline": 200,
    "/api/v1/lookups": 200,
    "/api/v1/accidents": 401,
    "/api/v1/devices-found": 401,
    "/api/v1/audit": 401,
    "/api/v1/funding-agreements": 401,
    "/api/v1/users": 401,
}


def test_public_reading_opens_the_map_and_reports_to_anonymous_callers_but_nothing_sensitive(
    client: TestClient, anonymous: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.post(f"{V1}/hazardous-areas", json=area_feature())
    client.post(f"{V1}/accidents", json=_accident())
    assert {url: anonymous.get(url).status_code for url in PUBLIC_READS} == {url: 401 for url in PUBLIC_READS}
    monkeypatch.setattr(get_settings(), "public_read", True)
    assert {url: anonymous.get(url).status_code for url in PUBLIC_READS} == PUBLIC_READS
    assert anonymous.get(f"{V1}/hazardous-areas").json()["numberReturned"] == 1
    # Public reading never writes: an anonymous change is still a 401.
    assert anonymous.post(f"{V1}/hazardous-areas", json=area_feature()).status_code == 401


# ---------------------------------------------------------------------------------------------------
# Credentials: what docs/permissions.md promises of tokens and browser sessions


def test_a_revoked_token_or_a_deactivated_account_opens_nothing(client: TestClient) -> None:
    viewer = make_account("viewer", username="leaving.viewer")
    with client_for(app, viewer) as script:
        issued = script.post(f"{V1}/tokens", json={"name": "second script"}).json()
        assert issued["token"].startswith(issued["prefix"])
        with client_for(app, None) as second:
            bearer = {"Authorization": f"Bearer {issued['token']}"}
            assert second.get(f"{V1}/me", headers=bearer).json()["username"] == "leaving.viewer"
            assert script.post(f"{V1}/tokens/{issued['id']}/revoke").status_code == 200
            assert second.get(f"{V1}/me", headers=bearer).status_code == 401
            assert script.post(f"{V1}/tokens/{issued['id']}/revoke").status_code == 410
        url = f"{V1}/users/{viewer.id}"
        assert client.patch(url, json={"active": False}, headers=if_match(client, url)).status_code == 200
        assert script.get(f"{V1}/me").status_code == 401


def test_a_change_from_a_logged_in_browser_needs_the_sessions_csrf_token(client: TestClient) -> None:
    make_account("coordinator", username="c.browser", password="correct horse battery")
    with client_for(app, None) as browser:
        assert browser.get(f"{V1}/me", headers={"Accept": "text/html"}, follow_redirects=False).status_code == 303
        wrong = browser.post("/login", data={"username": "c.browser", "password": "wrong password!"})
        assert wrong.status_code == 401
        login = {"username": "c.browser", "password": "correct horse battery", "next": "/api/v1/me"}
        assert browser.post("/login", data=login, follow_redirects=False).status_code == 303
        assert browser.get(f"{V1}/me").json()["role"] == "coordinator"
        refused = browser.post(f"{V1}/hazardous-areas", json=area_feature())
        assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["detail"]
        with new_session() as session:
            csrf = session.execute(text("SELECT csrf_token FROM login_session")).scalar_one()
        created = browser.post(f"{V1}/hazardous-areas", json=area_feature(), headers={"X-CSRF-Token": csrf})
        assert created.status_code == 201, created.text
        assert browser.post("/logout", follow_redirects=False).status_code == 303
        assert browser.get(f"{V1}/me").status_code == 401


# ---------------------------------------------------------------------------------------------------
# Every route has a rule


def test_every_route_has_a_rule_and_every_rule_a_route() -> None:
    routes = set(routes_of(ROUTERS))
    assert not routes - set(RULES), "routes without a rule in app/api/access.py"
    assert not set(RULES) - routes, "rules in app/api/access.py for routes that do not exist"


def test_a_rule_names_a_capability_that_exists_or_is_open() -> None:
    assert {rule for rule in RULES.values() if rule != OPEN} <= set(CAPABILITIES)


def test_an_app_with_a_route_without_a_rule_refuses_to_start() -> None:
    router = APIRouter(prefix="/api/v1/minefield-gossip")

    @router.post("/{rumour_id}/confirm")
    def confirm(rumour_id: int) -> None:
        """A route nobody decided the permissions of."""

    with pytest.raises(RuntimeError, match=re.escape("POST /api/v1/minefield-gossip/{rumour_id}/confirm")):
        check_every_route_has_a_rule([*ROUTERS, router])
    check_every_route_has_a_rule(ROUTERS)  # the app's own routers pass


# ---------------------------------------------------------------------------------------------------
# docs/permissions.md carries the grid of GRANTS

GRID_START, GRID_END = "<!-- grants:start -->", "<!-- grants:end -->"


def grants_grid() -> str:
    """The capability × role grid of GRANTS as a Markdown table: what docs/permissions.md must show."""
    columns = [*ROLES, PUBLIC]
    lines = [
        "| capability | lets one | " + " | ".join(columns) + " |",
        "|---|---|" + "---|" * len(columns),
    ]
    for capability in CAPABILITIES:
        cells = []
        for role in columns:
            if role not in GRANTS[capability]:
                cells.append("no")
            elif role in SCOPED_ROLES and capability in OWN_ORGANISATION:
                cells.append("own organisation")
            else:
                cells.append("yes")
        lines.append(f"| `{capability}` | {DOING[capability]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_the_permissions_document_shows_the_grants_as_they_are() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert GRID_START in doc and GRID_END in doc, f"{DOC.name} lost its {GRID_START} … {GRID_END} markers"
    shown = doc.split(GRID_START, 1)[1].split(GRID_END, 1)[0].strip()
    assert shown == grants_grid(), f"GRANTS changed: put this grid between the markers of {DOC.name}:\n{grants_grid()}"


def test_the_permissions_document_names_every_role_and_the_ways_in() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for needed in (*ROLES, "mais create-admin", "mais create-user", "POST /api/v1/users", "POST /api/v1/tokens",
                   "Authorization: Bearer", "/revoke", "/login", "X-CSRF-Token", "MAIS_PUBLIC_READ"):  # fmt: skip
        assert needed in doc, needed
