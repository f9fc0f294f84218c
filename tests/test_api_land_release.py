"""Land release through the API against real PostGIS: the account, the rules, one transaction."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.factories import if_match, laea_feature, laea_rectangle

AREAS = "/api/v1/hazardous-areas"


class World:
    """An operator and a 1 km² SHA (1,000 m x 1,000 m, equal-area) with helpers to work it."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.org = client.post("/api/v1/organisations", json={"name": "Steppe Demining", "kind": "ngo"}).json()["id"]
        body = laea_feature(
            laea_rectangle(0, 0, 1000, 1000), classification="SHA", reported_on="2025-01-10", name="Field 7"
        )
        response = client.post(AREAS, json=body)
        assert response.status_code == 201, response.text
        self.area = response.json()["id"]

    def activity(self, type_: str, start: str, **extra: Any) -> int:
        body = {
            "type": type_,
            "organisation_id": self.org,
            "hazardous_area_ids": [self.area],
            "status": "ongoing",
            "actual_start": start,
            "methods": ["manual"] if type_ != "nts" else ["nts"],
            **extra,
        }
        response = self.client.post("/api/v1/activities", json=body)
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def release(self, activity: int, kind: str, rect: tuple[float, float, float, float], on: str) -> Any:
        method = "nts" if kind == "cancelled" else "manual"
        body = laea_feature(
            laea_rectangle(*rect),
            activity_id=activity,
            hazardous_area_id=self.area,
            kind=kind,
            method=method,
            released_on=on,
        )
        return self.client.post("/api/v1/releases", json=body)

    def props(self) -> dict[str, Any]:
        return dict(self.client.get(f"{AREAS}/{self.area}").json()["properties"])


@pytest.fixture
def world(client: TestClient) -> World:
    return World(client)


def test_scenario_nts_ts_clearance_closes_a_one_km2_sha(world: World) -> None:
    start = world.props()
    assert start["original_area_m2"] == pytest.approx(1_000_000, rel=1e-4)
    assert start["status"] == "open"

    nts = world.activity("nts", "2025-03-01")
    assert world.props()["status"] == "worked_on"  # work under way
    cancelled = world.release(nts, "cancelled", (0, 0, 400, 1000), "2025-03-10")
    assert cancelled.status_code == 201, cancelled.text
    c = cancelled.json()["properties"]
    assert c["area_m2"] == pytest.approx(400_000, rel=1e-4)
    # Reprojected corners off the hazard's corners leave centimetre slivers outside: a few m², not counted.
    assert c["outside_area_m2"] < 10 and c["overlap_area_m2"] == pytest.approx(0, abs=0.5)
    assert c["hazardous_area"]["remaining_area_m2"] == pytest.approx(600_000, rel=1e-4)

    ts = world.activity("ts", "2025-04-01")
    reduced = world.release(ts, "reduced", (350, 0, 700, 1000), "2025-04-15").json()["properties"]
    assert reduced["submitted_area_m2"] == pytest.approx(350_000, rel=1e-4)
    assert reduced["overlap_area_m2"] == pytest.approx(50_000, rel=1e-4)
    assert reduced["area_m2"] == pytest.approx(300_000, rel=1e-4)
    assert reduced["hazardous_area"]["remaining_area_m2"] == pytest.approx(300_000, rel=1e-4)
    assert reduced["hazardous_area"]["status"] == "worked_on"

    clearance = world.activity("clearance", "2025-05-02", clearance_depth_cm=20)
    cleared = world.release(clearance, "cleared", (0, 0, 1000, 1000), "2025-06-20").json()["properties"]
    assert cleared["area_m2"] == pytest.approx(300_000, rel=1e-4)
    assert cleared["overlap_area_m2"] == pytest.approx(700_000, rel=1e-4)

    end = world.props()
    assert end["cancelled_m2"] == pytest.approx(400_000, rel=1e-4)
    assert end["reduced_m2"] == pytest.approx(300_000, rel=1e-4)
    assert end["cleared_m2"] == pytest.approx(300_000, rel=1e-4)
    assert end["remaining_area_m2"] == pytest.approx(0, abs=1.0)
    assert end["status"] == "closed"
    assert end["information_date"] == "2025-06-20"
    released = end["cancelled_m2"] + end["reduced_m2"] + end["cleared_m2"]
    assert end["original_area_m2"] == pytest.approx(end["remaining_area_m2"] + released, rel=1e-4, abs=1.0)


