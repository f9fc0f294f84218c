"""Physical quantities, each named once: every module that turns degrees into metres uses these."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# Length of one degree of latitude (and of longitude at the equator) on WGS 84, to the metre:
# the figure behind every metres-to-degrees bound (index boxes, grid cells, search radii).
METRES_PER_DEGREE = 111_320.0
# A degree of longitude is at least this long everywhere south of 57° latitude (all of Ukraine,
# and every current mine action programme): dividing metres by it gives a degree box that surely
# covers the distance, for an index prefilter before an exact test in metres.
MIN_METRES_PER_DEGREE = 60_000.0
# Web Mercator, 256-pixel tiles: metres per pixel at zoom 0 on the equator (2π · 6,378,137 m / 256).
WEB_MERCATOR_METRES_PER_PIXEL_Z0 = 156_543.03


def metres_per_degree(lat: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Length of one degree of longitude and of latitude at `lat` on WGS 84 (series to the 4th order)."""
    phi = np.radians(lat)
    per_lon = 111_412.84 * np.cos(phi) - 93.5 * np.cos(3 * phi)
    per_lat = 111_132.954 - 559.822 * np.cos(2 * phi) + 1.175 * np.cos(4 * phi)
    return per_lon, per_lat
