"""Seeded generator of a SYNTHETIC record of work done on the demo hazardous areas of gis.demo.areas.

Every activity, release, task, find and accident produced here is invented for demos and load
tests: none of it describes real work. Land is released only by survey and clearance (NTS
cancels, TS reduces, clearance and BAC clear; never by the passage of time, docs/mine-action.md §4.7), and
every release is counted with gis.land_release.apply_release, so conservation holds (§4.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

from gis.geometry import polygonal
from gis.land_release import Account, apply_release
from gis.units import METRES_PER_DEGREE

KIND = {"nts": "cancelled", "ts": "reduced", "clearance": "cleared", "bac": "cleared"}
MINE_LIKE = frozenset({"ap_mine", "at_mine", "ied", "booby_trap"})
# fmt: off
# m² per team-day: NTS walks and asks, TS samples with detectors, clearance searches every m².
RATES = {"nts": (20_000.0, 200_000.0), "ts": (2_000.0, 10_000.0), "clearance": (300.0, 3_000.0),
         "bac": (300.0, 3_000.0)}
MODELS = {
    "ap_mine": ["PMN-2", "PMN-1", "POM-2", "POM-3", "OZM-72", "MON-50", "PFM-1S"],
    "at_mine": ["TM-62M", "TM-62P3", "TM-57", "TM-72", "PTM-1", "PTM-3"],
    "uxo": ["122 mm HE projectile", "152 mm HE projectile", "120 mm mortar bomb", "82 mm mortar bomb", "VOG-17"],
    "axo": ["RGD-5 hand grenade", "F-1 hand grenade", "VOG-25", "30 mm cartridge", "152 mm HE projectile"],
    "submunition": ["9N210 submunition", "9N235 submunition", "PTAB-1M", "ShOAB-0.5"],
    "ied": ["pressure-plate IED", "command-wire IED"],
    "booby_trap": ["F-1 grenade with tripwire", "RGD-5 grenade with tripwire", "MUV-2 fuze"],
}
ACCIDENT_TYPES = {"ap_mine": "mine", "at_mine": "mine", "uxo": "uxo_axo", "axo": "uxo_axo",
                  "submunition": "cluster", "ied": "ied", "booby_trap": "ied"}
MAX_DEPTH_CM = {"ap_mine": 15, "at_mine": 30, "uxo": 60, "axo": 30, "submunition": 20, "ied": 40, "booby_trap": 10}
FIND_RATE = {"nts": 0.05, "ts": 0.4, "clearance": 1.5, "bac": 1.5}  # per 20,000 m², before CHA and mine factors
# fmt: on
CATEGORIES = list(MODELS)
VICTIM_AGES = [0.03, 0.1, 0.6, 0.22, 0.05]  # 0-4, 5-17, 18-59, 60+, unknown: adults farm and travel
# Tasks that hold ground, as app.domain.vocabulary.ACTIVE_TASK_STATUSES (gis imports nothing of app;
# tests/test_codebase_rules.py keeps the two equal).
ACTIVE_TASK_STATUSES = ("assigned", "in_progress", "suspended")
ACCIDENTS_FROM = date(2022, 3, 1)
CUT_STEPS = 7  # bisection steps before interpolating: shares land within about 1 % of the drawn ones

FloatArray = npt.NDArray[np.float64]
Objects = npt.NDArray[np.object_]


@dataclass(frozen=True)
class PlannedRelease:
    """One submitted release polygon and the m² that land-release accounting counts for it."""

    kind: str
    method: str
    released_on: date
    geometry: MultiPolygon
    counted_m2: float


@dataclass(frozen=True)
class PlannedActivity:
    """One NTS, TS, clearance or BAC activity on one area, with the land it released."""

    area_index: int
    type: str
    operator_index: int
    team: str
    methods: list[str]
    status: str
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None
    clearance_depth_cm: int | None
    team_days: float
    releases: list[PlannedRelease]


@dataclass(frozen=True)
class PlannedTask:
    """A tasking order for one operator's team on one area (occasionally two nearby ones)."""

    reference: str
    operator_index: int
    team: str
    area_indices: list[int]
    status: str
    priority: int
    planned_start: date
    planned_end: date
    activity_positions: list[int]


