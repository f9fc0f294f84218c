"""Historic land release against real PostGIS: one polygon split over the areas it overlaps, the rest a closed area.

Areas and released polygons are rectangles in ETRS89-LAEA metres (equal-area), so every m² below
is worked out by hand from the rectangles. The scene, in metres east and north of a point near
Kharkiv (A, B, C are recorded SHAs; P is the cleared polygon of the first test):

    C = [0, 1000] x [1800, 2500]
    A = [0, 1000] x [0, 1000]        P = [500, 2000] x [500, 2000]
    B = [1500, 2500] x [0, 800]
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from geoalchemy2.shape import from_shape
from sqlalchemy import text

from app.api.errors import status_of
from app.db.models import AdminUnit
from app.db.session import new_session
from app.domain.access import Actor
from app.domain.errors import AppError, Conflict, Forbidden, Invalid
from app.services.land_release.history import HistoricRelease, record_historic_release
from gis.geometry import clean_area_geometry
from tests.factories import LAEA, laea_feature, laea_rectangle

AREAS = "/api/v1/hazardous-areas"
ADMIN = Actor(name="im.admin", role="admin")
SOURCE = "imsma-2019"
A, B, C = (0, 0, 1000, 1000), (1500, 0, 2500, 800), (0, 1800, 1000, 2500)
P = (500, 500, 2000, 2000)  # 1,500 m x 1,500 m
WEST, EAST = "UA63120270000028556", "UA63120190000093717"  # Kharkivska, Pivdenna: hromadas of raion UA6312
# Reprojecting 10 m-densified rectangles to lon/lat keeps their m² to ~3e-10; hand figures hold to 1e-8.
EXACT = 1e-8


class World:
    """Two operators and three recorded SHAs, A, B and C, through the API."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.org = self._organisation("Steppe Demining")
        self.other_org = self._organisation("Delta Clearance")
        self.areas = {name: self._area(rect, name) for name, rect in (("A", A), ("B", B), ("C", C))}

    def _organisation(self, name: str) -> int:
        response = self.client.post("/api/v1/organisations", json={"name": name, "kind": "ngo"})
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def _area(self, rect: tuple[float, float, float, float], name: str) -> int:
        body = laea_feature(laea_rectangle(*rect), classification="SHA", reported_on="2018-04-02", name=name)
        response = self.client.post(AREAS, json=body)
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def release(
        self,
        rect: tuple[float, float, float, float],
        external_id: str,
        *,
        kind: str = "cleared",
        on: date = date(2019, 6, 14),
        precision: str = "day",
        actor: Actor = ADMIN,
    ) -> HistoricRelease:
        geometry = clean_area_geometry(laea_rectangle(*rect), crs=LAEA).geometry
        with new_session() as session:
            done = record_historic_release(
                session,
                geometry=geometry,
                kind=kind,
                released_on=on,
                released_on_precision=precision,
                method="nts" if kind == "cancelled" else "manual",
                organisation_id=self.org,
                source=SOURCE,
                external_id=external_id,
                actor=actor,
            )
            session.commit()
        return done

    def refused(self, rect: tuple[float, float, float, float], external_id: str, **kwargs: Any) -> AppError:
        with pytest.raises(AppError) as refusal:
            self.release(rect, external_id, **kwargs)
        return refusal.value

    def area(self, area_id: int) -> dict[str, Any]:
        response = self.client.get(f"{AREAS}/{area_id}")
        assert response.status_code == 200, response.text
        return dict(response.json()["properties"])

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with new_session() as session:
            return list(session.execute(text(sql), params).all())


@pytest.fixture
def world(client: TestClient) -> World:
    return World(client)


def balances(props: dict[str, Any]) -> bool:
    released = props["cancelled_m2"] + props["reduced_m2"] + props["cleared_m2"]
    return props["original_area_m2"] == pytest.approx(props["remaining_area_m2"] + released, rel=1e-9)


def released_in_all(world: World) -> float:
    return float(world.rows("SELECT coalesce(sum(area_m2), 0) FROM release")[0][0])


