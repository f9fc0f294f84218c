"""Land-release accounting (gis.land_release): clipping, overlap and conservation of m²."""

from __future__ import annotations

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon, box

from gis.area import ellipsoid_area_m2
from gis.land_release import Account, apply_release

# A 1 km² square hazard near Kharkiv, built in a local metric frame and converted to degrees:
# 1 km of latitude ≈ 0.008993°, 1 km of longitude at 50°N ≈ 0.013987°.
LAT0, LON0 = 50.0, 36.2
DLAT, DLON = 1 / 111_229.0, 1 / 71_696.0  # degrees per metre, near 50°N


def metres(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    """A rectangle given in metres east/north of (LON0, LAT0)."""
    return box(LON0 + x0 * DLON, LAT0 + y0 * DLAT, LON0 + x1 * DLON, LAT0 + y1 * DLAT)


HAZARD = MultiPolygon([metres(0, 0, 1000, 1000)])


def test_a_release_inside_the_hazard_counts_fully() -> None:
    account = Account.open(HAZARD)
    outcome = apply_release(account, metres(0, 0, 400, 1000))
    assert outcome.counted_m2 == pytest.approx(400_000, rel=0.003)
    assert outcome.outside_m2 == 0
    assert outcome.overlap_m2 == 0
    # The ellipsoidal measure of lon/lat polygons is additive: the pieces add up to the whole.
    assert outcome.account.remaining_m2 == pytest.approx(account.original_m2 - outcome.counted_m2, rel=1e-9)


def test_release_outside_the_hazard_is_clipped_and_reported() -> None:
    account = Account.open(HAZARD)
    # 200 m x 1000 m, half of it west of the hazard.
    outcome = apply_release(account, metres(-100, 0, 100, 1000))
    assert outcome.submitted_m2 == pytest.approx(200_000, rel=0.003)
    assert outcome.outside_m2 == pytest.approx(100_000, rel=0.003)
    assert outcome.counted_m2 == pytest.approx(100_000, rel=0.003)
    assert outcome.counted.within(HAZARD.buffer(1e-12))


def test_overlap_with_earlier_release_counts_once() -> None:
    account = Account.open(HAZARD)
    first = apply_release(account, metres(0, 0, 400, 1000))
    second = apply_release(first.account, metres(350, 0, 750, 1000))
    assert second.overlap_m2 == pytest.approx(50_000, rel=0.003)
    assert second.counted_m2 == pytest.approx(350_000, rel=0.003)
    total = first.counted_m2 + second.counted_m2
    assert second.account.remaining_m2 + total == pytest.approx(account.original_m2, abs=0.01)


def test_release_of_everything_left_empties_the_hazard() -> None:
    account = Account.open(HAZARD)
    step = apply_release(account, metres(0, 0, 500, 1000))
    last = apply_release(step.account, metres(-50, -50, 1050, 1050))
    assert last.account.remaining_m2 == 0
    assert last.account.remaining.is_empty
    assert last.account.is_exhausted


def test_release_entirely_outside_counts_nothing() -> None:
    outcome = apply_release(Account.open(HAZARD), metres(2000, 0, 2100, 100))
    assert outcome.counted_m2 == 0
    assert outcome.outside_m2 == pytest.approx(outcome.submitted_m2)
    assert outcome.account.remaining_m2 == pytest.approx(ellipsoid_area_m2(HAZARD))


# --- properties -----------------------------------------------------------------------------


@st.composite
def rectangles(draw: st.DrawFn) -> Polygon:
    """Rectangles in metres around and inside the hazard, some partly or wholly outside."""
    x0 = draw(st.floats(-300, 1200))
    y0 = draw(st.floats(-300, 1200))
    w = draw(st.floats(1, 900))
    h = draw(st.floats(1, 900))
    return metres(x0, y0, x0 + w, y0 + h)


@st.composite
def hazards(draw: st.DrawFn) -> MultiPolygon:
    """Irregular star-shaped hazards (possibly with a second part) in the same frame."""
    parts = []
    for cx in draw(st.lists(st.sampled_from([500.0, 2500.0]), min_size=1, max_size=2, unique=True)):
        n = draw(st.integers(5, 14))
        radii = draw(st.lists(st.floats(150, 600), min_size=n, max_size=n))
        angles = [2 * 3.141592653589793 * i / n for i in range(n)]
        import math

        ring = [(cx + r * math.cos(a), 500 + r * math.sin(a)) for r, a in zip(radii, angles, strict=True)]
        parts.append(Polygon([(LON0 + x * DLON, LAT0 + y * DLAT) for x, y in ring]))
    return MultiPolygon(parts)


@settings(max_examples=200, deadline=None)
@given(hazard=hazards(), releases=st.lists(rectangles(), min_size=1, max_size=8))
def test_conservation_holds_for_any_sequence_of_releases(hazard: MultiPolygon, releases: list[Polygon]) -> None:
    account = Account.open(hazard)
    counted = 0.0
    previous_remaining = account.remaining
    for release in releases:
        outcome = apply_release(account, release)
        account = outcome.account
        counted += outcome.counted_m2
        # original = remaining + everything released: required within 0.01 % or 1 m², held to 1e-9.
        assert account.original_m2 == pytest.approx(account.remaining_m2 + counted, rel=1e-9, abs=1e-6)
        # remaining land never grows, and stays inside the hazard.
        assert shapely.difference(account.remaining, previous_remaining).area <= 1e-14
        assert shapely.difference(account.remaining, hazard).area <= 1e-14
        # clipping is exact: the counted, outside and overlapping parts tile what was submitted.
        parts = [outcome.counted, outcome.outside, outcome.overlap]
        assert sum(p.area for p in parts) == pytest.approx(shapely.area(release), rel=1e-9, abs=1e-18)
        assert shapely.union_all(parts).symmetric_difference(release).area <= 1e-14
        assert outcome.submitted_m2 == pytest.approx(
            outcome.counted_m2 + outcome.outside_m2 + outcome.overlap_m2, rel=1e-9, abs=1e-6
        )
        assert shapely.difference(outcome.counted, hazard).area <= 1e-14
        previous_remaining = account.remaining