def test_release_partly_outside_is_clipped_and_the_outside_reported(world: World) -> None:
    nts = world.activity("nts", "2025-03-01")
    body = world.release(nts, "cancelled", (-200, 0, 300, 1000), "2025-03-10").json()
    props = body["properties"]
    assert props["submitted_area_m2"] == pytest.approx(500_000, rel=1e-4)
    assert props["outside_area_m2"] == pytest.approx(200_000, rel=1e-4)
    assert props["area_m2"] == pytest.approx(300_000, rel=1e-4)
    west = min(p[0] for polygon in body["geometry"]["coordinates"] for ring in polygon for p in ring)
    hazard = world.client.get(f"{AREAS}/{world.area}").json()["geometry"]
    hazard_west = min(p[0] for polygon in hazard["coordinates"] for ring in polygon for p in ring)
    assert west == pytest.approx(hazard_west, abs=1e-6)


@pytest.mark.parametrize(
    ("activity", "kind", "reason"),
    [
        ("nts", "cleared", "a nts activity releases land as 'cancelled', not 'cleared'"),
        ("ts", "cancelled", "a ts activity releases land as 'reduced'"),
        ("clearance", "reduced", "a clearance activity releases land as 'cleared'"),
        ("bac", "cancelled", "a bac activity releases land as 'cleared'"),
    ],
)
def test_release_kind_must_fit_the_activity(world: World, activity: str, kind: str, reason: str) -> None:
    response = world.release(world.activity(activity, "2025-03-01"), kind, (0, 0, 100, 100), "2025-03-02")
    assert response.status_code == 422
    assert reason in response.json()["detail"]
    assert world.props()["remaining_area_m2"] == pytest.approx(1_000_000, rel=1e-4)


def test_planned_activity_releases_nothing(world: World) -> None:
    planned = world.activity("ts", "2025-03-01", status="planned")
    response = world.release(planned, "reduced", (0, 0, 100, 100), "2025-03-02")
    assert response.status_code == 409
    assert "is planned" in response.json()["detail"]


def test_release_from_an_area_the_activity_does_not_work_is_refused(world: World, client: TestClient) -> None:
    other = client.post(AREAS, json=laea_feature(laea_rectangle(3000, 0, 3500, 500), classification="SHA"))
    nts = world.activity("nts", "2025-03-01")
    body = laea_feature(
        laea_rectangle(3000, 0, 3100, 100),
        activity_id=nts,
        hazardous_area_id=other.json()["id"],
        kind="cancelled",
        method="nts",
        released_on="2025-03-02",
    )
    response = client.post("/api/v1/releases", json=body)
    assert response.status_code == 422
    assert "does not work hazardous area" in response.json()["detail"]


def test_release_entirely_outside_or_already_released_counts_nothing_and_is_refused(world: World) -> None:
    nts = world.activity("nts", "2025-03-01")
    outside = world.release(nts, "cancelled", (2000, 0, 2100, 100), "2025-03-02")
    assert outside.status_code == 422
    assert "counts no land" in outside.json()["detail"]
    assert world.release(nts, "cancelled", (0, 0, 100, 100), "2025-03-02").status_code == 201
    again = world.release(nts, "cancelled", (0, 0, 100, 100), "2025-03-03")
    assert again.status_code == 422
    assert "were released before" in again.json()["detail"]


