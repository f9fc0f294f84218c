"""Donor reports: every figure as an SQL aggregate, computed once and rendered by every output.

One consistent snapshot (a read-only repeatable-read transaction) feeds the JSON, CSV, XLSX and
PDF, so the same data and filters always give the same numbers. Attribution rules are in
`app.reporting.scope`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain.access import Actor, allowed
from app.domain.vocabulary import MONTH_KNOWN, REACH_KINDS, RELEASE_KINDS
from app.reporting import scope
from app.reporting.filter import ReportFilter
from app.reporting.map import map_layers
from app.reporting.report import Report, Row
from app.services.registry.quality import QUALITY_SQL_VALUES, counted_twice_sql
from gis.units import METRES_PER_DEGREE

STEPS = (
    "released",
    "remaining",
    "items",
    "tasks",
    "productivity",
    "cost",
    "beneficiaries",
    "people_near",
    "accidents_monthly",
    "agreements",
    "map",
)
# Tables of money: left empty for readers who may not read funding (anonymous public reading).
FUNDING_TABLES = frozenset({"cost", "agreements"})
MAX_PERIOD_DAYS = 3_660  # beyond ten years a monthly series shows only the months with data


def build_report(
    session: Session,
    flt: ReportFilter,
    *,
    actor: Actor | None = None,
    with_map: bool = False,
    on_step: Callable[[str], None] | None = None,
) -> Report:
    """Every figure of a report for `flt`, with its filters and the time the data is as of.

    `actor` is who reads it (the API passes its caller; the command line reads the whole
    programme): a donor officer's report covers only what its donor funds (`scope.for_actor`).
    `with_map` adds the map layers (for the PDF), read in the same snapshot as the figures;
    `on_step` is told the name of each of `STEPS` as it starts (for a progress display).
    The report reads one snapshot of committed data, so it must start the session's transaction:
    pass a session with none open (the caller ends it).
    """
    if actor is not None:
        flt = scope.for_actor(flt, actor)
    if session.in_transaction():
        raise RuntimeError("a report reads its own snapshot: pass a session with no transaction open")
    session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
    as_of: datetime = session.execute(text("SELECT now()")).scalar_one()
    filters = scope.described(session, flt, actor)
    p = flt.params()
    step = on_step or (lambda _: None)
    step("released")
    released, monthly, by_agreement = _released(session, flt, p)
    spent = _spent(session, flt, p)
    tables: dict[str, list[Row]] = {"released": released, "released_monthly": monthly}
    beside: dict[str, Any] = {}  # headline figures that are no sum over a table's rows
    for name, query in (
        ("remaining", lambda: _remaining(session, flt, p, beside)),
        ("items", lambda: _items(session, flt, p)),
        ("tasks", lambda: [_tasks(session, flt, p)]),
        ("productivity", lambda: [_productivity(session, flt, p)]),
        ("cost", lambda: _cost(session, flt, spent, by_agreement)),
        ("beneficiaries", lambda: _beneficiaries(session, flt, p)),
        ("people_near", lambda: [_people_near(session, flt, p)]),
        ("accidents_monthly", lambda: _accidents(session, flt, p, beside)),
        ("agreements", lambda: _agreements(session, flt, p, spent, by_agreement)),
    ):
        step(name)
        # Money is for those who read funding, and for a donor officer its own: not for public reading.
        hidden = name in FUNDING_TABLES and actor is not None and not (allowed(actor, "read.funding") or actor.is_donor)
        tables[name] = [] if hidden else query()
    layers = None
    if with_map:
        step("map")
        layers = map_layers(session, flt)
    recorded = {"releases": sum(r["releases"] for r in released), **_recorded(session, flt, p)}
    names = _names(session, flt, tables, layers)
    return Report(as_of, filters, flt.remaining_by, _headline(tables, beside), tables, layers, names, recorded)


def _recorded(session: Session, flt: ReportFilter, p: dict[str, Any]) -> dict[str, int]:
    """How many task events, progress reports, beneficiary and expenditure records lie in the report's scope.

    A figure of 0 with no records under it is "not recorded", which a report must not print as "none".
    """
    tasks = "FROM task t LEFT JOIN funding_agreement fa ON fa.id = t.funding_agreement_id"
    spent = [
        "fa.deleted_at IS NULL",
        *scope.funding(flt, org="fa.organisation_id", agreement="fa.id", donor="fa.donor_id"),
        *scope.period("x.period_start", flt),
        *scope.period("x.period_end", flt),
    ]
    sql = f"""
        SELECT
          (SELECT count(*) {tasks} JOIN task_event e ON e.task_id = t.id
           {scope.where([*_task_conditions(flt), *scope.period("e.occurred_on", flt)])}) AS task_events,
          (SELECT count(*) {tasks} JOIN task_progress_report pr ON pr.task_id = t.id
           {scope.where([*_task_conditions(flt), *scope.period("pr.period_end", flt)])}) AS progress_reports,
          (SELECT count(*) {tasks} JOIN beneficiary_count b ON b.task_id = t.id
           {scope.where([*_task_conditions(flt), *scope.period("b.recorded_on", flt)])}) AS beneficiary_records,
          (SELECT count(*) FROM expenditure x JOIN funding_agreement fa ON fa.id = x.funding_agreement_id
           {scope.where(spent)}) AS expenditure_records
    """
    return {k: int(v) for k, v in session.execute(text(sql), p).one()._mapping.items()}


def _names(
    session: Session, flt: ReportFilter, tables: dict[str, list[Row]], layers: dict[str, Any] | None
) -> dict[str, dict[str, dict[str, str]]]:
    """What the codes in the report stand for, in English and Ukrainian (admin units, methods, contamination)."""
    codes = {r["admin_code"] for r in tables["remaining"] if r["admin_code"]}
    codes |= {c for c in (flt.oblast_code, flt.raion_code, flt.hromada_code) if c}
    admin = {
        r.code: {"en": r.name_en or r.name, "uk": r.name}
        for r in session.execute(
            text("SELECT code, name, name_en FROM admin_unit WHERE code = ANY(:codes)"),
            {"codes": sorted(codes)},
        )
    }
    out: dict[str, dict[str, dict[str, str]]] = {"admin": admin}
    for kind, table in (("method", "method"), ("contamination", "contamination_type")):
        rows = session.execute(text(f"SELECT code, label, translations FROM {table}"))
        out[kind] = {
            r.code: {"en": r.label, **{k: str(v) for k, v in (r.translations or {}).items() if v}} for r in rows
        }
    return out


def _released(
    session: Session, flt: ReportFilter, p: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[int, float]]:
    """m² released by kind and method, by month and kind, and by agreement: one scan of the releases."""
    sql = f"""
        SELECT date_trunc('month', r.released_on)::date AS month, r.kind, r.method, t.funding_agreement_id,
               r.released_on_precision = ANY(:month_known) AS month_known,
               count(*) AS releases, sum(r.area_m2) AS area_m2
        {scope.RELEASES_FROM} {scope.releases_where(flt)}
        GROUP BY 1, 2, 3, 4, 5
    """
    by_kind: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])
    by_month: dict[date, dict[str, float]] = defaultdict(lambda: dict.fromkeys(RELEASE_KINDS, 0.0))
    by_agreement: dict[int, float] = defaultdict(float)
    for row in session.execute(text(sql), {**p, "month_known": list(MONTH_KNOWN)}):
        by_kind[(row.kind, row.method)][0] += row.releases
        by_kind[(row.kind, row.method)][1] += row.area_m2
        if row.month_known:  # land released in a year, month unknown, is in the totals, not on 1 January
            by_month[row.month][row.kind] += row.area_m2
        if row.funding_agreement_id is not None:
            by_agreement[row.funding_agreement_id] += row.area_m2
    order: dict[str, int] = {k: i for i, k in enumerate(RELEASE_KINDS)}
    released = [
        {"kind": kind, "method": method, "releases": int(n), "area_m2": _m2(m2)}
        for (kind, method), (n, m2) in sorted(by_kind.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))
    ]
    monthly = [
        {
            "month": month.strftime("%Y-%m"),
            **{f"{k}_m2": _m2(v) for k, v in by_month[month].items()},
            "total_m2": _m2(sum(by_month[month].values())),
        }
        for month in _months(flt, list(by_month))
    ]
    return released, monthly, dict(by_agreement)


def _months(flt: ReportFilter, seen: list[date]) -> list[date]:
    """Every month of the period, or from the first to the last month seen: charts show gaps as zeros."""
    first, last = (min(seen), max(seen)) if seen else (None, None)
    if flt.date_from and flt.date_to and (flt.date_to - flt.date_from).days <= MAX_PERIOD_DAYS:
        first, last = flt.date_from.replace(day=1), flt.date_to.replace(day=1)
    months: list[date] = []
    while first is not None and last is not None and first <= last:
        months.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    return months


def _remaining(session: Session, flt: ReportFilter, p: dict[str, Any], beside: dict[str, Any]) -> list[Row]:
    """Remaining SHA and CHA m² now, by the admin level below the one filtered on; overlapping land counted once.

    Within each admin unit land held by two or more live areas counts once, as CHA where an SHA and
    a CHA share it; `overlap_counted_once_m2` says how much land that was. Two overlapping areas
    recorded in different units each count in their own unit.
    """
    group = f"coalesce(h.{flt.remaining_by}_code, '')"
    twice_sql = counted_twice_sql(scope.remaining_where(flt), group)
    twice = {r.grp: (r.sha_m2, r.cha_m2) for r in session.execute(text(twice_sql), {**p, **QUALITY_SQL_VALUES})}
    beside["overlap_counted_once_m2"] = _m2(sum(sha + cha for sha, cha in twice.values()))
    sql = f"""
        SELECT {group} AS admin_code,
               count(*) FILTER (WHERE h.classification = :v_SHA) AS sha_areas,
               coalesce(sum(h.remaining_area_m2) FILTER (WHERE h.classification = :v_SHA), 0) AS sha_m2,
               count(*) FILTER (WHERE h.classification = :v_CHA) AS cha_areas,
               coalesce(sum(h.remaining_area_m2) FILTER (WHERE h.classification = :v_CHA), 0) AS cha_m2
        FROM hazardous_area h {scope.remaining_where(flt)}
        GROUP BY 1 ORDER BY 1
    """
    rows = []
    for r in session.execute(text(sql), p):
        sha_twice, cha_twice = twice.get(r.admin_code, (0.0, 0.0))
        sha_m2, cha_m2 = r.sha_m2 - sha_twice, r.cha_m2 - cha_twice
        rows.append(
            {
                "admin_code": r.admin_code,
                "sha_areas": r.sha_areas,
                "sha_m2": _m2(sha_m2),
                "cha_areas": r.cha_areas,
                "cha_m2": _m2(cha_m2),
                "total_m2": _m2(sha_m2 + cha_m2),
            }
        )
    return rows


def _items(session: Session, flt: ReportFilter, p: dict[str, Any]) -> list[Row]:
    """Explosive items found, and what was done with them, by category."""
    area_join = "JOIN" if flt.admin else "LEFT JOIN"
    sql = f"""
        SELECT d.category, ct.label,
               sum(d.quantity) AS found,
               coalesce(sum(d.quantity) FILTER (WHERE d.fate = :v_destroyed_in_situ), 0) AS destroyed_in_situ,
               coalesce(sum(d.quantity) FILTER (WHERE d.fate = :v_removed), 0) AS removed,
               coalesce(sum(d.quantity) FILTER (WHERE d.fate = :v_rendered_safe), 0) AS rendered_safe
        FROM device_found d
        JOIN contamination_type ct ON ct.code = d.category
        JOIN activity a ON a.id = d.activity_id
        LEFT JOIN task t ON t.id = a.task_id
        LEFT JOIN funding_agreement fa ON fa.id = t.funding_agreement_id
        {area_join} hazardous_area h ON h.id = d.hazardous_area_id
        {
        scope.where(
            ["d.deleted_at IS NULL", *scope.by_activity(flt), *scope.admin(flt, "h"), *scope.period("d.found_on", flt)]
        )
    }
        GROUP BY d.category, ct.label, ct.sort_order ORDER BY found DESC, ct.sort_order, d.category
    """
    return [dict(r) for r in session.execute(text(sql), p).mappings()]


def _task_conditions(flt: ReportFilter) -> list[str]:
    return [
        "t.deleted_at IS NULL",
        *scope.funding(flt, org="t.organisation_id", agreement="t.funding_agreement_id", donor="fa.donor_id"),
        *scope.task_in_unit(flt, "t"),
    ]


def _tasks(session: Session, flt: ReportFilter, p: dict[str, Any]) -> dict[str, Any]:
    """Tasks first started and first completed in the period; areas handed over in it."""
    firsts = f"""
        SELECT t.id,
               min(e.occurred_on) FILTER (WHERE e.to_status = :v_in_progress) AS started_on,
               min(e.occurred_on) FILTER (WHERE e.to_status = :v_completed) AS completed_on
        FROM task t LEFT JOIN funding_agreement fa ON fa.id = t.funding_agreement_id
        JOIN task_event e ON e.task_id = t.id
        {scope.where(_task_conditions(flt))}
        GROUP BY t.id
    """
    started = " AND ".join(["started_on IS NOT NULL", *scope.period("started_on", flt)])
    completed = " AND ".join(["completed_on IS NOT NULL", *scope.period("completed_on", flt)])
    sql = f"""
        WITH firsts AS ({firsts})
        SELECT count(*) FILTER (WHERE {started}) AS started, count(*) FILTER (WHERE {completed}) AS completed
        FROM firsts
    """
    tasks = session.execute(text(sql), p).one()
    handed = f"""
        SELECT count(DISTINCT h.id) AS areas, coalesce(sum(h.original_area_m2), 0) AS m2
        FROM hazardous_area h
        WHERE h.deleted_at IS NULL AND h.id IN (
            SELECT e.hazardous_area_id FROM hazardous_area_event e
            {scope.where(["e.kind = :v_status", "e.to_value = :v_handed_over", *scope.period("e.occurred_on", flt)])})
          AND {" AND ".join(["TRUE", *scope.admin(flt, "h"), *scope.area_funded(flt, "h")])}
    """
    areas = session.execute(text(handed), p).one()
    return {
        "started": tasks.started,
        "completed": tasks.completed,
        "areas_handed_over": areas.areas,
        "handed_over_m2": _m2(areas.m2),
    }


def _productivity(session: Session, flt: ReportFilter, p: dict[str, Any]) -> dict[str, Any]:
    """Team-days and m² from progress reports whose period ends in the report's period."""
    sql = f"""
        SELECT coalesce(sum(pr.team_days), 0) AS team_days,
               coalesce(sum(pr.cancelled_m2 + pr.reduced_m2 + pr.cleared_m2), 0) AS m2
        FROM task_progress_report pr JOIN task t ON t.id = pr.task_id
        LEFT JOIN funding_agreement fa ON fa.id = t.funding_agreement_id
        {scope.where([*_task_conditions(flt), *scope.period("pr.period_end", flt)])}
    """
    row = session.execute(text(sql), p).one()
    per_day = _m2(row.m2 / row.team_days) if row.team_days else None
    return {"team_days": round(row.team_days, 2), "reported_m2": _m2(row.m2), "m2_per_team_day": per_day}