@dataclass(frozen=True)
class PlannedFind:
    """An explosive item found by an activity, inside its hazardous area."""

    activity_position: int
    found_on: date
    point: Point
    category: str
    model: str | None
    condition: str
    depth_cm: int
    quantity: int
    fate: str
    persistence: str
    emplacement_date: date | None


@dataclass(frozen=True)
class PlannedAccident:
    """An explosive-ordnance accident in or near a hazardous area, with its victims."""

    area_index: int | None
    occurred_on: date
    point: Point
    type: str
    device_category: str | None
    victims: list[dict[str, str]]


@dataclass(frozen=True)
class DemoWork:
    """The whole synthetic work record, plus each area's status once all its releases are applied."""

    activities: list[PlannedActivity]
    tasks: list[PlannedTask]
    finds: list[PlannedFind]
    accidents: list[PlannedAccident]
    final_status: list[str]


@dataclass(frozen=True)
class _Input:
    """The inputs, read once as plain lists (row access through pandas is far too slow)."""

    hazards: Objects
    m2: list[float]
    contamination: list[list[str]]
    cha: list[bool]
    self_deactivating: list[bool]
    emplaced: list[date | None]
    reported: list[date]
    today: date
    n_operators: int

    def crew(self, rng: np.random.Generator) -> tuple[int, str]:
        """A random operator and one of its teams."""
        return int(rng.integers(self.n_operators)), f"Team {rng.integers(1, 9)}"

    def clear_kind(self, i: int) -> str:
        """Clearance where mines or traps are expected, battle area clearance where only ERW are."""
        return "clearance" if MINE_LIKE & set(self.contamination[i]) else "bac"


@dataclass
class _Step:
    """Mutable draft of one activity while its geometry, dates and task are worked out."""

    area: int
    type: str
    operator: int
    team: str
    methods: list[str]
    depth: int | None
    rate: float
    specs: list[tuple[float | None, float]] = field(default_factory=list)  # (share of remaining or None=all, buffer m)
    status: str = "completed"
    releases: list[PlannedRelease] = field(default_factory=list)
    counted: list[BaseGeometry] = field(default_factory=list)  # the land it released: finds lie there
    start: date | None = None
    end: date | None = None
    planned: tuple[date, date] = (date.min, date.min)
    team_days: float = 0.5

    def day_within(self, rng: np.random.Generator, today: date) -> date:
        """A random day from the start to the end (or today while ongoing)."""
        start = self.start or today
        return start + timedelta(int(rng.integers(0, ((self.end or today) - start).days + 1)))


def _new_step(rng: np.random.Generator, x: _Input, area: int, kind: str, crew: tuple[int, str]) -> _Step:
    """A draft activity with methods, clearance depth and work rate drawn for its type."""
    if kind == "nts":
        methods = ["nts", "drone_remote_sensing"] if rng.uniform() < 0.3 else ["nts"]
    elif kind == "ts":
        picked = rng.choice(["manual", "mechanical", "mdd"], int(rng.integers(1, 3)), replace=False, p=[0.5, 0.3, 0.2])
        methods = sorted(str(m) for m in picked)
    else:
        methods = ["manual", *["mechanical"] * (rng.uniform() < 0.4), *["mdd"] * (rng.uniform() < 0.2)]
    # AT mines and UXO lie deeper than AP mines, so the authority sets a deeper search.
    deep = kind == "bac" or "at_mine" in x.contamination[area]
    depth = int(rng.choice([25, 50] if deep else [13, 20])) if kind in ("clearance", "bac") else None
    lo, hi = RATES[kind]  # log-uniform: rates vary tenfold with ground, vegetation and method
    return _Step(area, kind, *crew, methods, depth, float(np.exp(rng.uniform(np.log(lo), np.log(hi)))))


