"""A small programme with hand-known figures, built through the API, for the donor-report tests.

Two operators, two donors, one agreement each; three areas in EPSG:3035 metres (equal-area, so
m² are known): H1 a 1 km² SHA and H3 a 200 m square SHA in Kharkiv (task T1, agreement NF-1 of
Nordic Fund to Steppe Demining), H2 a 1,000 m x 500 m CHA in Kherson (task T2, agreement AT-1 of
Atlantic Trust to Delta Clearance). Settlements sit at known distances from the released land.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from pyproj import Transformer
from sqlalchemy import text

from app.db.session import new_session
from tests.factories import KHARKIV_HROMADA, KHERSON_HROMADA, LAEA_X0, LAEA_Y0, laea_feature, laea_rectangle

TO_WGS84 = Transformer.from_crs("EPSG:3035", "EPSG:4326", always_xy=True)
# (name, population, x, y) in metres from the LAEA origin of tests.factories.
SETTLEMENTS = [
    ("Near H1", 1_000, 500, 2_000),  # 1,000 m north of H1
    ("Near H2", 2_000, 10_250, -3_000),  # 3,000 m south of H2
    ("Between", 300, 5_500, 250),  # 4,500 m from H1's cleared land and from H2: counted once
    ("Far", 50_000, 500, 30_000),
]


class ReportWorld:
    """Builds the programme; ids are kept for the filter tests."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.steppe = self._post("/api/v1/organisations", {"name": "Steppe Demining", "kind": "ngo"})
        self.delta = self._post("/api/v1/organisations", {"name": "Delta Clearance", "kind": "commercial"})
        self.nordic = self._post("/api/v1/donors", {"name": "Nordic Fund", "iati_org_ref": "NO-1"})
        self.atlantic = self._post("/api/v1/donors", {"name": "Atlantic Trust"})
        year = {"period_start": "2025-01-01", "period_end": "2025-12-31"}
        self.nf1 = self._post(
            "/api/v1/funding-agreements",
            {"reference": "NF-1", "donor_id": self.nordic, "organisation_id": self.steppe,
             "amount": 500_000, "currency": "EUR", **year},
        )  # fmt: skip
        self.at1 = self._post(
            "/api/v1/funding-agreements",
            {"reference": "AT-1", "donor_id": self.atlantic, "organisation_id": self.delta,
             "amount": 300_000, "currency": "USD", **year},
        )  # fmt: skip
        self.h1 = self._area((0, 0, 1000, 1000), "SHA", KHARKIV_HROMADA)
        self.h2 = self._area((10_000, 0, 11_000, 500), "CHA", KHERSON_HROMADA)
        self.h3 = self._area((20_000, 0, 20_200, 200), "SHA", KHARKIV_HROMADA)
        self.t1 = self._task("T1", self.steppe, [self.h1, self.h3], self.nf1)
        self.t2 = self._task("T2", self.delta, [self.h2], self.at1)
        self._status(self.t1, [("assigned", "2025-02-20"), ("in_progress", "2025-03-01")])
        self._status(self.t2, [("assigned", "2025-03-20"), ("in_progress", "2025-04-01")])

        nts = self._activity("nts", self.steppe, [self.h1], self.t1)
        clearance = self._activity("clearance", self.steppe, [self.h1, self.h3], self.t1)
        ts = self._activity("ts", self.delta, [self.h2], self.t2)
        self._release(nts, self.h1, "cancelled", "nts", (0, 0, 400, 1000), "2025-03-10")
        self._release(ts, self.h2, "reduced", "mechanical", (10_000, 0, 10_500, 500), "2025-04-15")
        self._release(clearance, self.h1, "cleared", "manual", (400, 0, 1000, 500), "2025-06-20")
        self._release(clearance, self.h3, "cleared", "manual", (20_000, 0, 20_200, 200), "2025-06-22")
        self._status(self.t1, [("completed", "2025-06-25")])
        handover = {"status": "handed_over", "on": "2025-07-01", "certificate_ref": "HO-7"}
        self._post(f"/api/v1/hazardous-areas/{self.h3}/status", handover, status=200)

        self._device(clearance, self.h1, "ap_mine", 3, "destroyed_in_situ", "2025-06-10")
        self._device(clearance, self.h1, "uxo", 1, "removed", "2025-06-12")
        self._device(ts, self.h2, "uxo", 2, "destroyed_in_situ", "2025-04-14")

        self._progress(self.t1, "2025-03-01", "2025-03-31", cancelled_m2=400_000, team_days=10)
        self._progress(self.t1, "2025-06-01", "2025-06-30", cleared_m2=340_000, team_days=50)
        self._progress(self.t2, "2025-04-01", "2025-04-30", reduced_m2=250_000, team_days=25)
        self._spend(self.nf1, "2025-01-01", "2025-03-31", 100_000)
        self._spend(self.nf1, "2025-04-01", "2025-06-30", 50_000)
        self._spend(self.at1, "2025-04-01", "2025-06-30", 50_000)
        self._beneficiaries(self.t1, "2025-06-30", "direct", 120, 100, 40, 45)
        self._beneficiaries(self.t1, "2025-06-30", "indirect", 500, 450, 200, 210)
        self._beneficiaries(self.t2, "2025-05-01", "direct", 10, 12, 3, 5)

        victim: dict[str, Any] = {"role": "civilian"}
        self._accident("2025-05-05", "mine", self.h1, (300, 300), [
            {**victim, "outcome": "killed", "sex": "male", "age_band": "18-59", "name": "Personal Name"},
            {**victim, "outcome": "injured", "sex": "female", "age_band": "5-17"},
        ])  # fmt: skip
        self._accident("2025-05-20", "uxo_axo", self.h2, (10_800, 300), [
            {"outcome": "injured", "sex": "male", "age_band": "18-59", "role": "deminer"},
        ])  # fmt: skip
        self._accident("2025-07-01", "other", None, (3_000, 3_000), [{"outcome": "injured"}])
        with new_session() as session:
            for name, population, x, y in SETTLEMENTS:
                lon, lat = TO_WGS84.transform(LAEA_X0 + x, LAEA_Y0 + y)
                session.execute(
                    text(
                        "INSERT INTO settlement (name, population, geom, created_by, updated_by) "
                        "VALUES (:name, :population, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), 'test', 'test')"
                    ),
                    {"name": name, "population": population, "lon": lon, "lat": lat},
                )
            session.commit()

    def _post(self, url: str, body: dict[str, Any], status: int = 201) -> int:
        response = self.client.post(url, json=body)
        assert response.status_code == status, (url, response.text)
        return int(response.json().get("id", 0)) if response.content else 0

    def _area(self, rect: tuple[float, float, float, float], classification: str, hromada: str) -> int:
        body = laea_feature(
            laea_rectangle(*rect), classification=classification, hromada_code=hromada, reported_on="2025-01-10"
        )
        return self._post("/api/v1/hazardous-areas", body)

    def _task(self, reference: str, org: int, areas: list[int], agreement: int) -> int:
        task = self._post(
            "/api/v1/tasks", {"reference": reference, "organisation_id": org, "hazardous_area_ids": areas}
        )
        self._post(f"/api/v1/funding-agreements/{agreement}/tasks", {"task_ids": [task]}, status=204)
        return task

    def _status(self, task: int, steps: list[tuple[str, str]]) -> None:
        for status, on in steps:
            self._post(f"/api/v1/tasks/{task}/status", {"status": status, "on": on}, status=200)

    def _activity(self, type_: str, org: int, areas: list[int], task: int) -> int:
        body = {"type": type_, "organisation_id": org, "hazardous_area_ids": areas, "task_id": task,
                "status": "ongoing", "actual_start": "2025-03-01"}  # fmt: skip
        return self._post("/api/v1/activities", body)

    def _release(
        self, activity: int, area: int, kind: str, method: str, rect: tuple[float, float, float, float], on: str
    ) -> None:
        body = laea_feature(
            laea_rectangle(*rect), activity_id=activity, hazardous_area_id=area, kind=kind, method=method,
            released_on=on,
        )  # fmt: skip
        self._post("/api/v1/releases", body)

    def _device(self, activity: int, area: int, category: str, quantity: int, fate: str, on: str) -> None:
        props = {"activity_id": activity, "hazardous_area_id": area, "found_on": on, "category": category,
                 "quantity": quantity, "fate": fate}  # fmt: skip
        self._post("/api/v1/devices-found", {"type": "Feature", "geometry": None, "properties": props})

    def _progress(self, task: int, start: str, end: str, **figures: float) -> None:
        body = {"period_start": start, "period_end": end, **figures}
        self._post(f"/api/v1/tasks/{task}/progress-reports", body)

    def _spend(self, agreement: int, start: str, end: str, amount: float) -> None:
        body = {"period_start": start, "period_end": end, "amount": amount}
        self._post(f"/api/v1/funding-agreements/{agreement}/expenditure", body)

    def _beneficiaries(self, task: int, on: str, reach: str, women: int, men: int, girls: int, boys: int) -> None:
        body = {"recorded_on": on, "reach": reach, "women": women, "men": men, "girls": girls, "boys": boys}
        self._post(f"/api/v1/tasks/{task}/beneficiaries", body)

    def _accident(
        self, on: str, type_: str, area: int | None, at: tuple[float, float], victims: list[dict[str, Any]]
    ) -> None:
        lon, lat = TO_WGS84.transform(LAEA_X0 + at[0], LAEA_Y0 + at[1])
        props = {"occurred_on": on, "type": type_, "hazardous_area_id": area, "victims": victims}
        self._post("/api/v1/accidents", {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                                         "properties": props})  # fmt: skip