def test_unknown_method_and_bad_geometry_are_422(world: World) -> None:
    nts = world.activity("nts", "2025-03-01")
    body = laea_feature(
        laea_rectangle(0, 0, 10, 10),
        activity_id=nts,
        hazardous_area_id=world.area,
        kind="cancelled",
        method="prayer",
        released_on="2025-03-02",
    )
    assert "unknown methods code(s) prayer" in world.client.post("/api/v1/releases", json=body).text
    body["properties"]["method"] = "nts"
    body["geometry"] = {"type": "Point", "coordinates": [0, 0]}
    point = world.client.post("/api/v1/releases", json=body)
    assert point.status_code == 422
    assert point.json()["field"] == "geometry"
    assert point.json()["detail"].startswith("geometry type 'Point' is not an area")
    assert world.client.get("/api/v1/releases", params={"hazardous_area_id": world.area}).json()["numberReturned"] == 0


def test_late_release_is_accepted_but_never_rolls_the_summary_back(world: World) -> None:
    clearance = world.activity("clearance", "2025-05-01")
    ts = world.activity("ts", "2025-02-01")
    june = world.release(clearance, "cleared", (0, 0, 500, 1000), "2025-06-01").json()["properties"]
    assert june["dated_before_latest_information"] is False
    assert june["hazardous_area"]["information_date"] == "2025-06-01"
    march = world.release(ts, "reduced", (400, 0, 750, 1000), "2025-03-01")
    assert march.status_code == 201
    late = march.json()["properties"]
    assert late["dated_before_latest_information"] is True
    # Counted against what was still remaining when it was recorded: 250,000 of its 350,000 m².
    assert late["area_m2"] == pytest.approx(250_000, rel=1e-4)
    props = world.props()
    assert props["information_date"] == "2025-06-01"  # not moved back to March
    assert props["remaining_area_m2"] == pytest.approx(250_000, rel=1e-4)  # not reset to an older figure
    assert props["status"] == "worked_on"
    # An explicit status change dated before the latest information is refused.
    back = world.client.post(f"{AREAS}/{world.area}/status", json={"status": "open", "on": "2025-04-01", "reason": "x"})
    assert back.status_code == 409
    assert "before the latest information (2025-06-01)" in back.json()["detail"]