def _plan_area(rng: np.random.Generator, x: _Input, area: int) -> list[_Step]:
    """The activities done on one worked area, in order, before their geometry and dates exist."""
    m2 = x.m2[area]
    # Big areas are rarely cleared to the last m² within the few years the demo covers.
    full = rng.uniform() < (0.46 if m2 < 2e5 else 0.2 if m2 < 1e6 else 0.05)
    nts, ts, clear = rng.uniform() < 0.9, rng.uniform() < 0.55, full or rng.uniform() < 0.35
    ongoing, cap = not full and rng.uniform() < 0.45, 0.03 * math.sqrt(m2)  # cap: sloppiness scales with size

    def spec(share: float | None, p_buffer: float, most_m: float) -> tuple[float | None, float]:
        return share, min(cap, float(rng.uniform(1, most_m))) if rng.uniform() < p_buffer else 0.0

    crew, steps = x.crew(rng), []
    if nts or not (ts or clear):
        steps.append(_new_step(rng, x, area, "nts", crew))
        steps[-1].specs = [spec(float(rng.uniform(0.1, 0.6)), 0.25, 20)]
    if ts:
        steps.append(_new_step(rng, x, area, "ts", crew))
        steps[-1].specs = [spec(float(rng.uniform(0.2, 0.7)), 0.5, 10)]
    if clear:  # survey operators often hand clearance on to another operator
        steps.append(_new_step(rng, x, area, x.clear_kind(area), x.crew(rng) if rng.uniform() < 0.3 else crew))
        steps[-1].specs = [spec(float(rng.uniform(0.15, 0.6)), 0.2, 5) for _ in range(int(rng.integers(1, 3)))]
        if full:  # progress strips, then the whole hazard, so that nothing remains
            steps[-1].specs[-1] = spec(None, 0.5, 5)
    if sum(len(s.specs) for s in steps) > (x.today - x.reported[area]).days:  # each release needs its own day
        steps = steps[:1]
        steps[0].specs = steps[0].specs[:1]
    steps[-1].status = "ongoing" if ongoing else "completed"
    return steps


def _cut(rng: np.random.Generator, geoms: Objects, share: FloatArray) -> Objects:
    """The part of each geometry on one side of a random straight line, holding `share` of its area."""
    theta = rng.uniform(0, 2 * np.pi, len(geoms))
    x0, y0, x1, y1 = shapely.bounds(geoms).T
    # Local frame with x scaled by cos(lat), so that directions and widths hold on the ground.
    cx, cy, k = (x0 + x1) / 2, (y0 + y1) / 2, np.cos(np.radians((y0 + y1) / 2))
    u = np.column_stack([np.cos(theta), np.sin(theta)])
    v = np.column_stack([-u[:, 1], u[:, 0]])
    hx, hy = (x1 - x0) / 2 * k, (y1 - y0) / 2
    half, reach = np.abs(u[:, 0]) * hx + np.abs(u[:, 1]) * hy + 1e-12, (4 * np.hypot(hx, hy) + 1e-9)[:, None]
    total = np.maximum(shapely.area(geoms), 1e-30)

    def side(c: FloatArray) -> Objects:
        p, q = c[:, None] * u, (c[:, None] - reach) * u
        xy = np.stack([p + reach * v, p - reach * v, q - reach * v, q + reach * v, p + reach * v], axis=1)
        xy[..., 0] = cx[:, None] + xy[..., 0] / k[:, None]
        xy[..., 1] += cy[:, None]
        return np.asarray(shapely.polygons(xy))

    lo, hi, at_lo, at_hi = -half, half, np.zeros(len(geoms)), np.ones(len(geoms))
    for _ in range(CUT_STEPS):
        mid = (lo + hi) / 2
        got = shapely.area(shapely.intersection(geoms, side(mid))) / total
        low = got < share
        lo, hi = np.where(low, mid, lo), np.where(low, hi, mid)
        at_lo, at_hi = np.where(low, got, at_lo), np.where(low, at_hi, got)
    # Within the last bracket the share grows almost linearly with the offset of the line.
    c = lo + (hi - lo) * np.clip((share - at_lo) / np.maximum(at_hi - at_lo, 1e-12), 0, 1)
    return np.asarray(shapely.intersection(geoms, side(c)))