def _spent(session: Session, flt: ReportFilter, p: dict[str, Any]) -> dict[int, float]:
    """Expenditure by agreement over reporting periods lying wholly inside the report's period."""
    conds = [
        "fa.deleted_at IS NULL",
        *scope.funding(flt, org="fa.organisation_id", agreement="fa.id", donor="fa.donor_id"),
        *scope.period("x.period_start", flt),
        *scope.period("x.period_end", flt),
    ]
    sql = f"""
        SELECT fa.id, sum(x.amount) AS amount
        FROM expenditure x JOIN funding_agreement fa ON fa.id = x.funding_agreement_id
        {scope.where(conds)}
        GROUP BY fa.id
    """
    return {r.id: r.amount for r in session.execute(text(sql), p)}


def _cost(session: Session, flt: ReportFilter, spent: dict[int, float], released: dict[int, float]) -> list[Row]:
    """Cost per m² by currency: expenditure over the m² released under the agreements that report it."""
    if flt.admin:
        return []  # expenditure is not recorded by admin unit (see app.reporting.scope)
    if not spent:
        return []
    sql = text("SELECT id, currency FROM funding_agreement WHERE id = ANY(:ids)")
    rows = session.execute(sql, {"ids": list(spent)})
    currency: dict[int, str] = {r.id: r.currency for r in rows}
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for agreement_id, amount in spent.items():
        t = totals[currency[agreement_id]]
        t[0] += amount
        t[1] += released.get(agreement_id, 0.0)
        t[2] += 1
    return [
        {
            "currency": cur,
            "agreements": int(n),
            "expenditure": round(amount, 2),
            "released_m2": _m2(m2),
            "cost_per_m2": round(amount / m2, 4) if m2 else None,
        }
        for cur, (amount, m2, n) in sorted(totals.items())
    ]


