"""Priority criteria and scores (gis.priorities) on small hand-built worlds, with exact numbers."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import LineString, Point, box

from gis.area import ellipsoid_area_m2
from gis.priorities import CRITERION_NAMES, LOCAL_CRS, Areas, Context, Parameters, score

TODAY = date(2025, 11, 1)
TO_LONLAT = Transformer.from_crs(LOCAL_CRS, "EPSG:4326", always_xy=True)
P = Parameters()


def lonlat(geometry: shapely.Geometry) -> shapely.Geometry:
    """A geometry drawn in metres of the local projection, in lon/lat."""
    return shapely.transform(geometry, lambda x, y: TO_LONLAT.transform(x, y), interleaved=False)


def areas(*specs: dict[str, object]) -> Areas:
    """Areas of 100 m x 100 m with their south-west corner at (x, y) metres."""
    return Areas(
        geometry=np.array([lonlat(box(s["x"], s["y"], s["x"] + 100, s["y"] + 100)) for s in specs], dtype=object),
        classification=[str(s.get("classification", "SHA")) for s in specs],
        contamination_types=[list(s.get("types", [])) for s in specs],  # type: ignore[call-overload]
        information_reliability=[s.get("reliability") for s in specs],  # type: ignore[misc]
        blockages=[list(s.get("blockages", [])) for s in specs],  # type: ignore[call-overload]
        returnees_expected=[s.get("returnees") for s in specs],  # type: ignore[misc]
        remaining_m2=np.array([10_000.0 for _ in specs]),
    )


def context(
    settlements: list[tuple[float, float, int]] = (),  # type: ignore[assignment]
    accidents: list[tuple[float, float, int, int]] = (),  # type: ignore[assignment]
    layers: dict[str, list[shapely.Geometry]] | None = None,
) -> Context:
    return Context(
        settlements=np.array([lonlat(Point(x, y)) for x, y, _ in settlements], dtype=object),
        population=np.array([float(pop) for _, _, pop in settlements]),
        accidents=np.array([lonlat(Point(x, y)) for x, y, _, _ in accidents], dtype=object),
        accident_dates=[TODAY - timedelta(days=days) for _, _, days, _ in accidents],
        victims=np.array([float(v) for _, _, _, v in accidents]),
        layers={k: np.array([lonlat(g) for g in v], dtype=object) for k, v in (layers or {}).items()},
    )


def test_area_beside_a_school_with_a_recent_accident_outranks_an_isolated_one() -> None:
    world = areas({"x": 0, "y": 0}, {"x": 20_000, "y": 0})
    # A school 200 m east of area 0 and an accident with 2 victims 50 m north of it, a month ago.
    ctx = context(accidents=[(50, 150, 30, 2)], layers={"school": [Point(300, 50)]})
    weights = {"services": 10.0, "casualties": 20.0}
    result = score(world, ctx, weights, P, TODAY)
    services = 1 - math.exp(-(1 - 200 / 1000) / 1.0)  # 0.5507
    casualties = 1 - math.exp(-(1 * (1 + 2) * (1 - 50 / 5000)) / 2.0)  # 0.7735
    assert result.values["services"][0] == pytest.approx(services, abs=1e-6)
    assert result.values["casualties"][0] == pytest.approx(casualties, abs=1e-6)
    assert result.score[0] == pytest.approx(10 * services + 20 * casualties, abs=1e-5)  # 20.977
    assert result.score[1] == 0.0
    assert result.score[0] > result.score[1]


def test_changing_one_weight_changes_the_order_as_computed_by_hand() -> None:
    world = areas({"x": 0, "y": 0}, {"x": 20_000, "y": 0, "returnees": 500})
    ctx = context(accidents=[(50, 150, 30, 2)], layers={"school": [Point(300, 50)]})
    a = 10 * (1 - math.exp(-0.8)) + 20 * (1 - math.exp(-1.485))  # area 0: 20.977
    returns = 1 - math.exp(-500 / 100)  # area 1: 0.99326 per point of weight
    low = score(world, ctx, {"services": 10, "casualties": 20, "returns": 20}, P, TODAY)
    assert low.score == pytest.approx([a, 20 * returns], abs=1e-5)
    assert low.score[0] > low.score[1]  # 20.977 > 19.865
    high = score(world, ctx, {"services": 10, "casualties": 20, "returns": 22}, P, TODAY)
    assert high.score == pytest.approx([a, 22 * returns], abs=1e-5)
    assert high.score[1] > high.score[0]  # 21.852 > 20.977


def test_scores_are_the_sum_of_the_contributions() -> None:
    world = areas(
        {"x": 0, "y": 0, "classification": "CHA", "types": ["at_mine", "ap_mine"], "reliability": 2,
         "blockages": ["farmland", "road"], "returnees": 40},
        {"x": 3_000, "y": 0, "types": ["uxo"]},
    )  # fmt: skip
    ctx = context(
        settlements=[(1_000, 0, 12_000), (9_000, 0, 300)],
        accidents=[(0, -400, 400, 1), (100, 100, 900, 3)],
        layers={"farmland": [box(-50, -50, 50, 150)], "road": [LineString([(0, 50), (100, 50)])],
                "power": [LineString([(0, 300), (200, 300)])], "water": [Point(3_050, 500)]},
    )  # fmt: skip
    weights = dict.fromkeys(CRITERION_NAMES, 7.0)
    result = score(world, ctx, weights, P, TODAY)
    for i in range(2):
        assert sum(c[i] for c in result.contributions.values()) == pytest.approx(result.score[i], rel=1e-12)
    v = {name: values[0] for name, values in result.values.items()}
    assert v["farmland"] == pytest.approx(0.5, abs=1e-5)  # half the square is farmland
    assert v["roads"] == pytest.approx(1 - math.exp(-100 / 500), abs=1e-6)
    assert v["device_severity"] == 1.0  # AP mine
    assert v["evidence"] == pytest.approx(0.6 + 0.4 * 4 / 5)
    assert v["recorded_blockages"] == pytest.approx(2 / 3)
    # 12,000 people 900 m away (from the square's east edge), 300 people 8,900 m away.
    assert result.raw["population"][0] == pytest.approx(12_000 * 0.91 + 300 * 0.11, rel=1e-6)
    # The 400-day-old accident counts half; the 900-day-old one not at all.
    assert result.raw["casualties"][0] == pytest.approx(0.5 * 2 * (1 - 400 / 5000), rel=1e-6)
    assert result.raw["feasibility"][0] == pytest.approx(10_000 * 2.5)
    assert result.values["device_severity"][1] == 0.4


def test_front_line_gate_flags_areas_too_close_to_the_line_of_contact() -> None:
    world = areas({"x": 0, "y": 0}, {"x": 0, "y": 30_000})
    ctx = context(layers={"front_line": [LineString([(-50_000, -5_000), (50_000, -5_000)])]})
    gated = score(world, ctx, {"population": 1}, Parameters(front_line_gate_km=20), TODAY).gated
    assert gated[0] == "within 20 km of the line of contact (5.0 km)"
    assert gated[1] is None
    assert score(world, ctx, {"population": 1}, P, TODAY).gated == [None, None]


def test_weights_must_be_known_and_non_negative() -> None:
    world, ctx = areas({"x": 0, "y": 0}), context()
    with pytest.raises(ValueError, match="unknown criteria beauty"):
        score(world, ctx, {"beauty": 1}, P, TODAY)
    with pytest.raises(ValueError, match="finite and ≥ 0: population"):
        score(world, ctx, {"population": -1}, P, TODAY)


# --- properties -----------------------------------------------------------------------------

coordinates = st.floats(-12_000, 12_000)
positive_weights = st.dictionaries(st.sampled_from(CRITERION_NAMES), st.floats(0, 50), min_size=1)


@settings(max_examples=60, deadline=None)
@given(
    weights=positive_weights,
    x=coordinates,
    y=coordinates,
    population=st.integers(1, 500_000),
    victims=st.integers(0, 5),
    days=st.integers(0, 900),
)
def test_more_population_or_accidents_never_lower_a_score(
    weights: dict[str, float], x: float, y: float, population: int, victims: int, days: int
) -> None:
    world = areas({"x": 0, "y": 0, "types": ["uxo"]}, {"x": 5_000, "y": 5_000, "classification": "CHA"})
    base_ctx = context(settlements=[(2_000, 0, 5_000)], accidents=[(0, 500, 100, 1)])
    base = score(world, base_ctx, weights, P, TODAY).score
    more_people = context(settlements=[(2_000, 0, 5_000), (x, y, population)], accidents=[(0, 500, 100, 1)])
    more_harm = context(settlements=[(2_000, 0, 5_000)], accidents=[(0, 500, 100, 1), (x, y, days, victims)])
    for ctx in (more_people, more_harm):
        assert np.all(score(world, ctx, weights, P, TODAY).score >= base - 1e-9)


@settings(max_examples=60, deadline=None)
@given(weights=positive_weights, dropped=st.sampled_from(CRITERION_NAMES))
def test_removing_a_weight_removes_exactly_its_contribution(weights: dict[str, float], dropped: str) -> None:
    world = areas({"x": 0, "y": 0, "types": ["ap_mine"], "returnees": 30}, {"x": 900, "y": 0, "reliability": 3})
    ctx = context(
        settlements=[(1_500, 0, 20_000)],
        accidents=[(0, 300, 60, 2)],
        layers={"school": [Point(400, 0)], "farmland": [box(0, 0, 1_000, 60)]},
    )
    full = score(world, ctx, {**weights, dropped: weights.get(dropped, 10.0)}, P, TODAY)
    without = score(world, ctx, {**weights, dropped: 0.0}, P, TODAY)
    assert np.all(without.contributions[dropped] == 0)
    assert without.score == pytest.approx(full.score - full.contributions[dropped], abs=1e-9)


# Remaining land of a demo area after a release: valid in lon/lat, self-intersecting once projected.
SPIKY_WKT = (
    "MULTIPOLYGON(((37.898488 49.053856,37.901591 49.051307,37.905491 49.047591,37.904772 49.045049,"
    "37.907514 49.040827,37.907388 49.038088,37.902458 49.042351,37.897212 49.044864,37.894437 49.049392,"
    "37.893759 49.051425,37.890011 49.056054,37.890558 49.056855,37.888153 49.060766,"
    "37.89043497974297 49.05705505497931,37.89484413960703 49.057991716627114,37.898488 49.053856)))"
)


def test_area_invalid_in_the_local_projection_is_still_scored() -> None:
    area = shapely.from_wkt(SPIKY_WKT)
    assert area.is_valid
    centre = area.centroid
    east_half = box(centre.x, centre.y - 1, centre.x + 1, centre.y + 1)  # a field over its eastern half
    world = Areas(
        geometry=np.array([area], dtype=object),
        classification=["SHA"],
        contamination_types=[[]],
        information_reliability=[None],
        blockages=[[]],
        returnees_expected=[None],
        remaining_m2=np.array([ellipsoid_area_m2(area)]),
    )
    ctx = Context(
        settlements=np.empty(0, dtype=object),
        population=np.zeros(0),
        accidents=np.empty(0, dtype=object),
        accident_dates=[],
        victims=np.zeros(0),
        layers={"farmland": np.array([east_half], dtype=object)},
    )
    share = score(world, ctx, {"farmland": 1.0}, P, TODAY).values["farmland"][0]
    assert 0.3 < share < 0.7
