"""Seeded generator of SYNTHETIC hazardous areas for demos, load tests and screenshots.

Every polygon, attribute and date produced here is invented: none of it describes a real
hazardous area, and each row says so in `notes`. Only the placement uses real reference
data: hromada centres, areas and 2022 population from the public repository
kse-ua/KSE-Loc-Data-Hub (Kyiv School of Economics, MIT licence), copied to
gis/data/ukraine-hromadas/ (see the README and LICENSE there).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from gis.area import ellipsoid_areas_m2
from gis.reference import read_hromadas
from gis.units import metres_per_degree

DEMO_SOURCE = "synthetic-demo"
NOTES = "SYNTHETIC DEMO DATA - not a real hazardous area"
# Hand-aligned lookup tables: keep the formatter from exploding them to one entry per line.
# fmt: off
# Illustrative shares, not survey figures: the front-line oblasts carry most contamination.
OBLAST_WEIGHTS = {"Харківська": 0.20, "Донецька": 0.19, "Херсонська": 0.15, "Запорізька": 0.14,
                  "Миколаївська": 0.09, "Чернігівська": 0.08, "Сумська": 0.08, "Луганська": 0.07}
CONTAMINATION = {"uxo": 0.30, "at_mine": 0.22, "ap_mine": 0.20, "submunition": 0.12,
                 "axo": 0.08, "ied": 0.04, "booby_trap": 0.04}
DIRECT_EVIDENCE = {"detonation": 0.15, "accident_known_location": 0.10, "reliable_record": 0.25,
                   "mine_sign_or_fencing": 0.20, "item_seen": 0.30}
INDIRECT_EVIDENCE = {"former_front_line": 0.35, "accident_unknown_location": 0.05,
                     "unreliable_record": 0.10, "unused_productive_land": 0.15,
                     "verbal_report": 0.25, "old_survey": 0.10}
# Farmland dominates: most of Ukraine's suspected area is agricultural land.
BLOCKAGES = {"farmland": 0.45, "road": 0.15, "housing": 0.12, "infrastructure": 0.10,
             "water": 0.08, "school": 0.05, "health": 0.05}
REPORTING_SOURCES = {"non-technical survey": 0.40, "community report": 0.20, "EOD call-out": 0.12,
                     "remote sensing": 0.13, "military handover": 0.10, "accident report": 0.05}
# "" stands for an unknown owner and becomes None in the output.
LANDOWNERS = {"private farm": 0.30, "agricultural enterprise": 0.25, "community": 0.20,
              "state forest": 0.10, "state enterprise": 0.05, "": 0.10}
PERSISTENCE = {"persistent": 0.85, "unknown": 0.12, "self_deactivating": 0.03}
# fmt: on
REPORTED_FROM, LAST_DAY = np.datetime64("2022-03-01"), np.datetime64("2025-10-31")
# Non-persistent AP mines were first supplied to Ukraine in November 2024 (docs/mine-action.md §4.7).
EMPLACED_FROM = np.datetime64("2024-11-20")
MEDIAN_AREA_M2, AREA_SIGMA, MIN_AREA_M2, MAX_AREA_M2 = 50_000.0, 1.5, 300.0, 8_000_000.0

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _rings(rng: np.random.Generator, area_m2: FloatArray) -> tuple[FloatArray, IntArray, FloatArray]:
    """Random star-shaped rings in local metres: vertices, ring index per vertex, max radius."""
    m = len(area_m2)
    k = rng.integers(8, 25, size=m)
    ring = np.repeat(np.arange(m), k)
    starts = np.cumsum(k) - k
    pos = np.arange(len(ring)) - starts[ring]
    # Jitter of under half a slot keeps angles sorted and every gap below pi: always simple.
    angle = (pos + rng.uniform(-0.4, 0.4, len(ring))) * (2 * np.pi / k[ring])
    radius = rng.uniform(0.45, 1.0, len(ring))
    # A linear stretch and rotation keeps the ring simple while making fields elongated.
    stretch, turn = rng.uniform(1.0, 2.5, m)[ring], rng.uniform(0, np.pi, m)[ring]
    u, v = radius * np.cos(angle) * stretch, radius * np.sin(angle) / stretch
    x, y = u * np.cos(turn) - v * np.sin(turn), u * np.sin(turn) + v * np.cos(turn)
    nxt = np.arange(1, len(ring) + 1)
    nxt[starts + k - 1] = starts
    planar = 0.5 * np.bincount(ring, x * y[nxt] - x[nxt] * y, minlength=m)
    scale = np.sqrt(area_m2 / planar)[ring]
    xy = np.column_stack([x * scale, y * scale])
    reach = np.zeros(m)
    np.maximum.at(reach, ring, np.hypot(xy[:, 0], xy[:, 1]))
    return xy, ring, reach


def _shapes(
    rng: np.random.Generator, lon: FloatArray, lat: FloatArray, area_m2: FloatArray, two_parts: npt.NDArray[np.bool_]
) -> npt.NDArray[np.object_]:
    """MultiPolygons of the given total area centred near (lon, lat), some in two parts."""
    second = np.flatnonzero(two_parts)
    share = np.ones(len(area_m2))
    share[second] = rng.uniform(0.3, 0.7, len(second))
    owner = np.concatenate([np.arange(len(area_m2)), second])
    part_area = np.concatenate([area_m2 * share, area_m2[second] * (1 - share[second])])
    xy, ring, reach = _rings(rng, part_area)
    # Offset the second part beyond both parts' reach so the two can never overlap.
    gap = (reach[: len(area_m2)][second] + reach[len(area_m2) :]) * rng.uniform(1.05, 1.5, len(second))
    bearing = rng.uniform(0, 2 * np.pi, len(second))
    shift = np.zeros((len(owner), 2))
    shift[len(area_m2) :] = np.column_stack([gap * np.cos(bearing), gap * np.sin(bearing)])
    xy = xy + shift[ring]
    per_lon, per_lat = metres_per_degree(lat[owner][ring])
    coords = np.round(
        np.column_stack([lon[owner][ring] + xy[:, 0] / per_lon, lat[owner][ring] + xy[:, 1] / per_lat]), 6
    )
    polygons = shapely.polygons(shapely.linearrings(coords, indices=ring))
    order = np.argsort(owner, kind="stable")
    return shapely.multipolygons(polygons[order], indices=owner[order])


def _choice(rng: np.random.Generator, table: dict[str, float], n: int) -> npt.NDArray[np.object_]:
    """Weighted draw of n codes from a {code: weight} table."""
    codes, weights = list(table), np.array(list(table.values()))
    return np.array(codes, dtype=object)[rng.choice(len(codes), n, p=weights / weights.sum())]


def _lists(
    rng: np.random.Generator,
    table: dict[str, float],
    counts: IntArray,
    forced: str | None = None,
    force: npt.NDArray[np.bool_] | None = None,
) -> list[list[str]]:
    """Per row, `counts` distinct codes drawn by weight (Gumbel top-k), in table order."""
    codes, weights = list(table), np.array(list(table.values()))
    keys = np.log(weights) + rng.gumbel(size=(len(counts), len(codes)))
    if forced is not None and force is not None:
        keys[force, codes.index(forced)] = np.inf
    chosen = np.argsort(np.argsort(-keys, axis=1), axis=1) < counts[:, None]
    # Rows map to one of 2**len(codes) subsets, so build each subset once, not per row.
    bits = chosen.astype(np.int64) @ (1 << np.arange(len(codes)))
    subsets = [[c for j, c in enumerate(codes) if b >> j & 1] for b in range(1 << len(codes))]
    return [subsets[b].copy() for b in bits.tolist()]


def _dates(start: np.datetime64, offset_days: FloatArray) -> npt.NDArray[np.object_]:
    """datetime.date objects `offset_days` (floored) after start."""
    return (start + offset_days.astype(np.int64)).astype("datetime64[D]").astype(object)


def _where_none(keep: npt.NDArray[np.bool_], values: npt.NDArray[np.object_]) -> pd.Series:
    """Object series of values where keep, else None (not NaN, so rows map straight to SQL NULL)."""
    out = np.full(len(values), None, dtype=object)
    out[keep] = values[keep]
    return pd.Series(out, dtype=object)


def generate_hazardous_areas(n: int = 2000, seed: int = 20241125) -> gpd.GeoDataFrame:
    """Synthetic hazardous areas (n rows) in the eastern and southern oblasts, reproducible by seed."""
    rng = np.random.default_rng(seed)
    hromadas = read_hromadas()
    # Hromadas occupied since 2014 have no area in the source, so no placement radius.
    keep = hromadas["oblast_name"].isin(list(OBLAST_WEIGHTS)) & hromadas["square_km"].notna()
    hromadas = hromadas[keep].reset_index(drop=True)
    # Within an oblast, larger hromadas get proportionally more areas.
    oblast_km2 = hromadas.groupby("oblast_name")["square_km"].transform("sum")
    weight = hromadas["oblast_name"].map(OBLAST_WEIGHTS) * hromadas["square_km"] / oblast_km2
    h = hromadas.iloc[rng.choice(len(hromadas), n, p=(weight / weight.sum()).to_numpy())]

    lat0, lon0 = h["lat"].to_numpy(), h["lon"].to_numpy()
    offset_m = np.sqrt(h["square_km"].to_numpy() / np.pi) * 1000 * np.sqrt(rng.uniform(size=n))
    bearing = rng.uniform(0, 2 * np.pi, n)
    per_lon, per_lat = metres_per_degree(lat0)
    lat = lat0 + offset_m * np.sin(bearing) / per_lat
    lon = lon0 + offset_m * np.cos(bearing) / per_lon
    area = np.clip(rng.lognormal(np.log(MEDIAN_AREA_M2), AREA_SIGMA, n), MIN_AREA_M2, MAX_AREA_M2)
    two_parts = rng.uniform(size=n) < 0.10
    geometry = _shapes(rng, lon, lat, area, two_parts)
    # Rounding to 6 decimals can rarely pinch a tiny ring: redraw those until all are valid.
    while (bad := np.flatnonzero(~shapely.is_valid(geometry))).size:
        geometry[bad] = _shapes(rng, lon[bad], lat[bad], area[bad], two_parts[bad])

    cha = rng.uniform(size=n) < 0.40
    persistence = _choice(rng, PERSISTENCE, n)
    self_deact = persistence == "self_deactivating"
    reported_off = rng.uniform(0, (LAST_DAY - REPORTED_FROM).astype(int) + 1, n)
    emplaced_off = rng.uniform(0, (LAST_DAY - EMPLACED_FROM).astype(int) + 1, n)
    emplaced = _dates(EMPLACED_FROM, emplaced_off)
    # A self-deactivating mine can only be reported after it was laid.
    after = rng.uniform(size=n) * ((LAST_DAY - EMPLACED_FROM).astype(int) + 1 - emplaced_off)
    reported = np.where(self_deact, _dates(EMPLACED_FROM, emplaced_off + after), _dates(REPORTED_FROM, reported_off))
    direct = _lists(rng, DIRECT_EVIDENCE, np.where(cha, rng.choice([1, 2], n, p=[0.7, 0.3]), 0))
    indirect_n = np.where(
        cha, rng.choice([0, 1, 2], n, p=[0.4, 0.4, 0.2]), rng.choice([1, 2, 3], n, p=[0.5, 0.35, 0.15])
    )
    indirect = _lists(rng, INDIRECT_EVIDENCE, indirect_n)
    # Confirmed areas rest on better information than suspected ones.
    reliability = np.where(
        cha,
        rng.choice(np.arange(1, 7), n, p=[0.35, 0.35, 0.2, 0.05, 0.03, 0.02]),
        rng.choice(np.arange(1, 7), n, p=[0.02, 0.1, 0.3, 0.3, 0.18, 0.1]),
    )
    letters = np.array(list("ABCDEF"), dtype=object)
    source_rel = np.where(
        cha,
        letters[rng.choice(6, n, p=[0.3, 0.35, 0.2, 0.1, 0.03, 0.02])],
        letters[rng.choice(6, n, p=[0.05, 0.15, 0.3, 0.25, 0.15, 0.1])],
    )
    landowner = _choice(rng, LANDOWNERS, n)
    returnees = np.floor(rng.lognormal(np.log(40), 1.3, n)).astype(int)
    has_returnees = rng.uniform(size=n) < 0.6

    ids = np.arange(1, n + 1)
    frame = pd.DataFrame(
        {
            "external_id": [f"DEMO-{i:06d}" for i in ids],
            "source": DEMO_SOURCE,
            "name": [f"Synthetic area {i} near {c}" for i, c in zip(ids, h["hromada_center"], strict=True)],
            "notes": NOTES,
            "classification": np.where(cha, "CHA", "SHA"),
            "status": np.where(rng.uniform(size=n) < 0.15, "worked_on", "open"),
            "contamination_types": _lists(
                rng, CONTAMINATION, rng.choice([1, 2, 3], n, p=[0.45, 0.35, 0.2]), forced="ap_mine", force=self_deact
            ),
            "evidence": [d + i for d, i in zip(direct, indirect, strict=True)],
            "information_reliability": reliability.astype(int),
            "source_reliability": source_rel,
            "device_persistence": persistence,
            "emplacement_date": _where_none(self_deact, emplaced),
            "reporting_source": _choice(rng, REPORTING_SOURCES, n),
            "reported_on": pd.Series(reported, dtype=object),
            "oblast_code": h["oblast_code"].to_numpy(),
            "raion_code": h["raion_code"].to_numpy(),
            "hromada_code": h["hromada_code"].to_numpy(),
            "blockages": _lists(rng, BLOCKAGES, rng.choice([0, 1, 2, 3], n, p=[0.15, 0.45, 0.28, 0.12])),
            "landowner": _where_none(landowner != "", landowner),
            "returnees_expected": pd.Series(
                [int(r) if ok else None for r, ok in zip(returnees.tolist(), has_returnees, strict=True)], dtype=object
            ),
            "original_area_m2": ellipsoid_areas_m2(geometry),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry), crs="EPSG:4326")