def _beneficiaries(session: Session, flt: ReportFilter, p: dict[str, Any]) -> list[Row]:
    """Direct and indirect beneficiaries by women, men, girls and boys, as recorded on tasks."""
    sql = f"""
        SELECT b.reach, sum(b.women) AS women, sum(b.men) AS men, sum(b.girls) AS girls, sum(b.boys) AS boys
        FROM beneficiary_count b JOIN task t ON t.id = b.task_id
        LEFT JOIN funding_agreement fa ON fa.id = t.funding_agreement_id
        {scope.where([*_task_conditions(flt), *scope.period("b.recorded_on", flt)])}
        GROUP BY b.reach
    """
    found = {r["reach"]: r for r in session.execute(text(sql), p).mappings()}
    out = []
    for reach in REACH_KINDS:
        row: Any = found.get(reach, {})
        counts = {k: int(row.get(k) or 0) for k in ("women", "men", "girls", "boys")}
        out.append({"reach": reach, **counts, "total": sum(counts.values())})
    return out


def _people_near(session: Session, flt: ReportFilter, p: dict[str, Any]) -> dict[str, Any]:
    """People living within `distance_m` of land released: each settlement counted once."""
    # The box test uses the release GiST index: a degree of longitude shrinks with cos(latitude),
    # taken a degree poleward of the settlement so that the box surely covers the distance.
    sql = f"""
        SELECT count(*) AS settlements, coalesce(sum(s.population), 0) AS population
        FROM settlement s
        CROSS JOIN LATERAL (
            SELECT :distance_m / (:metres_per_degree * cos(radians(least(abs(ST_Y(s.geom)) + 1, 89)))) AS deg
        ) box
        WHERE s.deleted_at IS NULL AND EXISTS (
            SELECT 1 {scope.RELEASES_FROM}
            {scope.releases_where(flt)}
              AND r.geom && ST_Expand(s.geom, box.deg)
              AND ST_DWithin(r.geom::geography, s.geom::geography, :distance_m))
    """
    row = session.execute(text(sql), {**p, "metres_per_degree": METRES_PER_DEGREE}).one()
    return {"distance_m": flt.distance_m, "settlements": row.settlements, "population": int(row.population)}