def test_a_cleared_polygon_over_three_areas_is_split_and_the_rest_becomes_a_closed_area(world: World) -> None:
    done = world.release(P, "LR-1")
    a, b, c = (world.areas[name] for name in "ABC")
    assert done.area_ids == (a, b, c)
    # By hand: P∩A = 500 x 500, P∩B = 500 x 300, P∩C = 500 x 200; the rest of P's 2,250,000 m² is on no area.
    for area_id, overlap in ((a, 250_000), (b, 150_000), (c, 100_000)):
        props = world.area(area_id)
        assert props["cleared_m2"] == pytest.approx(overlap, rel=EXACT)
        assert props["cancelled_m2"] == props["reduced_m2"] == 0
        assert props["remaining_area_m2"] == pytest.approx(props["original_area_m2"] - overlap, rel=EXACT)
        assert props["status"] == "worked_on"
        assert props["information_date"] == "2019-06-14"
        assert balances(props)
    outside = 2_250_000 - 250_000 - 150_000 - 100_000
    assert done.submitted_m2 == pytest.approx(2_250_000, rel=EXACT)
    assert done.outside_m2 == pytest.approx(outside, rel=EXACT)
    assert done.overlap_m2 == pytest.approx(0, abs=1e-3)

    assert done.new_area_id is not None
    new = world.area(done.new_area_id)
    assert new["original_area_m2"] == pytest.approx(outside, rel=EXACT)
    assert new["cleared_m2"] == pytest.approx(new["original_area_m2"], rel=1e-9)
    assert new["remaining_area_m2"] == pytest.approx(0, abs=1e-3)
    assert (new["status"], new["classification"], new["reported_on"]) == ("closed", "SHA", "2019-06-14")
    assert (new["source"], new["external_id"]) == (SOURCE, "LR-1/outside")
    assert balances(new)
    events = world.rows(
        "SELECT from_value, to_value, occurred_on FROM hazardous_area_event WHERE hazardous_area_id = :id ORDER BY id",
        id=done.new_area_id,
    )
    assert [tuple(e) for e in events] == [
        ("open", "worked_on", date(2019, 6, 14)),
        ("worked_on", "closed", date(2019, 6, 14)),
    ]

    # One completed clearance activity works all four areas, one release each, all from this polygon.
    [activity] = world.rows("SELECT id, type, status, actual_start, actual_end, source, external_id FROM activity")
    assert tuple(activity)[1:] == (
        "clearance",
        "completed",
        date(2019, 6, 14),
        date(2019, 6, 14),
        SOURCE,
        "LR-1/release",
    )  # an id of its own
    linked = world.rows("SELECT hazardous_area_id FROM activity_hazardous_area ORDER BY 1")
    assert [r[0] for r in linked] == [a, b, c, done.new_area_id]
    releases = world.rows("SELECT hazardous_area_id, id, kind, source, external_id, activity_id FROM release")
    assert {r[0]: r[1] for r in releases} == done.release_ids
    assert {tuple(r[2:]) for r in releases} == {("cleared", SOURCE, "LR-1", activity[0])}
    # National totals: every m² of P is counted once, on an area or on the new closed area.
    assert released_in_all(world) == pytest.approx(2_250_000, rel=EXACT)
    assert done.counted_m2 == pytest.approx(2_250_000, rel=EXACT)


def test_a_second_polygon_over_released_land_counts_only_the_new_land(world: World) -> None:
    first = world.release(P, "LR-1")
    # R = [250, 1250]²: 562,500 m² on A, of which 250,000 released by P; 312,500 on P's closed area
    # (released land, not new land); 125,000 on no area at all.
    second = world.release((250, 250, 1250, 1250), "LR-2", on=date(2020, 3, 1))
    a = world.areas["A"]
    assert second.area_ids == (a,)
    assert second.overlap_m2 == pytest.approx(250_000 + 312_500, rel=EXACT)
    assert second.outside_m2 == pytest.approx(125_000, rel=EXACT)
    assert second.counted_m2 == pytest.approx(312_500 + 125_000, rel=EXACT)
    props = world.area(a)
    assert props["cleared_m2"] == pytest.approx(250_000 + 312_500, rel=EXACT)
    assert props["remaining_area_m2"] == pytest.approx(1_000_000 - 562_500, rel=EXACT)
    assert balances(props)
    [release_on_a] = world.rows(
        "SELECT submitted_area_m2, overlap_area_m2, area_m2 FROM release WHERE id = :id", id=second.release_ids[a]
    )
    assert tuple(release_on_a) == pytest.approx((1_000_000, 250_000, 312_500), rel=EXACT)
    assert second.new_area_id is not None and second.new_area_id != first.new_area_id
    assert world.area(second.new_area_id)["original_area_m2"] == pytest.approx(125_000, rel=EXACT)
    assert world.area(first.new_area_id)["cleared_m2"] == pytest.approx(first.outside_m2, rel=1e-9)  # untouched
    # National totals: what was submitted, less what fell on land released before.
    assert released_in_all(world) == pytest.approx(2_250_000 + 1_000_000 - 562_500, rel=EXACT)


