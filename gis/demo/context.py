"""Seeded generator of SYNTHETIC context layers (roads, schools, farmland, …) for demos and benchmarks.

Every feature produced here is invented: no road, school, field or line here describes a real
one, and each carries {"synthetic": true}. Only the placement uses real reference data, the
hromada centres and 2022 population of gis.reference.load_hromadas. The front line is an
approximate, illustrative trace of the 2024–2025 line of contact, not an operational product.

At scale 1 the layers hold about 8,500 features (a light demo: schools at one per 40,000
people, min 1 per hromada). Counts grow in proportion to `scale` (road links between centres,
power lines and the front line stay fixed): 16 gives the real density of about one school per
2,500 people (~80,000 features), 25 about 120,000 features for benchmarks.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from gis.units import metres_per_degree

LAYERS = ("road", "school", "health", "water", "farmland", "power", "infrastructure", "front_line")
# Expected points per hromada at scale 1: a base count plus one per so many people (0: none).
# fmt: off
POINT_RATES = {"school": (0.0, 40_000), "health": (0.15, 100_000), "water": (0.25, 200_000),
               "infrastructure": (0.3, 0)}
MIN_POINTS = {"school": 1}  # every hromada has a school
# Spread of points around the centre, as a share of the hromada's radius: services cluster.
SPREAD = {"school": 0.25, "health": 0.25, "water": 0.5, "infrastructure": 0.6}
KINDS = {
    "school": {"school": 0.7, "kindergarten": 0.3},
    "health": {"feldsher post": 0.35, "outpatient clinic": 0.45, "hospital": 0.2},
    "water": {"well": 0.5, "water tower": 0.2, "pumping station": 0.15, "water intake": 0.15},
    "infrastructure": {"bridge": 0.35, "gas distribution station": 0.2, "telecom mast": 0.2,
                       "grain elevator": 0.15, "railway station": 0.1},
}
# Illustrative trace only (approximately Kupiansk, Lyman, Bakhmut, Avdiivka, Vuhledar, Robotyne,
# Vasylivka, then the Dnipro and Kakhovka reservoir to Kherson and the Kinburn coast).
FRONT_LINE = [(37.70, 50.10), (37.62, 49.71), (37.85, 49.35), (37.80, 49.00), (38.08, 48.86), (38.00, 48.60),
              (37.85, 48.40), (37.75, 48.14), (37.50, 47.94), (37.25, 47.78), (36.83, 47.84), (36.30, 47.62),
              (35.85, 47.45), (35.28, 47.44), (34.95, 47.52), (34.62, 47.50), (34.40, 47.50), (34.10, 47.35),
              (33.80, 47.15), (33.55, 46.95), (33.36, 46.76), (33.00, 46.72), (32.60, 46.64), (32.30, 46.53),
              (31.95, 46.50), (31.55, 46.56)]
# fmt: on
FARM_MAX_POPULATION = 30_000  # hromadas below this are rural: fields ring their centre
TRACKS_PER_HROMADA, FIELDS_PER_HROMADA = 0.4, 1.5
TOWN_POPULATION, CITY_POPULATION = 50_000, 200_000
DEFAULT_RADIUS_KM = 9.7  # the median hromada (296 km²); hromadas occupied since 2014 have no area

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def generate_context(hromadas: pd.DataFrame, *, seed: int, scale: float = 1.0) -> dict[str, gpd.GeoDataFrame]:
    """Synthetic context layers around the given hromada centres, keyed by layer code.

    Each frame has `name`, `kind`, `synthetic` (always True) and a WGS 84 geometry.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale}")
    rngs = dict(zip(LAYERS, map(np.random.default_rng, np.random.SeedSequence(seed).spawn(len(LAYERS))), strict=True))
    h = hromadas.reset_index(drop=True)
    radius_m = np.sqrt(h["square_km"].to_numpy(dtype=float) / np.pi) * 1000
    radius_m = np.where(np.isnan(radius_m), DEFAULT_RADIUS_KM * 1000, radius_m)
    out = {"road": _roads(rngs["road"], h, radius_m, scale), "farmland": _fields(rngs["farmland"], h, scale)}
    for layer in POINT_RATES:
        out[layer] = _points(rngs[layer], h, radius_m, layer, scale)
    out["power"] = _power(rngs["power"], h)
    front = shapely.linestrings(np.round(FRONT_LINE, 6))
    out["front_line"] = _frame(
        ["Line of contact 2024–2025 (approximate, illustrative)"],
        ["line of contact"],
        [front],
        note="approximate, illustrative trace; not for operational use",
    )
    return {layer: out[layer] for layer in LAYERS}