def _accidents(session: Session, flt: ReportFilter, p: dict[str, Any], beside: dict[str, Any]) -> list[Row]:
    """Accidents and victims by month: counts only, never who (docs/mine-action.md §3, §7).

    An accident known only to the year, or of unknown date, has no month: it stays out of the
    series (a guessed month would skew it) and is counted apart, in `accidents_date_unknown` and
    `victims_date_unknown`, when it may lie in the period (its year overlaps it, or no date at all).
    """
    area_join = "JOIN" if flt.admin or flt.funded else "LEFT JOIN"
    scoped = ["ac.deleted_at IS NULL", *scope.admin(flt, "h"), *scope.area_funded(flt, "h")]
    p = {**p, "month_known": list(MONTH_KNOWN)}
    undated = f"""
        SELECT count(DISTINCT ac.id) AS accidents, count(v.id) AS victims
        FROM accident ac
        LEFT JOIN victim v ON v.accident_id = ac.id
        {area_join} hazardous_area h ON h.id = ac.hazardous_area_id
        {scope.where([*scoped, "NOT (ac.occurred_on_precision = ANY(:month_known))", *_year_in_period(flt)])}
    """
    unknown = session.execute(text(undated), p).one()
    beside["accidents_date_unknown"], beside["victims_date_unknown"] = unknown.accidents, unknown.victims
    sql = f"""
        SELECT to_char(date_trunc('month', ac.occurred_on), 'YYYY-MM') AS month,
               count(DISTINCT ac.id) AS accidents, count(v.id) AS victims,
               count(v.id) FILTER (WHERE v.outcome = :v_killed) AS killed,
               count(v.id) FILTER (WHERE v.outcome = :v_injured) AS injured,
               count(v.id) FILTER (WHERE v.age_band = ANY(:child_age_bands)) AS children,
               count(v.id) FILTER (WHERE v.sex = :v_female) AS female,
               count(v.id) FILTER (WHERE v.sex = :v_male) AS male,
               count(v.id) FILTER (WHERE v.role = :v_civilian) AS civilians,
               count(v.id) FILTER (WHERE v.role = :v_deminer) AS deminers
        FROM accident ac
        LEFT JOIN victim v ON v.accident_id = ac.id
        {area_join} hazardous_area h ON h.id = ac.hazardous_area_id
        {scope.where([*scoped, "ac.occurred_on_precision = ANY(:month_known)", *scope.period("ac.occurred_on", flt)])}
        GROUP BY 1 ORDER BY 1
    """
    return [dict(r) for r in session.execute(text(sql), p).mappings()]


