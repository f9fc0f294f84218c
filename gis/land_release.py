"""Land-release accounting: every m² of a hazardous area ends cancelled, reduced, cleared or remaining.

Pure geometry (IMAS 07.11; docs/mine-action.md §4.2). A release is clipped to the hazard; the part that
overlaps land released earlier stays with the earlier release, so overlapping releases count
once and `original = remaining + Σ counted` holds to floating-point precision.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from gis.area import ellipsoid_area_m2, ellipsoid_areas_m2
from gis.geometry import polygonal

# Below this, what remains is digitising noise along shared edges, not land to release.
EXHAUSTED_M2 = 1.0


@dataclass(frozen=True)
class Account:
    """The land account of one hazardous area."""

    original: MultiPolygon
    remaining: MultiPolygon
    original_m2: float
    remaining_m2: float

    @classmethod
    def open(cls, hazard: BaseGeometry) -> Account:
        """A fresh account: nothing released yet."""
        original = polygonal(hazard)
        area = ellipsoid_area_m2(original)
        return cls(original=original, remaining=original, original_m2=area, remaining_m2=area)

    @property
    def is_exhausted(self) -> bool:
        """Nothing (beyond noise) is left to release: the area can be closed."""
        return self.remaining_m2 < EXHAUSTED_M2

    @property
    def released_m2(self) -> float:
        """Everything released so far, of any kind."""
        return self.original_m2 - self.remaining_m2


@dataclass(frozen=True)
class ReleaseOutcome:
    """What one release did to an account."""

    counted: MultiPolygon
    outside: MultiPolygon
    overlap: MultiPolygon
    submitted_m2: float
    outside_m2: float
    overlap_m2: float
    counted_m2: float
    account: Account


def apply_release(account: Account, release: BaseGeometry) -> ReleaseOutcome:
    """Clip `release` to the hazard, count only land still remaining, and update the account.

    >>> from shapely.geometry import box
    >>> account = Account.open(box(36.0, 50.0, 36.01, 50.01))
    >>> half = apply_release(account, box(35.99, 50.0, 36.005, 50.01))
    >>> round(half.counted_m2 / account.original_m2, 3), round(half.outside_m2 / account.original_m2, 3)
    (0.5, 1.0)
    """
    submitted = polygonal(release)
    counted = polygonal(shapely.intersection(submitted, account.remaining))
    remaining = polygonal(shapely.difference(account.remaining, submitted))
    inside = polygonal(shapely.intersection(submitted, account.original))
    # Measured independently of `counted`, so that submitted = counted + outside + overlap is a check.
    outside = polygonal(shapely.difference(submitted, account.original))
    overlap = polygonal(shapely.difference(inside, account.remaining))
    submitted_m2, counted_m2, outside_m2, overlap_m2, remaining_m2 = ellipsoid_areas_m2(
        [submitted, counted, outside, overlap, remaining]
    ).tolist()
    return ReleaseOutcome(
        counted=counted,
        outside=outside,
        overlap=overlap,
        submitted_m2=submitted_m2,
        outside_m2=outside_m2,
        overlap_m2=overlap_m2,
        counted_m2=counted_m2,
        account=Account(account.original, remaining, account.original_m2, remaining_m2),
    )
