"""A donor officer reads the report and the released land of the work its donor funds, and nothing else.

The world is tests/report_world.py: Nordic Fund funds NF-1 (task T1: 400,000 m² cancelled on H1,
300,000 m² cleared on H1, 40,000 m² cleared on H3); Atlantic Trust funds AT-1 (task T2: 250,000 m²
reduced on H2). The checks hold in the reporting and tile services, whatever route asks.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import mapbox_vector_tile
import pytest
from fastapi.testclient import TestClient

from tests.accounts import client_for, make_account
from tests.factories import LAEA_X0, LAEA_Y0
from tests.report_world import TO_WGS84, ReportWorld

REPORT = "/api/v1/reports/donor"
# The centre of each release of the world, in metres from its LAEA origin, with its kind and m².
RELEASES = [
    ((200, 500), "cancelled", 400_000),  # Nordic: NTS on H1
    ((700, 250), "cleared", 300_000),  # Nordic: clearance on H1
    ((20_100, 100), "cleared", 40_000),  # Nordic: clearance on H3
    ((10_250, 250), "reduced", 250_000),  # Atlantic: TS on H2
]
NORDIC_LAND = [("cancelled", 400_000), ("cleared", 40_000), ("cleared", 300_000)]
ATLANTIC_LAND = [("reduced", 250_000)]


@pytest.fixture
def world(client: TestClient) -> ReportWorld:
    return ReportWorld(client)


@pytest.fixture
def nordic(world: ReportWorld) -> Iterator[TestClient]:
    """A Nordic Fund officer, by API token."""
    from app.main import app

    with client_for(app, make_account("donor", username="officer.nordic", donor_id=world.nordic)) as c:
        yield c


@pytest.fixture
def atlantic(world: ReportWorld) -> Iterator[TestClient]:
    """An Atlantic Trust officer, by API token."""
    from app.main import app

    with client_for(app, make_account("donor", username="officer.atlantic", donor_id=world.atlantic)) as c:
        yield c


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """XYZ tile holding a lon/lat point."""
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def release_tiles(z: int) -> set[tuple[int, int]]:
    """The tiles at zoom `z` holding the centre of some release of the world."""
    return {tile_of(*TO_WGS84.transform(LAEA_X0 + x, LAEA_Y0 + y), z) for (x, y), _, _ in RELEASES}


def released_land(client: TestClient, z: int = 8) -> list[tuple[str, int]]:
    """(kind, m²) of every release in the tiles of the world's releases, as the client gets them."""
    features: dict[int, dict[str, Any]] = {}
    for x, y in release_tiles(z):
        response = client.get(f"/tiles/releases/{z}/{x}/{y}.mvt")
        assert response.status_code == 200, response.text
        layer = mapbox_vector_tile.decode(response.content).get("releases", {"features": []})
        features.update({f["id"]: f["properties"] for f in layer["features"]})
    return sorted((p["kind"], p["area_m2"]) for p in features.values())


def headline(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get(REPORT, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json()["headline"])


def test_a_donors_report_counts_exactly_the_land_its_agreements_fund(
    client: TestClient, world: ReportWorld, nordic: TestClient, atlantic: TestClient
) -> None:
    own = nordic.get(REPORT).json()
    assert own["filters"]["donor_id"] == world.nordic and own["filters"]["donor"] == "Nordic Fund"
    h = own["headline"]
    assert (h["released_m2"], h["cancelled_m2"], h["reduced_m2"], h["cleared_m2"]) == pytest.approx(
        (740_000, 400_000, 0, 340_000), abs=0.5
    )
    assert [a["reference"] for a in own["tables"]["agreements"]] == ["NF-1"]
    assert headline(nordic, donor_id=world.nordic) == h  # naming itself changes nothing
    # The same figures the information manager gets for Nordic Fund, and not the programme's.
    assert headline(client, donor_id=world.nordic) == h
    assert headline(client)["released_m2"] == pytest.approx(990_000, abs=0.5)
    other = headline(atlantic)
    assert (other["released_m2"], other["reduced_m2"], other["cleared_m2"]) == pytest.approx(
        (250_000, 250_000, 0), abs=0.5
    )
    # Every output of the report is narrowed the same way.
    csv = nordic.get(f"{REPORT}/agreements.csv")
    assert csv.status_code == 200 and "NF-1" in csv.text and "AT-1" not in csv.text


@pytest.mark.parametrize(
    "url", [REPORT, f"{REPORT}/released.csv", f"{REPORT}.xlsx", f"{REPORT}.pdf"], ids=["json", "csv", "xlsx", "pdf"]
)
def test_asking_for_another_donors_report_is_refused_and_says_so(
    world: ReportWorld, nordic: TestClient, url: str
) -> None:
    refused = nordic.get(url, params={"donor_id": world.atlantic})
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        f"a donor officer reads the report of its own donor ({world.nordic}) only, not of donor {world.atlantic}: "
        "leave donor_id out or set it to your own"
    )


