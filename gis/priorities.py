"""Clearance priority criteria and the weighted-sum score (docs/mine-action.md §5), as pure array code.

Each criterion turns one measurable indicator into a value in [0, 1] with a documented formula;
a scenario's weights (points, ≥ 0) multiply them, and the score is the plain sum of those
contributions, so every score can be explained term by term and removing a weight removes
exactly that term. Distances and areas are measured in a Ukraine-centred Lambert azimuthal
equal-area projection: areas exact, distances within 0.3 % across the country.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import date

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Transformer

LOCAL_CRS = "+proj=laea +lat_0=48.5 +lon_0=31.5 +ellps=WGS84 +units=m +no_defs"
_TO_LOCAL = Transformer.from_crs("EPSG:4326", LOCAL_CRS, always_xy=True)

FloatArray = npt.NDArray[np.float64]
Geoms = npt.NDArray[np.object_]


@dataclass(frozen=True)
class Criterion:
    """One indicator: its unit, how it is normalised to [0, 1], and whether more raises priority."""

    name: str
    unit: str
    formula: str
    direction: str = "up"


CRITERIA = (
    Criterion(
        "population",
        "people (distance-weighted)",
        "P = Σ population × (1 − d/R_pop) over settlements within R_pop; value = 1 − exp(−P / P_ref)",
    ),
    Criterion(
        "casualties",
        "weighted victims",
        "C = Σ w_age × (1 + victims) × (1 − d/R_acc) over accidents within R_acc, w_age = 1 within "
        "recent_months, older_weight within older_months, else 0; value = 1 − exp(−C / C_ref)",
    ),
    Criterion(
        "farmland",
        "m² of farmland inside",
        "F = farmland m² inside the remaining area; value = min(F / remaining m², 1)",
    ),
    Criterion("roads", "m of road inside", "L = road length inside the remaining area; value = 1 − exp(−L / L_ref)"),
    Criterion(
        "services",
        "facilities (distance-weighted)",
        "S = Σ (1 − d/R_srv) over schools, health facilities and water points within R_srv; "
        "value = 1 − exp(−S / S_ref)",
    ),
    Criterion(
        "infrastructure",
        "assets (distance-weighted)",
        "I = Σ (1 − d/R_inf) over power and other infrastructure within R_inf; value = 1 − exp(−I / I_ref)",
    ),
    Criterion("recorded_blockages", "blockage codes", "B = blockages recorded by survey; value = min(B / 3, 1)"),
    Criterion(
        "device_severity",
        "severity 0–1",
        "value = highest severity among the area's contamination types (configurable table); "
        "self-deactivating devices are scored like any other",
    ),
    Criterion("evidence", "0–1", "value = 0.6 × (1 if CHA else 0) + 0.4 × (6 − reliability) / 5 (0.5 if unknown)"),
    Criterion("returns", "people expected to return", "R = returnees expected; value = 1 − exp(−R / R_ref)"),
    Criterion(
        "feasibility",
        "USD estimated cost",
        "cost = remaining m² × cost per m² by classification; value = exp(−cost / cost_ref)",
        "down",
    ),
)
CRITERION_NAMES = tuple(c.name for c in CRITERIA)
SERVICE_LAYERS = ("school", "health", "water")
INFRASTRUCTURE_LAYERS = ("power", "infrastructure")


@dataclass(frozen=True)
class Parameters:
    """Distances (m), reference values and tables used by the criteria; saved with each scenario version."""

    population_reach_m: float = 10_000.0
    population_ref: float = 10_000.0
    accident_reach_m: float = 5_000.0
    accident_ref: float = 2.0
    recent_months: int = 12
    older_months: int = 24
    older_weight: float = 0.5
    service_reach_m: float = 1_000.0
    service_ref: float = 1.0
    infrastructure_reach_m: float = 500.0
    infrastructure_ref: float = 1.0
    road_ref_m: float = 500.0
    returnees_ref: float = 100.0
    cost_ref_usd: float = 250_000.0
    cost_per_m2_usd: dict[str, float] = field(default_factory=lambda: {"SHA": 0.5, "CHA": 2.5})
    severity: dict[str, float] = field(
        default_factory=lambda: {
            "ap_mine": 1.0,
            "ied": 1.0,
            "submunition": 1.0,
            "booby_trap": 0.9,
            "at_mine": 0.6,
            "uxo": 0.4,
            "axo": 0.3,
        }
    )
    front_line_gate_km: float | None = None

    @classmethod
    def from_dict(cls, values: dict[str, object]) -> Parameters:
        """Parameters from saved JSON; unknown names are an error rather than silently ignored."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**values)  # type: ignore[arg-type]

    @property
    def max_reach_m(self) -> float:
        """The farthest any criterion looks from an area."""
        return max(self.population_reach_m, self.accident_reach_m, self.service_reach_m, self.infrastructure_reach_m)