def test_a_failing_release_leaves_nothing_half_applied(
    world: World, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.land_release import releases

    nts = world.activity("nts", "2025-03-01")

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full while recording the status change")

    monkeypatch.setattr(releases, "progress_after_work", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        world.release(nts, "cancelled", (0, 0, 400, 1000), "2025-03-10")
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM release")).scalar_one() == 0
        remaining, info = conn.execute(
            text("SELECT remaining_area_m2, information_date::text FROM hazardous_area")
        ).one()
    engine.dispose()
    assert remaining == pytest.approx(1_000_000, rel=1e-4)
    assert info == "2025-03-01"  # set when the NTS started, untouched by the failed release


def test_closed_area_is_handed_over_with_a_certificate_and_reopens_only_with_a_reason(world: World) -> None:
    clearance = world.activity("clearance", "2025-05-01")
    world.release(clearance, "cleared", (0, 0, 1000, 1000), "2025-06-01")
    url = f"{AREAS}/{world.area}/status"
    no_cert = world.client.post(url, json={"status": "handed_over", "on": "2025-07-01"})
    assert no_cert.status_code == 409 and "certificate" in no_cert.json()["detail"]
    ok = world.client.post(url, json={"status": "handed_over", "on": "2025-07-01", "certificate_ref": "HC-2025-07"})
    assert ok.status_code == 200
    assert ok.json()["properties"]["handover_certificate_ref"] == "HC-2025-07"
    no_reason = world.client.post(url, json={"status": "open", "on": "2025-09-01"})
    assert no_reason.status_code == 409
    assert "going from handed_over to open needs a reason" in no_reason.json()["detail"]
    assert (no_reason.json()["current_status"], no_reason.json()["allowed"]) == ("handed_over", ["open"])
    reopened = world.client.post(url, json={"status": "open", "on": "2025-09-01", "reason": "PMN-2 found by farmer"})
    assert reopened.json()["properties"]["status"] == "open"
    events = [e for e in world.client.get(f"{AREAS}/{world.area}/timeline").json()["entries"] if e["event"] == "status"]
    assert [e["summary"].split(":")[0] for e in events] == [
        "status open → worked_on",
        "status worked_on → closed",
        "status closed → handed_over",
        "status handed_over → open",
    ]


def test_reclassification_rules(world: World) -> None:
    url = f"{AREAS}/{world.area}/classification"
    refused = world.client.post(url, json={"classification": "CHA", "evidence": ["verbal_report"]})
    assert refused.status_code == 409 and "direct evidence" in refused.json()["detail"]
    ok = world.client.post(url, json={"classification": "CHA", "evidence": ["item_seen"], "on": "2025-02-01"})
    assert ok.json()["properties"]["classification"] == "CHA"
    assert ok.json()["properties"]["evidence"] == ["item_seen"]
    back = world.client.post(url, json={"classification": "SHA"})
    assert back.status_code == 409 and "reason" in back.json()["detail"]
    with_reason = world.client.post(url, json={"classification": "SHA", "reason": "scrap metal"})
    assert with_reason.status_code == 200
    assert with_reason.json()["properties"]["classification"] == "SHA"


def test_timeline_lists_the_work_in_date_order_with_m2_after_each_step(world: World) -> None:
    nts = world.activity("nts", "2025-03-01")
    world.release(nts, "cancelled", (0, 0, 400, 1000), "2025-03-10")
    clearance = world.activity("clearance", "2025-05-02")
    world.release(clearance, "cleared", (400, 0, 1000, 1000), "2025-06-20")
    entries = world.client.get(f"{AREAS}/{world.area}/timeline").json()["entries"]
    assert [e["date"] for e in entries] == sorted(e["date"] for e in entries)
    releases = [e for e in entries if e["event"] == "release"]
    assert [round(e["remaining_area_m2"], -2) for e in releases] == [600_000, 0]
    assert entries[0]["event"] == "reported" and entries[0]["remaining_area_m2"] == pytest.approx(1_000_000, rel=1e-4)

    assert entries[-1]["event"] == "status" and "closed" in entries[-1]["summary"]


def test_a_change_without_a_date_is_dated_today_in_the_programme_time_zone(world: World, database_url: str) -> None:
    # Regression: undated changes took the server's date (and one path UTC's), so just after
    # midnight in Kyiv a status change was dated the day before.
    from datetime import UTC, datetime

    from app.domain import clock

    with clock.frozen_at(datetime(2026, 11, 30, 22, 30, tzinfo=UTC)):  # 00:30 on 1 December in Kyiv
        moved = world.client.post(f"{AREAS}/{world.area}/status", json={"status": "worked_on"})
    assert moved.status_code == 200, moved.text
    engine = create_engine(database_url)
    with engine.connect() as conn:
        dated = conn.execute(
            text("SELECT occurred_on::text FROM hazardous_area_event WHERE hazardous_area_id = :id"), {"id": world.area}
        ).scalar_one()
    engine.dispose()
    assert dated == "2026-12-01"
    assert moved.json()["properties"]["information_date"] == "2026-12-01"


def test_a_geometry_correction_racing_a_release_never_breaks_the_account(client: TestClient, database_url: str) -> None:
    # Regression: a correction read the area without a lock. Racing a release it could reset the
    # account to its new geometry with the release on record, counted nowhere (and twice if re-sent).
    from concurrent.futures import ThreadPoolExecutor

    org = client.post("/api/v1/organisations", json={"name": "Racers", "kind": "ngo"}).json()["id"]
    engine = create_engine(database_url)
    outcomes = set()
    for round_ in range(8):
        x = round_ * 2_000
        area = client.post(AREAS, json=laea_feature(laea_rectangle(x, 0, x + 1000, 1000), classification="CHA"))
        area_id = area.json()["id"]
        activity = client.post(
            "/api/v1/activities",
            json={"type": "clearance", "organisation_id": org, "hazardous_area_ids": [area_id],
                  "status": "ongoing", "actual_start": "2025-06-01"},
        ).json()["id"]  # fmt: skip
        release = laea_feature(
            laea_rectangle(x, 0, x + 500, 1000), activity_id=activity, hazardous_area_id=area_id, kind="cleared",
            method="manual", released_on="2025-06-10",
        )  # fmt: skip
        correction = {**laea_feature(laea_rectangle(x, 0, x + 900, 1000)), "properties": {}}
        read = if_match(client, f"{AREAS}/{area_id}")  # both writers start from the same version
        with ThreadPoolExecutor(max_workers=2) as pool:
            released = pool.submit(client.post, "/api/v1/releases", json=release)
            corrected = pool.submit(client.patch, f"{AREAS}/{area_id}", json=correction, headers=read)
        assert released.result().status_code == 201, released.result().text
        outcomes.add(corrected.result().status_code)
        # 200: the correction came first; 412: the release changed the area first (409 if it was first
        # but the correction read after it).
        assert corrected.result().status_code in (200, 409, 412), corrected.result().text
        p = client.get(f"{AREAS}/{area_id}").json()["properties"]
        account = p["remaining_area_m2"] + p["cancelled_m2"] + p["reduced_m2"] + p["cleared_m2"]
        assert account == pytest.approx(p["original_area_m2"], rel=1e-9)
        with engine.connect() as conn:
            on_record = conn.execute(
                text("SELECT sum(area_m2) FROM release WHERE hazardous_area_id = :a"), {"a": area_id}
            ).scalar()
        assert p["cleared_m2"] == pytest.approx(on_record, rel=1e-9)  # every release counted, once
    engine.dispose()
    assert outcomes <= {200, 409, 412}


def test_dates_in_the_future_are_refused_with_the_reason(world: World, client: TestClient) -> None:
    # Regression: a release dated 2099-12-31 was accepted, after which every honest report was
    # "late" and the handover refused until 2099.
    from datetime import UTC, datetime

    from app.domain import clock

    activity = world.activity("clearance", "2025-06-01")
    task = client.post(
        "/api/v1/tasks", json={"reference": "T-9", "organisation_id": world.org, "hazardous_area_ids": [world.area]}
    ).json()["id"]
    with clock.frozen_at(datetime(2026, 6, 1, 12, 0, tzinfo=UTC)):  # already 2 June on the Line Islands
        tomorrow = world.release(activity, "cleared", (0, 0, 100, 100), "2026-06-02")
        assert tomorrow.status_code == 201, tomorrow.text  # a date somewhere on Earth already
        refused = {
            "released_on": world.release(activity, "cleared", (0, 100, 100, 200), "2099-12-31"),
            "reported_on": client.post(
                AREAS, json=laea_feature(laea_rectangle(5000, 0, 5100, 100), classification="SHA",
                                         reported_on="2026-06-03"),
            ),
            "found_on": client.post(
                "/api/v1/devices-found",
                json={"type": "Feature", "geometry": None, "properties": {
                    "activity_id": activity, "hazardous_area_id": world.area, "category": "uxo",
                    "found_on": "2026-06-03", "fate": "destroyed_in_situ"}},
            ),
            "on": client.post(f"{AREAS}/{world.area}/classification", json={"classification": "CHA",
                              "evidence": ["item_seen"], "on": "2026-06-03"}),
            "actual_end": client.patch(
                f"/api/v1/activities/{activity}", json={"actual_end": "2026-06-03"},
                headers=if_match(client, f"/api/v1/activities/{activity}"),
            ),
            "task on": client.post(f"/api/v1/tasks/{task}/status", json={"status": "assigned", "on": "2026-06-03"}),
        }  # fmt: skip
    for field, answer in refused.items():
        name = field.split()[-1]
        assert answer.status_code == 422, (field, answer.text)
        assert answer.json()["detail"].startswith(f"{name} 20"), (field, answer.json())
        assert "is in the future: give the date" in answer.json()["detail"]
        assert answer.json()["field"].endswith(name)
    props = world.props()
    assert props["cleared_m2"] == pytest.approx(10_000, rel=1e-3)  # only the plausible release counted
    assert props["classification"] == "SHA"