def _release(rng: np.random.Generator, x: _Input, done: dict[int, list[_Step]]) -> dict[int, Account]:
    """Build every submitted polygon and count it with apply_release, in each area's order."""
    accounts = {i: Account.open(x.hazards[i]) for i in done}
    queues = {i: [(s, k) for s in steps for k in range(len(s.specs))] for i, steps in done.items()}
    for rank in range(max((len(q) for q in queues.values()), default=0)):
        # The rank-th releases of all areas are cut together: shapely's array overlays are fast.
        todo = [(i, *q[rank]) for i, q in queues.items() if rank < len(q)]
        parts = [(i, s.specs[k][0]) for i, s, k in todo if s.specs[k][0] is not None]
        remaining = np.array([accounts[i].remaining for i, _ in parts], dtype=object)
        pieces = dict(zip([i for i, _ in parts], _cut(rng, remaining, np.array([f for _, f in parts])), strict=True))
        for i, s, k in todo:
            share, buffer_m = s.specs[k]
            shape = x.hazards[i] if share is None else pieces[i]
            if buffer_m:  # a sloppy outline: sticks out of the hazard, overlaps land released before
                shape = shapely.buffer(shape, buffer_m / METRES_PER_DEGREE, join_style="mitre")
            submitted = polygonal(shape)
            outcome = apply_release(accounts[i], submitted)
            accounts[i] = outcome.account
            s.counted.append(outcome.counted)
            method = "nts" if s.type == "nts" and rng.uniform() < 0.6 else str(rng.choice(s.methods))
            s.releases.append(PlannedRelease(KIND[s.type], method, date.min, submitted, outcome.counted_m2))
    return accounts


def _team_days(m2: float, rate: float) -> float:
    """Team-days to release m² at a rate, to the half day, at least half a day."""
    return max(0.5, round(m2 / rate * 2) / 2)


def _span_days(team_days: float) -> int:
    """Calendar days for a job: big jobs get up to ten teams at once; 7/5 turns working days into days."""
    return round(team_days / min(10, math.ceil(team_days / 40)) * 1.4)


