"""Dates known only in part, or not at all: accepted where the record lacks them, kept out of series and recency."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.db.session import get_engine
from app.domain import clock
from tests.factories import LAEA, LAEA_X0, LAEA_Y0, laea_feature, laea_rectangle

ACCIDENTS = "/api/v1/accidents"
REPORT = "/api/v1/reports/donor"
WOMAN = {"outcome": "killed", "sex": "female", "age_band": "18-59", "role": "civilian"}
BOY = {"outcome": "injured", "sex": "male", "age_band": "5-17", "role": "civilian"}


def accident(**properties: Any) -> dict[str, Any]:
    """A mine accident 50 m inside the corner of the test areas near Kharkiv (EPSG:3035 metres)."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [LAEA_X0 + 50, LAEA_Y0 + 50]},
        "crs": {"type": "name", "properties": {"name": LAEA}},
        "properties": {"type": "mine", **properties},
    }


def record(client: TestClient, **properties: Any) -> dict[str, Any]:
    response = client.post(ACCIDENTS, json=accident(**properties))
    assert response.status_code == 201, response.text
    return dict(response.json()["properties"])


def test_an_accident_nobody_dated_is_stored_with_its_date_unknown(client: TestClient) -> None:
    props = record(client, occurred_on_precision="unknown", victims=[WOMAN, BOY])
    assert (props["occurred_on"], props["occurred_on_precision"], props["killed"], props["injured"]) == (
        None, "unknown", 1, 1,
    )  # fmt: skip
    with get_engine().connect() as conn:
        stored = conn.execute(text("SELECT occurred_on, occurred_on_precision FROM accident")).one()
    assert tuple(stored) == (None, "unknown")
    listed = client.get(ACCIDENTS).json()["features"]
    assert [f["properties"]["occurred_on_precision"] for f in listed] == ["unknown"]
    assert client.get(ACCIDENTS, params={"occurred_from": "2000-01-01"}).json()["numberReturned"] == 0
    assert client.get("/api/v1/dashboard/accidents.geojson").status_code == 200


def test_a_month_or_a_year_is_recorded_with_a_representative_day(client: TestClient) -> None:
    month = record(client, occurred_on="2024-06-01", occurred_on_precision="month")
    year = record(client, occurred_on="2019-01-01", occurred_on_precision="year")
    assert (month["occurred_on"], month["occurred_on_precision"]) == ("2024-06-01", "month")
    assert (year["occurred_on"], year["occurred_on_precision"]) == ("2019-01-01", "year")


@pytest.mark.parametrize(
    ("props", "field", "reason"),
    [
        ({"occurred_on": "2024-06-03", "occurred_on_precision": "unknown"}, "properties.occurred_on_precision",
         "occurred_on_precision is 'unknown' but occurred_on gives a date: leave occurred_on out, or say how much "
         "of the date is known (day, month or year)"),
        ({}, "properties.occurred_on",
         "occurred_on is missing: give the date of the accident (with occurred_on_precision month or year, any day "
         "in it), or set occurred_on_precision to 'unknown' when nobody recorded it"),
        ({"occurred_on_precision": "month"}, "properties.occurred_on", "occurred_on is missing"),
        ({"occurred_on": str(clock.latest_plausible_date() + timedelta(days=40)), "occurred_on_precision": "month"},
         "properties.occurred_on", "is in the future: give the date the accident happened"),
    ],
)  # fmt: skip
def test_a_date_and_its_precision_must_agree_and_known_dates_stay_plausible(
    client: TestClient, props: dict[str, Any], field: str, reason: str
) -> None:
    response = client.post(ACCIDENTS, json=accident(victims=[WOMAN], **props))
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert reason in response.json()["detail"]
    assert client.get(ACCIDENTS).json()["numberReturned"] == 0


def test_a_precision_outside_the_vocabulary_is_refused(client: TestClient) -> None:
    response = client.post(ACCIDENTS, json=accident(occurred_on="2024-06-03", occurred_on_precision="decade"))
    assert response.status_code == 422
    assert "occurred_on_precision" in response.text


def test_the_monthly_series_leaves_out_what_has_no_month_and_counts_it_apart(client: TestClient) -> None:
    record(client, occurred_on="2025-05-10", victims=[WOMAN])
    record(client, occurred_on="2025-06-01", occurred_on_precision="month", victims=[BOY])
    record(client, occurred_on_precision="unknown", victims=[WOMAN, BOY])
    record(client, occurred_on="2019-01-01", occurred_on_precision="year", victims=[BOY])
    body = client.get(REPORT).json()
    assert [(m["month"], m["accidents"], m["victims"]) for m in body["tables"]["accidents_monthly"]] == [
        ("2025-05", 1, 1), ("2025-06", 1, 1),
    ]  # fmt: skip
    headline = body["headline"]
    assert (headline["accidents"], headline["victims"]) == (2, 2)
    assert (headline["accidents_date_unknown"], headline["victims_date_unknown"]) == (2, 3)
    # In a period, an accident of unknown date may lie in it; one known to lie in 2019 does not.
    in_2025 = client.get(REPORT, params={"date_from": "2025-01-01", "date_to": "2025-12-31"}).json()["headline"]
    assert (in_2025["accidents"], in_2025["accidents_date_unknown"], in_2025["victims_date_unknown"]) == (2, 1, 2)
    in_2019 = client.get(REPORT, params={"date_from": "2019-03-01", "date_to": "2019-04-30"}).json()["headline"]
    assert (in_2019["accidents"], in_2019["accidents_date_unknown"]) == (0, 2)


def test_an_accident_of_unknown_date_leaves_every_casualty_criterion_as_it_was(client: TestClient) -> None:
    area_body = laea_feature(laea_rectangle(0, 0, 100, 100), classification="SHA", reported_on="2025-01-10")
    area = client.post("/api/v1/hazardous-areas", json=area_body).json()["id"]
    far = client.post(
        "/api/v1/hazardous-areas",
        json=laea_feature(laea_rectangle(3_000, 0, 3_100, 100), classification="SHA", reported_on="2025-01-10"),
    ).json()["id"]
    scenario = {"name": "casualties first", "weights": {"casualties": 100}}
    assert client.post("/api/v1/priority-scenarios", json=scenario).status_code == 201

    def casualties() -> dict[int, tuple[float, float]]:
        response = client.get("/api/v1/priorities", params={"scenario": "casualties first"})
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        return {i["hazardous_area_id"]: (i["inputs"]["casualties"], i["contributions"]["casualties"]) for i in items}

    before = casualties()
    assert before == {area: (0.0, 0.0), far: (0.0, 0.0)}
    record(client, occurred_on_precision="unknown", hazardous_area_id=area, victims=[WOMAN, BOY])
    assert casualties() == before
    # The same accident dated last month weighs in: the check above could have seen a change.
    record(client, occurred_on=str(clock.today() - timedelta(days=30)), victims=[WOMAN, BOY])
    after = casualties()
    assert after[area][0] > 0 and after[far][0] > 0


def test_an_area_timeline_skips_an_accident_it_cannot_place(client: TestClient) -> None:
    body = laea_feature(laea_rectangle(0, 0, 100, 100), classification="SHA", reported_on="2025-01-10")
    area = client.post("/api/v1/hazardous-areas", json=body).json()["id"]
    record(client, occurred_on_precision="unknown", hazardous_area_id=area)
    timeline = client.get(f"/api/v1/hazardous-areas/{area}/timeline")
    assert timeline.status_code == 200
    assert [e["event"] for e in timeline.json()["entries"]] == ["reported"]