def test_the_same_source_and_external_id_again_is_a_409_naming_its_releases(world: World) -> None:
    first = world.release(P, "LR-1")
    refusal = world.refused((0, 0, 400, 400), "LR-1")
    assert isinstance(refusal, Conflict) and status_of(refusal) == 409
    assert refusal.context["existing_release_ids"] == sorted(first.release_ids.values())
    assert "'LR-1' from source 'imsma-2019' is already recorded" in refusal.detail
    assert released_in_all(world) == pytest.approx(2_250_000, rel=EXACT)
    assert world.rows("SELECT count(*) FROM activity")[0][0] == 1


def test_an_operator_of_another_organisation_is_refused_403_and_its_own_operator_may(world: World) -> None:
    stranger = Actor(name="op.delta", role="operator", organisation_id=world.other_org)
    refusal = world.refused(P, "LR-1", actor=stranger)
    assert isinstance(refusal, Forbidden) and status_of(refusal) == 403
    assert refusal.detail == "an operator may record land releases only for its own organisation"
    assert world.rows("SELECT count(*) FROM activity")[0][0] == 0
    own = Actor(name="op.steppe", role="operator", organisation_id=world.org)
    assert world.release(P, "LR-1", actor=own).counted_m2 == pytest.approx(2_250_000, rel=EXACT)
    assert world.rows("SELECT DISTINCT created_by FROM release") == [("op.steppe",)]


def test_a_polygon_inside_one_area_reduces_only_that_area(world: World) -> None:
    done = world.release((100, 100, 400, 400), "TS-7", kind="reduced")
    a = world.areas["A"]
    assert (done.area_ids, done.new_area_id, list(done.release_ids)) == ((a,), None, [a])
    props = world.area(a)
    assert props["reduced_m2"] == pytest.approx(90_000, rel=EXACT)
    assert props["remaining_area_m2"] == pytest.approx(910_000, rel=EXACT)
    assert balances(props)
    for other in (world.areas["B"], world.areas["C"]):
        untouched = world.area(other)
        assert untouched["remaining_area_m2"] == untouched["original_area_m2"]
        assert untouched["status"] == "open"
    assert world.rows("SELECT type FROM activity") == [("ts",)]
    assert world.rows("SELECT count(*) FROM hazardous_area")[0][0] == 3


def test_a_year_precision_is_stored_on_the_releases_and_the_new_area(world: World) -> None:
    done = world.release(P, "LR-1", kind="cancelled", on=date(2016, 1, 1), precision="year")
    precisions = world.rows("SELECT DISTINCT released_on_precision, released_on, kind FROM release")
    assert precisions == [("year", date(2016, 1, 1), "cancelled")]
    assert done.new_area_id is not None
    new = world.area(done.new_area_id)
    assert (new["reported_on"], new["cancelled_m2"] > 0) == ("2016-01-01", True)
    assert world.rows("SELECT reported_on_precision FROM hazardous_area WHERE id = :id", id=done.new_area_id) == [
        ("year",)
    ]