def _schedule(rng: np.random.Generator, x: _Input, area: int, steps: list[_Step]) -> None:
    """Dates for one area's done activities: strictly increasing, after reported_on, none after today."""
    reported, window = x.reported[area], (x.today - x.reported[area]).days
    for s in steps:
        s.team_days = _team_days(sum(r.counted_m2 for r in s.releases), s.rate)
    gaps = rng.lognormal(np.log([30] + [45] * (len(steps) - 1)), 0.8).round().tolist()
    mins = np.array([v for s in steps for v in (1, len(s.releases) - 1)], dtype=float)
    want = np.maximum(mins, [v for g, s in zip(gaps, steps, strict=True) for v in (g, _span_days(s.team_days))])
    ongoing = steps[-1].status == "ongoing"
    # Ongoing work reported progress recently; a long silence marks its task as suspended.
    budget = window - (min(int(rng.exponential(20)), window - int(mins.sum())) if ongoing else 0)
    extra, room = want - mins, budget - mins.sum()
    if extra.sum() > room:  # squeeze the plan into the days between the report and today
        extra = np.floor(extra * room / extra.sum())
    elif ongoing:
        extra[0::2] += np.floor(rng.dirichlet(np.ones(len(steps))) * (room - extra.sum()))
    cursor = reported
    for s, (gap, span) in zip(steps, (mins + extra).astype(int).reshape(-1, 2).tolist(), strict=True):
        s.start = cursor + timedelta(gap)
        cursor = s.start + timedelta(span)
        days = [s.start + timedelta(span // 2)] * (len(s.releases) - 1) + [cursor]
        s.releases = [replace(r, released_on=d) for r, d in zip(s.releases, days, strict=True)]
        s.end = cursor if s.status == "completed" else None
        first = max(reported + timedelta(1), s.start - timedelta(int(rng.integers(0, 15))))
        s.planned = first, first + timedelta(round(span * rng.uniform(0.8, 1.5)))


def _future(
    rng: np.random.Generator, x: _Input, done: dict[int, list[_Step]], accounts: dict[int, Account]
) -> list[_Step]:
    """Next work tasked to start within six months: on a third of unfinished worked areas, 5 % of the rest."""
    out = []
    for i in range(len(x.hazards)):
        if (i in accounts and accounts[i].is_exhausted) or rng.uniform() >= (0.35 if i in done else 0.05):
            continue
        kinds, last = {s.type for s in done.get(i, [])}, done[i][-1] if i in done else None
        kind = x.clear_kind(i) if kinds - {"nts"} else "ts" if kinds or x.cha[i] else "nts"
        s = _new_step(rng, x, i, kind, (last.operator, last.team) if last else x.crew(rng))
        share = 1.0 if kind in ("clearance", "bac") else float(rng.uniform(0.3, 0.8))
        s.status, s.team_days = "planned", _team_days((accounts[i].remaining_m2 if last else x.m2[i]) * share, s.rate)
        first = x.today + timedelta(int(rng.integers(7, 181)))
        s.planned = first, first + timedelta(_span_days(s.team_days) + 1)
        out.append(s)
    return out


def _points_in(rng: np.random.Generator, geom: BaseGeometry, k: int) -> list[Point]:
    """Pick k random points inside a polygonal geometry, by rejection sampling in its bounding box."""
    x0, y0, x1, y1 = geom.bounds
    found: list[Point] = []
    for _ in range(50):
        xs, ys = rng.uniform(x0, x1, 4 * k + 16), rng.uniform(y0, y1, 4 * k + 16)
        found += shapely.points(xs, ys)[shapely.contains_xy(geom, xs, ys)].tolist()
        if len(found) >= k:
            return found[:k]
    return found + [geom.point_on_surface()] * (k - len(found))


def _ground(x: _Input, step: _Step) -> BaseGeometry:
    """The land an activity released (where its finds and accidents happen), else its whole hazard."""
    ground = shapely.union_all(step.counted)
    return ground if ground.area > 0 else x.hazards[step.area]


def _finds(rng: np.random.Generator, x: _Input, steps: list[_Step]) -> list[PlannedFind]:
    """Items found by done activities: clearance finds most, on confirmed areas with mines most of all."""
    out = []
    for pos, s in enumerate(steps):
        contamination = x.contamination[s.area]
        size = min(6.0, max(0.3, math.sqrt(sum(r.counted_m2 for r in s.releases) / 20_000)))
        mean = FIND_RATE[s.type] * (2.0 if x.cha[s.area] else 0.6) * (1.5 if MINE_LIKE & set(contamination) else 1.0)
        count = int(rng.poisson(mean * size)) if s.status != "planned" else 0
        for point in _points_in(rng, _ground(x, s), count) if count else []:
            category = str(rng.choice(contamination if rng.uniform() < 0.9 else CATEGORIES))
            # Only where the register records self-deactivating mines can a find be one.
            self_deact = category == "ap_mine" and x.self_deactivating[s.area]
            model = None if self_deact or rng.uniform() < 0.05 else str(rng.choice(MODELS[category]))
            depth = min(int(rng.integers(0, MAX_DEPTH_CM[category] + 1)), s.depth or 999)
            condition = str(rng.choice(["intact", "damaged", "corroded", "armed"], p=[0.5, 0.2, 0.2, 0.1]))
            quantity = 1 + int(rng.poisson(2)) if category in ("submunition", "axo") else 1
            fate = str(rng.choice(["destroyed_in_situ", "removed", "rendered_safe"], p=[0.7, 0.2, 0.1]))
            persistence, emplaced = ("self_deactivating", x.emplaced[s.area]) if self_deact else ("persistent", None)
            found = (s.day_within(rng, x.today), point, category, model, condition, depth, quantity, fate)
            out.append(PlannedFind(pos, *found, persistence, emplaced))
    return out


def _victims(rng: np.random.Generator, deminer: bool) -> list[dict[str, str]]:
    """One to three victims; deminers are adults and more often survive (protective equipment)."""
    count = 1 + int(rng.choice(3, p=[0.8, 0.2, 0.0] if deminer else [0.7, 0.2, 0.1]))
    sex_p, age_p = ([0.85, 0.15, 0], [0, 0, 0.97, 0.03, 0]) if deminer else ([0.7, 0.22, 0.08], VICTIM_AGES)
    return [
        {
            "outcome": "killed" if rng.uniform() < (0.15 if deminer else 0.3) else "injured",
            "sex": str(rng.choice(["male", "female", "unknown"], p=sex_p)),
            "age_band": str(rng.choice(["0-4", "5-17", "18-59", "60+", "unknown"], p=age_p)),
            "role": "deminer" if deminer else "civilian" if rng.uniform() < 0.95 else "unknown",
        }
        for _ in range(count)
    ]


def _accidents(rng: np.random.Generator, x: _Input, steps: list[_Step]) -> list[PlannedAccident]:
    """About one accident per 25 areas since March 2022, mostly civilians; some hit deminers at work."""
    clearing = [s for s in steps if s.type in ("clearance", "bac") and s.status != "planned"]
    out = []
    for _ in range(int(rng.poisson(len(x.hazards) / 25))):
        if deminer := bool(clearing) and rng.uniform() < 0.15:
            s = clearing[int(rng.integers(len(clearing)))]
            i, day, point = s.area, s.day_within(rng, x.today), _points_in(rng, _ground(x, s), 1)[0]
        else:
            i = int(rng.integers(len(x.hazards)))
            day = ACCIDENTS_FROM + timedelta(int(rng.integers(0, max(1, (x.today - ACCIDENTS_FROM).days + 1))))
            point = _points_in(rng, x.hazards[i], 1)[0]
            if rng.uniform() < 0.3:  # people also step just outside the mapped polygon
                reach, bearing = rng.uniform(30, 400) / METRES_PER_DEGREE, rng.uniform(0, 2 * np.pi)
                dx, dy = reach * np.cos(bearing) / np.cos(np.radians(point.y)), reach * np.sin(bearing)
                point = Point(point.x + dx, point.y + dy)
        category = str(rng.choice(x.contamination[i])) if deminer or rng.uniform() < 0.95 else None
        kind = "demining_accident" if deminer else ACCIDENT_TYPES[category] if category else "other"
        area = i if deminer or x.hazards[i].contains(point) else None
        out.append(PlannedAccident(area, day, point, kind, category, _victims(rng, deminer)))
    return out


def _merge_nearby(
    rng: np.random.Generator, x: _Input, steps: list[_Step], groups: dict[tuple[int, str], list[int]]
) -> None:
    """Fold about one finished group in ten into a nearby one (within 15 km) of the same operator and phase."""
    centres = shapely.centroid(x.hazards)
    lat = shapely.get_y(centres)
    km = np.column_stack([shapely.get_x(centres) * 111.32 * np.cos(np.radians(lat)), lat * 110.57])
    pools: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for key, positions in groups.items():
        if key[1] != "planned" and all(steps[p].status == "completed" for p in positions):
            pools.setdefault((steps[positions[0]].operator, key[1]), []).append(key)
    for pool in pools.values():
        xy, taken = km[[key[0] for key in pool]], np.zeros(len(pool), dtype=bool)
        for i in range(len(pool)):
            if taken[i] or rng.uniform() >= 0.1:
                continue
            gap = np.where(taken, np.inf, np.hypot(*(xy - xy[i]).T))
            gap[i] = np.inf
            if gap[j := int(np.argmin(gap))] < 15:
                taken[[i, j]] = True
                for p in groups.pop(pool[j]):
                    steps[p].team = steps[groups[pool[i]][0]].team  # one task, one team
                    groups[pool[i]].append(p)


def _tasks(rng: np.random.Generator, x: _Input, steps: list[_Step]) -> list[PlannedTask]:
    """Tasking orders for each area's survey, clearance and planned work, with statuses that follow it."""
    groups: dict[tuple[int, str], list[int]] = {}
    for pos, s in enumerate(steps):
        phase = "planned" if s.status == "planned" else "survey" if s.type in ("nts", "ts") else "clearance"
        # Some NTS runs under a general survey mandate rather than a tasking order.
        if phase != "survey" or (s.area, phase) in groups or rng.uniform() < 0.85:
            groups.setdefault((s.area, phase), []).append(pos)
    _merge_nearby(rng, x, steps, groups)
    tasks: list[PlannedTask] = []
    busy: set[int] = set()
    for positions in groups.values():
        acts = [steps[p] for p in positions]
        areas = sorted({s.area for s in acts})
        if any(s.status == "ongoing" for s in acts):
            last = max(r.released_on for s in acts for r in s.releases)
            status = "suspended" if (x.today - last).days > 60 else "in_progress"
        elif acts[0].status == "completed":
            status = str(rng.choice(["completed", "qa_passed", "qa_failed"], p=[0.4, 0.5, 0.1]))
        else:  # deconfliction (docs/mine-action.md §4.5): work already active on the area keeps this a draft
            status = "draft" if busy & set(areas) or rng.uniform() < 0.4 else "assigned"
        busy.update(areas if status in ACTIVE_TASK_STATUSES else [])
        mines = any(MINE_LIKE & set(x.contamination[i]) for i in areas)
        priority = int(np.clip(3 - x.cha[areas[0]] - mines + rng.integers(-1, 2), 1, 5))  # 1 = most urgent
        dates = min(s.planned[0] for s in acts), max(s.planned[1] for s in acts)
        ref, crew = f"DEMO-T-{len(tasks) + 1:04d}", (acts[0].operator, acts[0].team)
        tasks.append(PlannedTask(ref, *crew, areas, status, priority, *dates, positions))
    return tasks


def plan_demo_work(
    areas: gpd.GeoDataFrame, *, n_operators: int, seed: int, today: date = date(2025, 11, 1)
) -> DemoWork:
    """Synthetic, reproducible work on `areas` (rows of gis.demo.areas.generate_hazardous_areas) up to `today`."""
    rng = np.random.default_rng(seed)
    x = _Input(
        np.asarray(areas.geometry.to_numpy(), dtype=object),
        areas["original_area_m2"].astype(float).tolist(),
        [list(c) for c in areas["contamination_types"]],
        (areas["classification"] == "CHA").tolist(),
        (areas["device_persistence"] == "self_deactivating").tolist(),
        areas["emplacement_date"].tolist(),
        areas["reported_on"].tolist(),
        today,
        n_operators,
    )
    # Every area the register marks as worked on gets work, and about 30 % of the open ones.
    worked = (areas["status"].to_numpy() == "worked_on") | (rng.uniform(size=len(areas)) < 0.3)
    done = {i: _plan_area(rng, x, i) for i in np.flatnonzero(worked).tolist() if x.reported[i] < today}
    accounts = _release(rng, x, done)
    for i, area_steps in done.items():
        _schedule(rng, x, i, area_steps)
    steps = sorted(
        [s for area_steps in done.values() for s in area_steps] + _future(rng, x, done, accounts), key=lambda s: s.area
    )
    tasks, finds, accidents = _tasks(rng, x, steps), _finds(rng, x, steps), _accidents(rng, x, steps)
    activities = [
        PlannedActivity(
            s.area,
            s.type,
            s.operator,
            s.team,
            s.methods,
            s.status,
            *s.planned,
            s.start,
            s.end,
            s.depth,
            s.team_days,
            s.releases,
        )
        for s in steps
    ]
    exhausted = {i for i, account in accounts.items() if account.is_exhausted}
    final = ["closed" if i in exhausted else "worked_on" if i in done else "open" for i in range(len(areas))]
    return DemoWork(activities, tasks, finds, accidents, final)