def _year_in_period(flt: ReportFilter) -> list[str]:
    """Conditions keeping an accident dated to the year (or not at all) that may lie in the report's period."""
    out = []
    if flt.date_from:
        out.append("(ac.occurred_on IS NULL OR date_part('year', ac.occurred_on) >= date_part('year', :date_from))")
    if flt.date_to:
        out.append("(ac.occurred_on IS NULL OR date_part('year', ac.occurred_on) <= date_part('year', :date_to))")
    return out


def _agreements(
    session: Session, flt: ReportFilter, p: dict[str, Any], spent: dict[int, float], released: dict[int, float]
) -> list[Row]:
    """The funding agreements the report covers, with spending in the period and m² released under them."""
    conds = [
        "fa.deleted_at IS NULL",
        *scope.funding(flt, org="fa.organisation_id", agreement="fa.id", donor="fa.donor_id"),
        *(["fa.period_end >= :date_from"] if flt.date_from else []),
        *(["fa.period_start <= :date_to"] if flt.date_to else []),
    ]
    sql = f"""
        SELECT fa.id, fa.reference, d.name AS donor, o.name AS organisation, fa.currency, fa.amount,
               fa.period_start, fa.period_end
        FROM funding_agreement fa JOIN donor d ON d.id = fa.donor_id JOIN organisation o ON o.id = fa.organisation_id
        {scope.where(conds)}
        ORDER BY fa.reference
    """
    return [
        {
            **{k: v for k, v in r.items() if k != "id"},
            "expenditure": round(spent.get(r["id"], 0.0), 2),
            "released_m2": _m2(released.get(r["id"], 0.0)),
        }
        for r in session.execute(text(sql), p).mappings()
    ]