def test_another_donors_agreement_is_refused_without_naming_it(world: ReportWorld, nordic: TestClient) -> None:
    refused = nordic.get(REPORT, params={"agreement_id": world.at1})
    assert refused.status_code == 403 and "AT-1" not in refused.text
    assert refused.json()["detail"] == f"agreement_id {world.at1} is not an agreement of your donor ({world.nordic})"
    own = nordic.get(REPORT, params={"agreement_id": world.nf1})
    assert own.status_code == 200 and own.json()["filters"]["agreement"] == "NF-1"


def test_a_donor_reads_no_accident_no_area_and_no_task(world: ReportWorld, nordic: TestClient) -> None:
    x, y = release_tiles(8).pop()
    for url in (
        "/api/v1/accidents",
        "/api/v1/dashboard/accidents.geojson",
        "/api/v1/hazardous-areas",
        f"/api/v1/hazardous-areas/{world.h1}",
        "/api/v1/releases",
        "/api/v1/dashboard/headline",
        f"/tiles/tasks/8/{x}/{y}.mvt",
        f"/tiles/hazardous-areas/8/{x}/{y}.mvt",
    ):
        response = nordic.get(url)
        assert response.status_code == 403, url
        assert response.json()["detail"].startswith("the role donor may not"), url
    # Reference context, like the settlements, is the donor's to read on its map.
    assert nordic.get(f"/tiles/context/8/{x}/{y}.mvt").status_code == 200
    assert nordic.get("/api/v1/dashboard/settlements.geojson").status_code == 200


def test_the_releases_tile_of_a_donor_holds_only_the_land_it_funds(
    client: TestClient, world: ReportWorld, nordic: TestClient, atlantic: TestClient
) -> None:
    everything = sorted(NORDIC_LAND + ATLANTIC_LAND)
    assert released_land(client) == everything
    assert released_land(nordic) == NORDIC_LAND
    assert released_land(atlantic) == ATLANTIC_LAND
    # Zoomed in, the same: shapes instead of dots, the same selection.
    assert released_land(nordic, z=12) == NORDIC_LAND
    assert released_land(atlantic, z=12) == ATLANTIC_LAND


def test_a_tile_cached_for_one_caller_is_never_confirmed_to_another(
    client: TestClient, world: ReportWorld, nordic: TestClient, atlantic: TestClient
) -> None:
    x, y = tile_of(*TO_WGS84.transform(LAEA_X0 + 700, LAEA_Y0 + 250), 8)
    url = f"/tiles/releases/8/{x}/{y}.mvt"
    mine = nordic.get(url)
    assert mine.headers["cache-control"] == "private, no-cache"  # no shared cache keeps it; revalidated each use
    assert mine.headers["vary"] == "Authorization, Cookie"
    assert nordic.get(url, headers={"If-None-Match": mine.headers["etag"]}).status_code == 304
    for other in (atlantic, client):
        answer = other.get(url, headers={"If-None-Match": mine.headers["etag"]})
        assert answer.status_code == 200 and answer.headers["etag"] != mine.headers["etag"]
        assert answer.content != mine.content
    # Layers that are the same for every reader stay shareable.
    assert client.get(f"/tiles/tasks/8/{x}/{y}.mvt").headers["cache-control"] == "private, max-age=60"


def test_a_donors_map_page_shows_its_land_and_figures_and_no_hazard_task_or_accident(
    world: ReportWorld, nordic: TestClient, client: TestClient
) -> None:
    page = nordic.get("/map")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = page.text
    assert '"view": "donor"' in html and 'data-report="released_m2"' in html
    assert "/tiles/releases/" in html
    for absent in ("/tiles/hazardous-areas/", "/tiles/tasks/", "/tiles/context/", "accidents.geojson", "headline"):
        assert absent not in html, absent
    assert '<span class="who">officer.nordic</span><span class="role">donor</span>' in html
    assert 'action="/logout"' in html
    assert 'name="csrf-token"' not in html  # an API token has no login session, hence no CSRF token
    # The coordination dashboard for the information manager, built from the same kept parts.
    admin_page = client.get("/map").text
    assert '"view": "coordination"' in admin_page and '"accidents": true' in admin_page
    assert '<span class="who">im.admin</span>' in admin_page and "officer.nordic" not in admin_page
    assert "im.admin" not in nordic.get("/map").text


def test_a_donor_account_without_a_donor_reads_nothing(world: ReportWorld, nordic: TestClient) -> None:
    from app.domain.access import Actor
    from app.reporting.filter import ReportFilter
    from app.reporting.scope import for_actor

    with pytest.raises(Exception, match="names no donor"):
        for_actor(ReportFilter(), Actor(name="lost", role="donor"))
    scoped = for_actor(ReportFilter(), Actor(name="nordic", role="donor", donor_id=world.nordic))
    assert scoped.donor_id == world.nordic
    admin = Actor(name="im", role="admin")
    assert for_actor(ReportFilter(donor_id=world.atlantic), admin).donor_id == world.atlantic