def _frame(names: object, kinds: object, geometry: object, **extra: object) -> gpd.GeoDataFrame:
    """A layer frame with the columns every synthetic feature carries."""
    geoms = np.asarray(geometry, dtype=object)
    data = {"name": names, "kind": kinds, "synthetic": True, **extra}
    return gpd.GeoDataFrame(pd.DataFrame(data, index=range(len(geoms))), geometry=geoms, crs="EPSG:4326")


def _choice(rng: np.random.Generator, table: dict[str, float], n: int) -> npt.NDArray[np.object_]:
    """Weighted draw of n codes from a {code: weight} table."""
    codes, weights = list(table), np.array(list(table.values()))
    return np.array(codes, dtype=object)[rng.choice(len(codes), n, p=weights / weights.sum())]


def _offset(lon: FloatArray, lat: FloatArray, dx_m: FloatArray, dy_m: FloatArray) -> FloatArray:
    """Positions dx/dy metres east/north of lon/lat, rounded to 6 decimals (~0.1 m)."""
    per_lon, per_lat = metres_per_degree(lat)
    return np.column_stack([lon + dx_m / per_lon, lat + dy_m / per_lat]).astype(np.float64).round(6)


def _scatter(rng: np.random.Generator, sigma_m: FloatArray, cap_m: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Gaussian offsets around a centre, pulled in to at most `cap_m` from it."""
    dx, dy = rng.normal(0, sigma_m), rng.normal(0, sigma_m)
    shrink = np.minimum(1.0, cap_m / np.maximum(np.hypot(dx, dy), 1e-9))
    return dx * shrink, dy * shrink


def _points(
    rng: np.random.Generator, h: pd.DataFrame, radius_m: FloatArray, layer: str, scale: float
) -> gpd.GeoDataFrame:
    """Facilities scattered near hromada centres, more where more people live."""
    base, people = POINT_RATES[layer]
    mean = scale * (base + (h["population"].to_numpy() / people if people else np.zeros(len(h))))
    counts = np.maximum(MIN_POINTS.get(layer, 0), rng.poisson(mean))
    owner = np.repeat(np.arange(len(h)), counts)
    dx, dy = _scatter(rng, SPREAD[layer] * radius_m[owner], radius_m[owner])
    xy = _offset(h["lon"].to_numpy()[owner], h["lat"].to_numpy()[owner], dx, dy)
    kinds = _choice(rng, KINDS[layer], len(owner))
    places = h["hromada"].to_numpy()[owner]
    names = [f"{k} {i} ({n}), synthetic" for i, (k, n) in enumerate(zip(kinds, places, strict=True), 1)]
    return _frame(names, kinds, shapely.points(xy))


def _links(x: FloatArray, y: FloatArray, k: IntArray) -> IntArray:
    """Undirected pairs (i < j) joining each point to its k[i] nearest others."""
    distance = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    # Also skips hromadas sharing a centre (two Mykolaivska hromadas in Sumy oblast do in the source).
    distance[distance == 0] = np.inf
    nearest = np.argsort(distance, axis=1)[:, : int(k.max())]
    rows = np.repeat(np.arange(len(x)), k)
    cols = nearest[np.arange(nearest.shape[1]) < k[:, None]]
    return np.unique(np.sort(np.column_stack([rows, cols]), axis=1), axis=0)


def _polylines(
    rng: np.random.Generator, start: FloatArray, end: FloatArray, vertices: int, wiggle: float
) -> npt.NDArray[np.object_]:
    """Lines from start to end (lon/lat rows) bent sideways by up to about `wiggle` of their length."""
    n = len(start)
    t = np.linspace(0.0, 1.0, vertices)
    per_lon, per_lat = metres_per_degree(start[:, 1])
    dx, dy = (end[:, 0] - start[:, 0]) * per_lon, (end[:, 1] - start[:, 1]) * per_lat
    # Sideways bends vanish at both ends, so the lines still meet the places they link.
    bend = rng.normal(0, wiggle, (n, vertices)) * np.sin(np.pi * t)
    ex = dx[:, None] * t - dy[:, None] * bend
    ey = dy[:, None] * t + dx[:, None] * bend
    xy = _offset(np.repeat(start[:, 0], vertices), np.repeat(start[:, 1], vertices), ex.ravel(), ey.ravel())
    return shapely.linestrings(xy, indices=np.repeat(np.arange(n), vertices))


def _roads(rng: np.random.Generator, h: pd.DataFrame, radius_m: FloatArray, scale: float) -> gpd.GeoDataFrame:
    """Roads from each centre to its 2–3 nearest neighbours, plus short field tracks."""
    lon, lat, pop = h["lon"].to_numpy(), h["lat"].to_numpy(), h["population"].to_numpy()
    # A flat projection is fine for choosing neighbours; the lines themselves are built in metres.
    pairs = _links(lon * np.cos(np.radians(48.5)), lat, rng.integers(2, 4, len(h)))
    centres = np.column_stack([lon, lat])
    roads = _polylines(rng, centres[pairs[:, 0]], centres[pairs[:, 1]], 6, 0.04)
    names = [f"{a} – {b} road, synthetic" for a, b in h["hromada"].to_numpy()[pairs]]
    main = np.minimum(pop[pairs[:, 0]], pop[pairs[:, 1]]) >= 20_000
    owner = np.repeat(np.arange(len(h)), rng.poisson(scale * TRACKS_PER_HROMADA, len(h)))
    sx, sy = _scatter(rng, 0.5 * radius_m[owner], radius_m[owner])
    start = _offset(lon[owner], lat[owner], sx, sy)
    length, heading = rng.uniform(500, 3000, len(owner)), rng.uniform(0, 2 * np.pi, len(owner))
    end = _offset(start[:, 0], start[:, 1], length * np.cos(heading), length * np.sin(heading))
    tracks = _polylines(rng, start, end, 4, 0.08)
    track_names = [f"field track {i} ({n}), synthetic" for i, n in enumerate(h["hromada"].to_numpy()[owner], 1)]
    kinds = np.concatenate([np.where(main, "main road", "local road"), np.full(len(owner), "field track")])
    return _frame(names + track_names, kinds, np.concatenate([roads, tracks]))


def _power(rng: np.random.Generator, h: pd.DataFrame) -> gpd.GeoDataFrame:
    """Transmission lines joining each town to its two nearest towns."""
    towns = h[h["population"] >= TOWN_POPULATION].reset_index(drop=True)
    if len(towns) < 3:
        return _frame([], [], [])
    lon, lat, pop = towns["lon"].to_numpy(), towns["lat"].to_numpy(), towns["population"].to_numpy()
    pairs = _links(lon * np.cos(np.radians(48.5)), lat, np.full(len(towns), 2))
    centres = np.column_stack([lon, lat])
    # Few, slight bends: overhead lines run straight between angle towers.
    lines = _polylines(rng, centres[pairs[:, 0]], centres[pairs[:, 1]], 3, 0.02)
    names = [f"{a} – {b} power line, synthetic" for a, b in towns["hromada"].to_numpy()[pairs]]
    big = np.minimum(pop[pairs[:, 0]], pop[pairs[:, 1]]) >= CITY_POPULATION
    return _frame(names, np.where(big, "330 kV line", "110 kV line"), lines)


def _spiral(cells: int) -> IntArray:
    """Integer grid offsets ordered by distance from (0, 0), which itself is left out."""
    side = int(np.ceil(np.sqrt(cells))) + 2
    i, j = np.meshgrid(np.arange(-side, side + 1), np.arange(-side, side + 1))
    ij = np.column_stack([i.ravel(), j.ravel()])
    order = np.lexsort((np.arctan2(ij[:, 1], ij[:, 0]), np.hypot(ij[:, 0], ij[:, 1])))
    return ij[order][1 : cells + 1]


def _fields(rng: np.random.Generator, h: pd.DataFrame, scale: float) -> gpd.GeoDataFrame:
    """Irregular fields of 0.2–5 km² on a rotated grid of cells around rural centres, one per cell."""
    rural = np.flatnonzero(h["population"].to_numpy() < FARM_MAX_POPULATION)
    counts = rng.poisson(scale * FIELDS_PER_HROMADA, len(rural))
    owner = np.repeat(rural, counts)
    if len(owner) == 0:
        return _frame([], [], [])
    # About one cell in four is skipped (woods, ravines, the village itself) so fields leave gaps.
    steps = np.cumsum(rng.choice([1, 2], len(owner), p=[0.75, 0.25]))
    cell = steps - np.repeat(np.concatenate([[0], steps])[np.cumsum(counts) - counts], counts) - 1
    offsets = _spiral(int(cell.max()) + 1)[cell]
    side = rng.uniform(750, 2300, len(h))[owner]  # metres; one cell size per hromada
    turn = rng.uniform(0, np.pi / 2, len(h))[owner]
    lon, lat = h["lon"].to_numpy(), h["lat"].to_numpy()
    c, s = np.cos(turn), np.sin(turn)
    cx, cy = offsets[:, 0] * side, offsets[:, 1] * side
    cx, cy = cx * c - cy * s, cx * s + cy * c
    # A cell nearer another centre belongs to that hromada's land: dropping it keeps neighbours' fields apart.
    middle = _offset(lon[owner], lat[owner], cx, cy)
    flat = shapely.points(np.column_stack([lon * np.cos(np.radians(48.5)), lat]))
    source, target = shapely.STRtree(flat).query_nearest(
        shapely.points(middle[:, 0] * np.cos(np.radians(48.5)), middle[:, 1]), all_matches=False
    )
    own = np.zeros(len(owner), dtype=bool)
    own[source] = target == owner[source]
    owner, side, c, s, cx, cy = owner[own], side[own], c[own], s[own], cx[own], cy[own]
    n = len(owner)
    k = rng.integers(5, 10, n)
    ring = np.repeat(np.arange(n), k)
    pos = np.arange(len(ring)) - np.repeat(np.cumsum(k) - k, k)
    # Jitter under half a slot keeps angles sorted and every gap below pi: each ring is simple.
    angle = (pos + rng.uniform(-0.4, 0.4, len(ring))) * (2 * np.pi / k[ring])
    # Radii stop short of the cell's edge in every direction, so fields of one grid never overlap.
    reach = 0.5 * side[ring] / np.maximum(np.abs(np.cos(angle)), np.abs(np.sin(angle)))
    radius = reach * rng.uniform(0.78, 0.97, len(ring))
    u, v = radius * np.cos(angle), radius * np.sin(angle)
    dx = cx[ring] + u * c[ring] - v * s[ring]
    dy = cy[ring] + u * s[ring] + v * c[ring]
    xy = _offset(lon[owner][ring], lat[owner][ring], dx, dy)
    fields = shapely.polygons(shapely.linearrings(xy, indices=ring))
    names = [f"field {i} ({name}), synthetic" for i, name in enumerate(h["hromada"].to_numpy()[owner], 1)]
    return _frame(names, "arable field", fields)