def test_an_area_the_polygon_covers_whole_is_closed_on_the_release_date(world: World) -> None:
    # [1400, 2600] x [-100, 900] holds all of B's 1000 x 800 m and 400,000 m² around it.
    done = world.release((1400, -100, 2600, 900), "LR-3", on=date(2021, 9, 30))
    b = world.areas["B"]
    props = world.area(b)
    assert props["cleared_m2"] == pytest.approx(800_000, rel=EXACT)
    assert props["remaining_area_m2"] == pytest.approx(0, abs=1e-3)
    assert props["status"] == "closed"
    assert balances(props)
    assert done.outside_m2 == pytest.approx(400_000, rel=EXACT)
    events = world.rows(
        "SELECT to_value, occurred_on FROM hazardous_area_event WHERE hazardous_area_id = :id ORDER BY id", id=b
    )
    assert [tuple(e) for e in events] == [("worked_on", date(2021, 9, 30)), ("closed", date(2021, 9, 30))]


def test_a_polygon_along_an_area_edge_leaves_the_area_alone(world: World) -> None:
    # Sharing A's east edge is no overlap: all 400 m x 1000 m is land on no recorded area.
    done = world.release((1000, 0, 1400, 1000), "LR-9")
    assert (done.area_ids, done.counted_m2) == ((), pytest.approx(400_000, rel=EXACT))
    assert world.area(world.areas["A"])["status"] == "open"
    assert list(done.release_ids) == [done.new_area_id]


def test_a_polygon_only_on_released_land_counts_nothing_and_writes_nothing(world: World) -> None:
    world.release(P, "LR-1")
    refusal = world.refused((600, 600, 900, 900), "LR-2")
    assert isinstance(refusal, Invalid) and status_of(refusal) == 422
    assert refusal.detail.startswith("the released polygon counts no land: 90000 m² of its 90000 m² lie on land")
    assert world.rows("SELECT count(*) FROM activity")[0][0] == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "demolished"}, "kind"),
        ({"precision": "unknown"}, "released_on_precision"),
        ({"on": date(2999, 1, 1)}, "released_on"),
    ],
)
def test_words_and_dates_outside_the_rules_are_422(world: World, change: dict[str, Any], field: str) -> None:
    refusal = world.refused(P, "LR-1", **change)
    assert isinstance(refusal, Invalid) and refusal.context["field"] == field
    assert world.rows("SELECT count(*) FROM release")[0][0] == 0


def test_the_new_closed_area_lies_in_the_hromada_holding_most_of_it(world: World) -> None:
    # Stand-in units (real codes, invented polygons): two hromadas split the scene at x = 1200 m, so of
    # P's 1,750,000 m² on no area 700,000 lie west and 1,050,000 east.
    def unit(level: int, code: str, parent: str | None, rect: tuple[float, float, float, float]) -> AdminUnit:
        shape = from_shape(clean_area_geometry(laea_rectangle(*rect), crs=LAEA).geometry, srid=4326)
        return AdminUnit(
            country="UA", level=level, code=code, name=code, parent_code=parent, geom=shape, created_by="tests"
        )

    with new_session() as session:
        session.add_all(
            [
                unit(1, "UA63", None, (-5000, -5000, 5000, 5000)),
                unit(2, "UA6312", "UA63", (-5000, -5000, 5000, 5000)),
                unit(3, WEST, "UA6312", (-5000, -5000, 1200, 5000)),
                unit(3, EAST, "UA6312", (1200, -5000, 5000, 5000)),
            ]
        )
        session.commit()
    done = world.release(P, "LR-1")
    assert done.new_area_id is not None
    new = world.area(done.new_area_id)
    assert (new["oblast_code"], new["raion_code"], new["hromada_code"]) == ("UA63", "UA6312", EAST)


def test_land_released_in_a_known_year_only_counts_in_totals_not_in_january(world: World) -> None:
    # Regression: a year-precision release, stored on 1 January, showed as a January spike in the
    # report's monthly series.
    done = world.release(P, "LR-1", kind="cancelled", on=date(2016, 1, 1), precision="year")
    year = {"period_start": "2016-01-01", "period_end": "2016-12-31"}
    report = world.client.get("/api/v1/reports/donor", params=year)
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["headline"]["cancelled_m2"] == pytest.approx(done.counted_m2, rel=1e-9)
    assert all(month["total_m2"] == 0 for month in body["tables"]["released_monthly"])
