"""The tables of a donor report: column order, headers, units and HXL hashtags (docs/mine-action.md §6).

HXL has no hashtags for mine action, so figures use core hashtags (`#indicator`, `#reached`,
`#affected`, `#org`, `#date`, `#adm1`…) with `x_` attributes naming what is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.reporting.report import Report


@dataclass(frozen=True)
class Column:
    """One column: its key in the report rows, its header, HXL hashtag and unit."""

    key: str
    header: str
    hxl: str
    unit: str = ""


@dataclass(frozen=True)
class Table:
    """One table of the report."""

    name: str
    title: str
    columns: tuple[Column, ...]


def _m2(key: str, header: str, what: str) -> Column:
    return Column(key, header, f"#indicator+num+x_m2+x_{what}", "m²")


def _n(key: str, header: str, hxl: str) -> Column:
    return Column(key, header, hxl, "count")


ADMIN_HXL = {"oblast": "#adm1+code", "raion": "#adm2+code", "hromada": "#adm3+code"}

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "headline",
            "Headline figures",
            (
                Column("indicator", "Indicator", "#indicator+code"),
                Column("label", "Label", "#indicator+name"),
                Column("value", "Value", "#indicator+value+num"),
                Column("unit", "Unit", "#meta+unit"),
            ),
        ),
        Table(
            "released",
            "Land released by kind and method",
            (
                Column("kind", "Kind", "#activity+type+x_release"),
                Column("method", "Method", "#activity+x_method"),
                _n("releases", "Releases", "#indicator+num+x_releases"),
                _m2("area_m2", "Area (m²)", "released"),
            ),
        ),
        Table(
            "released_monthly",
            "Land released by month",
            (
                Column("month", "Month", "#date+month"),
                _m2("cancelled_m2", "Cancelled (m²)", "cancelled"),
                _m2("reduced_m2", "Reduced (m²)", "reduced"),
                _m2("cleared_m2", "Cleared (m²)", "cleared"),
                _m2("total_m2", "Total (m²)", "released"),
            ),
        ),
        Table(
            "remaining",
            "Remaining hazardous areas (now)",
            (
                Column("admin_code", "Admin unit", "#adm1+code"),
                _n("sha_areas", "SHA areas", "#indicator+num+x_areas+x_sha"),
                _m2("sha_m2", "SHA (m²)", "sha"),
                _n("cha_areas", "CHA areas", "#indicator+num+x_areas+x_cha"),
                _m2("cha_m2", "CHA (m²)", "cha"),
                _m2("total_m2", "Total (m²)", "remaining"),
            ),
        ),
        Table(
            "items",
            "Explosive items by category",
            (
                Column("category", "Category", "#item+type+code"),
                Column("label", "Name", "#item+type+name"),
                _n("found", "Found", "#indicator+num+x_items_found"),
                _n("destroyed_in_situ", "Destroyed in situ", "#indicator+num+x_items_destroyed"),
                _n("removed", "Removed", "#indicator+num+x_items_removed"),
                _n("rendered_safe", "Rendered safe", "#indicator+num+x_items_rendered_safe"),
            ),
        ),
        Table(
            "tasks",
            "Tasks and handovers",
            (
                _n("started", "Tasks started", "#activity+num+x_started"),
                _n("completed", "Tasks completed", "#activity+num+x_completed"),
                _n("areas_handed_over", "Areas handed over", "#indicator+num+x_areas_handed_over"),
                _m2("handed_over_m2", "Handed over (m²)", "handed_over"),
            ),
        ),
        Table(
            "productivity",
            "Productivity (progress reports)",
            (
                Column("team_days", "Team-days", "#indicator+num+x_team_days", "team-days"),
                _m2("reported_m2", "Reported released (m²)", "reported"),
                Column("m2_per_team_day", "m² per team-day", "#indicator+num+x_m2_per_team_day", "m²/team-day"),
            ),
        ),
        Table(
            "cost",
            "Cost per m² (where expenditure is reported)",
            (
                Column("currency", "Currency", "#currency"),
                _n("agreements", "Agreements", "#indicator+num+x_agreements"),
                Column("expenditure", "Expenditure", "#value+spent", "currency"),
                _m2("released_m2", "Released under them (m²)", "released"),
                Column("cost_per_m2", "Cost per m²", "#value+x_per_m2", "currency/m²"),
            ),
        ),
        Table(
            "beneficiaries",
            "Beneficiaries (as recorded)",
            (
                Column("reach", "Reach", "#meta+x_reach"),
                _n("women", "Women", "#reached+f+adults"),
                _n("men", "Men", "#reached+m+adults"),
                _n("girls", "Girls", "#reached+f+children"),
                _n("boys", "Boys", "#reached+m+children"),
                _n("total", "Total", "#reached+total"),
            ),
        ),
        Table(
            "people_near",
            "People living near released land",
            (
                Column("distance_m", "Within (m)", "#indicator+num+x_distance_m", "m"),
                _n("settlements", "Settlements", "#indicator+num+x_settlements"),
                _n("population", "Population", "#population+total+x_near_released"),
            ),
        ),
        Table(
            "accidents_monthly",
            "Accidents and victims by month",
            (
                Column("month", "Month", "#date+month"),
                _n("accidents", "Accidents", "#indicator+num+x_accidents"),
                _n("victims", "Victims", "#affected+total"),
                _n("killed", "Killed", "#affected+killed"),
                _n("injured", "Injured", "#affected+injured"),
                _n("children", "Children", "#affected+children"),
                _n("female", "Female", "#affected+f"),
                _n("male", "Male", "#affected+m"),
                _n("civilians", "Civilians", "#affected+x_civilians"),
                _n("deminers", "Deminers", "#affected+x_deminers"),
            ),
        ),
        Table(
            "agreements",
            "Funding agreements",
            (
                Column("reference", "Agreement reference", "#activity+code+x_agreement"),
                Column("donor", "Donor", "#org+funder"),
                Column("organisation", "Organisation", "#org+impl"),
                Column("currency", "Currency", "#currency"),
                Column("amount", "Amount", "#value+committed", "currency"),
                Column("period_start", "Start", "#date+start"),
                Column("period_end", "End", "#date+end"),
                Column("expenditure", "Spent in period", "#value+spent", "currency"),
                _m2("released_m2", "Released in period (m²)", "released"),
            ),
        ),
    )
}

# Columns that only machines need: a human format shows the name in the column beside them instead.
MACHINE_ONLY = frozenset({("items", "label")})

HEADLINE = {
    "released_m2": ("Land released", "m²"),
    "cancelled_m2": ("Cancelled (non-technical survey)", "m²"),
    "reduced_m2": ("Reduced (technical survey)", "m²"),
    "cleared_m2": ("Cleared", "m²"),
    "remaining_sha_m2": ("Remaining SHA", "m²"),
    "remaining_cha_m2": ("Remaining CHA", "m²"),
    "overlap_counted_once_m2": ("Land where recorded areas overlap, counted once", "m²"),
    "items_found": ("Explosive items found", "count"),
    "items_destroyed": ("Explosive items destroyed in situ", "count"),
    "tasks_started": ("Tasks started", "count"),
    "tasks_completed": ("Tasks completed", "count"),
    "areas_handed_over": ("Areas handed over", "count"),
    "team_days": ("Team-days", "team-days"),
    "m2_per_team_day": ("m² per team-day", "m²/team-day"),
    "beneficiaries_direct": ("Direct beneficiaries", "count"),
    "beneficiaries_indirect": ("Indirect beneficiaries", "count"),
    "people_near_released_land": ("People living near released land", "count"),
    "accidents": ("Accidents", "count"),
    "victims": ("Victims", "count"),
    "accidents_date_unknown": ("Accidents whose date is unknown (not in the monthly series)", "count"),
    "victims_date_unknown": ("Victims of those accidents", "count"),
}

FILTER_LABELS = {
    "donor": "Donor",
    "agreement": "Funding agreement",
    "organisation": "Organisation",
    "oblast_code": "Oblast",
    "raion_code": "Raion",
    "hromada_code": "Hromada",
    "date_from": "From",
    "date_to": "To",
    "distance_m": "Population within (m)",
}


def rows(report: Report, name: str) -> list[dict[str, Any]]:
    """The rows of table `name`; the headline is a table too."""
    if name == "headline":
        return [
            {"indicator": key, "label": label, "value": report.headline[key], "unit": unit}
            for key, (label, unit) in HEADLINE.items()
        ]
    return list(report.tables[name])


def hxl_tags(report: Report, table: Table) -> list[str]:
    """The hashtags of a table; remaining land is by the admin level the report groups it by."""
    level = ADMIN_HXL[report.remaining_by]
    return [level if c.key == "admin_code" else c.hxl for c in table.columns]


def filter_lines(report: Report) -> list[tuple[str, str]]:
    """The filters set, as (label, value), named where an id was given; 'none' when nothing is set."""
    f = report.filters
    out = []
    for key, label in FILTER_LABELS.items():
        if f.get(key) is None:
            continue
        value = f[key]
        if key in ("donor", "agreement", "organisation"):
            value = f"{value} (id {f[key + '_id']})"
        elif key == "distance_m":
            value = f"{value:,.0f}"
        out.append((label, str(value)))
    if len(out) == 1:
        out.insert(0, ("Scope", "whole programme, all dates"))
    return out


def as_of_text(report: Report) -> str:
    """The snapshot time, in UTC to the second."""
    as_of: datetime = report.as_of
    return as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