def _headline(tables: dict[str, list[Row]], beside: dict[str, Any]) -> dict[str, Any]:
    """The figures a reader looks at first, each a sum over one of the tables, and the figures `beside` them."""
    released = tables["released"]
    by_kind = {k: _m2(sum(r["area_m2"] for r in released if r["kind"] == k)) for k in RELEASE_KINDS}
    benef = {r["reach"]: r["total"] for r in tables["beneficiaries"]}
    tasks, prod, near = tables["tasks"][0], tables["productivity"][0], tables["people_near"][0]
    return {
        "released_m2": _m2(sum(by_kind.values())),
        **{f"{k}_m2": v for k, v in by_kind.items()},
        "remaining_sha_m2": _m2(sum(r["sha_m2"] for r in tables["remaining"])),
        "remaining_cha_m2": _m2(sum(r["cha_m2"] for r in tables["remaining"])),
        "overlap_counted_once_m2": beside["overlap_counted_once_m2"],
        "items_found": sum(r["found"] for r in tables["items"]),
        "items_destroyed": sum(r["destroyed_in_situ"] for r in tables["items"]),
        "tasks_started": tasks["started"],
        "tasks_completed": tasks["completed"],
        "areas_handed_over": tasks["areas_handed_over"],
        "team_days": prod["team_days"],
        "m2_per_team_day": prod["m2_per_team_day"],
        "beneficiaries_direct": benef["direct"],
        "beneficiaries_indirect": benef["indirect"],
        "people_near_released_land": near["population"],
        "accidents": sum(r["accidents"] for r in tables["accidents_monthly"]),
        "victims": sum(r["victims"] for r in tables["accidents_monthly"]),
        "accidents_date_unknown": beside["accidents_date_unknown"],
        "victims_date_unknown": beside["victims_date_unknown"],
    }


def _m2(value: float) -> float:
    """m² to the centimetre-square: enough for any report, and identical in every output."""
    return round(float(value), 2)