@dataclass(frozen=True)
class Areas:
    """The areas to score: remaining land in lon/lat and the attributes the criteria read."""

    geometry: Geoms
    classification: list[str]
    contamination_types: list[list[str]]
    information_reliability: list[int | None]
    blockages: list[list[str]]
    returnees_expected: list[int | None]
    remaining_m2: FloatArray


@dataclass(frozen=True)
class Context:
    """Everything around the areas, in lon/lat."""

    settlements: Geoms
    population: FloatArray
    accidents: Geoms
    accident_dates: list[date]
    victims: FloatArray
    layers: dict[str, Geoms]


@dataclass(frozen=True)
class Scored:
    """Per-area values of every criterion, contributions, scores and gates."""

    values: dict[str, FloatArray]
    raw: dict[str, FloatArray]
    contributions: dict[str, FloatArray]
    score: FloatArray
    gated: list[str | None]


def criteria(
    areas: Areas, context: Context, p: Parameters, today: date, *, workers: int = 2
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Raw indicators and their [0, 1] values for every area."""
    n = len(areas.geometry)
    age = np.array([_age_weight(d, today, p) for d in context.accident_dates])
    layers = {
        "settlements": _local(context.settlements),
        "accidents": _local(context.accidents),
        "farmland": _local(context.layers.get("farmland")),
        "roads": _local(context.layers.get("road")),
        "services": np.concatenate([_local(context.layers.get(layer)) for layer in SERVICE_LAYERS]),
        "assets": np.concatenate([_local(context.layers.get(layer)) for layer in INFRASTRUCTURE_LAYERS]),
    }
    weights = {
        "settlements": context.population,
        "accidents": age * (1 + context.victims),
        "services": np.ones(len(layers["services"])),
        "assets": np.ones(len(layers["assets"])),
    }

    def spatial(rows: npt.NDArray[np.intp]) -> dict[str, FloatArray]:
        shapes = _local(areas.geometry[rows])
        return {
            "population": _reach(shapes, layers["settlements"], p.population_reach_m, weights["settlements"]),
            "casualties": _reach(shapes, layers["accidents"], p.accident_reach_m, weights["accidents"]),
            "farmland": _inside(shapes, layers["farmland"], shapely.area),
            "roads": _inside(shapes, layers["roads"], shapely.length),
            "services": _reach(shapes, layers["services"], p.service_reach_m, weights["services"]),
            "infrastructure": _reach(shapes, layers["assets"], p.infrastructure_reach_m, weights["assets"]),
        }

    # GEOS and PROJ release the GIL: chunks of areas run on separate cores.
    chunks = [c for c in np.array_split(np.arange(n), max(1, min(workers, n // 10_000))) if len(c)] or [np.arange(0)]
    with ThreadPoolExecutor(len(chunks)) as pool:
        parts = list(pool.map(spatial, chunks))
    raw: dict[str, FloatArray] = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    raw["recorded_blockages"] = np.array([len(b) for b in areas.blockages], dtype=float)
    raw["device_severity"] = np.array(
        [max((p.severity.get(c, 0.0) for c in types), default=0.0) for types in areas.contamination_types]
    )
    cha = np.array([c == "CHA" for c in areas.classification], dtype=float)
    reliability = np.array([0.5 if r is None else (6 - r) / 5 for r in areas.information_reliability])
    raw["evidence"] = 0.6 * cha + 0.4 * reliability
    raw["returns"] = np.array([r or 0 for r in areas.returnees_expected], dtype=float)
    cost_per_m2 = np.array([p.cost_per_m2_usd.get(c, 0.0) for c in areas.classification])
    raw["feasibility"] = areas.remaining_m2 * cost_per_m2
    remaining = np.maximum(areas.remaining_m2, 1.0)
    values = {
        "population": _saturate(raw["population"], p.population_ref),
        "casualties": _saturate(raw["casualties"], p.accident_ref),
        "farmland": np.minimum(raw["farmland"] / remaining, 1.0),
        "roads": _saturate(raw["roads"], p.road_ref_m),
        "services": _saturate(raw["services"], p.service_ref),
        "infrastructure": _saturate(raw["infrastructure"], p.infrastructure_ref),
        "recorded_blockages": np.minimum(raw["recorded_blockages"] / 3, 1.0),
        "device_severity": raw["device_severity"],
        "evidence": raw["evidence"],
        "returns": _saturate(raw["returns"], p.returnees_ref),
        "feasibility": np.exp(-raw["feasibility"] / p.cost_ref_usd),
    }
    assert all(len(v) == n for v in values.values())
    return raw, values


def score(areas: Areas, context: Context, weights: dict[str, float], p: Parameters, today: date) -> Scored:
    """The weighted sum: contribution = weight × value; score = Σ contributions."""
    check_weights(weights)
    raw, values = criteria(areas, context, p, today)
    contributions = {name: weights.get(name, 0.0) * values[name] for name in CRITERION_NAMES}
    total = np.sum(np.vstack(list(contributions.values())), axis=0) if contributions else np.zeros(0)
    gated: list[str | None] = [None] * len(total)
    front = context.layers.get("front_line")
    if p.front_line_gate_km is not None and front is not None and len(front):
        line = shapely.union_all(_local(front))
        distance = shapely.distance(_local(areas.geometry), line)
        gated = [
            f"within {p.front_line_gate_km:g} km of the line of contact ({d / 1000:.1f} km)"
            if d < p.front_line_gate_km * 1000
            else None
            for d in distance
        ]
    return Scored(values=values, raw=raw, contributions=contributions, score=total, gated=gated)


def check_weights(weights: dict[str, float]) -> None:
    """Weights name known criteria and are finite and non-negative (so more need never lowers a score)."""
    unknown = sorted(set(weights) - set(CRITERION_NAMES))
    if unknown:
        raise ValueError(f"unknown criteria {', '.join(unknown)}; known: {', '.join(CRITERION_NAMES)}")
    bad = sorted(k for k, w in weights.items() if not (math.isfinite(w) and w >= 0))
    if bad:
        raise ValueError(f"weights must be finite and ≥ 0: {', '.join(bad)}")


def _local(geometries: Geoms | None) -> Geoms:
    """Lon/lat geometries in the local equal-area projection."""
    if geometries is None or len(geometries) == 0:
        return np.empty(0, dtype=object)
    local = shapely.transform(np.asarray(geometries, dtype=object), _project, interleaved=False)
    # Rings that nearly touch in lon/lat can cross after projection; overlays would then fail.
    invalid = ~shapely.is_valid(local)
    if invalid.any():
        local[invalid] = shapely.make_valid(local[invalid])
    return local


def _project(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    return _TO_LOCAL.transform(x, y)


def _reach(areas: Geoms, features: Geoms, reach_m: float, weight: FloatArray) -> FloatArray:
    """Σ weight × (1 − d / reach) over features within `reach` of each area (d = 0 inside)."""
    if len(features) == 0 or len(areas) == 0:
        return np.zeros(len(areas))
    area_i, feature_i = shapely.STRtree(features).query(areas, predicate="dwithin", distance=reach_m)
    decay = 1 - shapely.distance(areas[area_i], features[feature_i]) / reach_m
    return np.bincount(area_i, weights=weight[feature_i] * np.clip(decay, 0, 1), minlength=len(areas)).astype(float)


def _inside(areas: Geoms, features: Geoms, measure: Callable[[Geoms], FloatArray]) -> FloatArray:
    """Σ measure(area ∩ feature): m² of farmland or m of road inside each area."""
    if len(features) == 0 or len(areas) == 0:
        return np.zeros(len(areas))
    area_i, feature_i = shapely.STRtree(features).query(areas, predicate="intersects")
    # An area lying wholly inside a big field is the common case: no overlay needed for it.
    whole = shapely.covers(features[feature_i], areas[area_i])
    pieces = areas[area_i].copy()
    cut = ~whole
    pieces[cut] = shapely.intersection(areas[area_i[cut]], features[feature_i[cut]])
    return np.bincount(area_i, weights=measure(pieces), minlength=len(areas)).astype(float)


def _saturate(raw: FloatArray, ref: float) -> FloatArray:
    """1 − exp(−raw / ref): 0 for none, 0.63 at the reference value, → 1; never decreasing."""
    return 1 - np.exp(-raw / ref)


def _age_weight(on: date, today: date, p: Parameters) -> float:
    months = (today - on).days / 30.4375
    if months < 0:
        return 0.0
    return 1.0 if months <= p.recent_months else p.older_weight if months <= p.older_months else 0.0
