"""What a report says in words, in English or Ukrainian: title, period, names for codes, definitions, "not recorded".

Strings are English here and Ukrainian in app/i18n/uk/reports.po. The PDF and XLSX read them in
the language of the request; the CSV stays in English with codes (data exchange, HXL). What the
definitions say is what app/reporting/figures.py and docs/mine-action.md do: docs/reports.md.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from babel.dates import format_date as babel_format_date
from babel.dates import format_interval

from app.i18n import babel_locale, format_number, place_name, translator
from app.reporting.report import Report

# Headline figures whose 0 may mean "nothing was recorded", and the count of records under them.
RESTS_ON = {
    "released_m2": "releases",
    "cancelled_m2": "releases",
    "reduced_m2": "releases",
    "cleared_m2": "releases",
    "tasks_started": "task_events",
    "tasks_completed": "task_events",
    "team_days": "progress_reports",
    "m2_per_team_day": "progress_reports",
    "beneficiaries_direct": "beneficiary_records",
    "beneficiaries_indirect": "beneficiary_records",
}
NOT_RECORDED = {
    "releases": "No releases recorded for these filters in this period",
    "task_events": "No task status records for these filters in this period",
    "progress_reports": "No progress reports for these filters in this period",
    "beneficiary_records": "No beneficiary records for these filters in this period",
}
RELEASE_KIND = {"cancelled": "Cancelled", "reduced": "Reduced", "cleared": "Cleared"}
REACH = {"direct": "Direct", "indirect": "Indirect"}
UNITS = {"m²": "m²", "count": "", "team-days": "", "m²/team-day": "", "m": "m"}  # counts and rates name themselves


def not_recorded(report: Report, key: str) -> str | None:
    """Why headline figure `key` is empty: no records of its kind in scope (None when it rests on records)."""
    source = RESTS_ON.get(key)
    if source is None or report.recorded.get(source, 1) > 0:
        return None
    value = report.headline.get(key)
    return NOT_RECORDED[source] if value in (0, 0.0, None) else None


def period(report: Report, language: str) -> str:
    """The period as a reader names it: `Q2 2025 (1 Apr – 30 Jun 2025)`, `2025`, `June 2025`, `from 1 Apr 2025`."""
    _ = translator(language)
    start, end = _dates(report)
    locale = babel_locale(language)
    if start is None and end is None:
        return _("all dates")
    if start is None and end is not None:
        return _("up to {date}").format(date=babel_format_date(end, "d MMM y", locale=locale))
    if end is None and start is not None:
        return _("from {date}").format(date=babel_format_date(start, "d MMM y", locale=locale))
    assert start is not None and end is not None
    # Babel sets the dash between thin spaces; plain ones read and search the same in every viewer.
    span = format_interval(start, end, "yMMMd", locale=locale).replace("\u2009", " ").replace("\u202f", " ")
    following = _next_day(end)
    if start.day == 1 and following.day == 1:
        months = (following.year - start.year) * 12 + following.month - start.month
        if months == 3 and start.month in (1, 4, 7, 10):
            quarter = _("Q{quarter} {year}").format(quarter=(start.month - 1) // 3 + 1, year=start.year)
            return f"{quarter} ({span})"
        if months == 12 and start.month == 1:
            return str(start.year)
        if months == 1:
            return babel_format_date(start, "LLLL y", locale=locale)
    return span


def _next_day(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _dates(report: Report) -> tuple[date | None, date | None]:
    def as_date(value: Any) -> date | None:
        return date.fromisoformat(value) if isinstance(value, str) else value

    return as_date(report.filters.get("date_from")), as_date(report.filters.get("date_to"))


def subject(report: Report, language: str) -> str:
    """Whose report it is: the donor, else the agreement, organisation or admin unit, else the whole programme."""
    f = report.filters
    for key in ("donor", "agreement", "organisation"):
        if f.get(key):
            return str(f[key])
    for key in ("hromada_code", "raion_code", "oblast_code"):
        if f.get(key):
            return report.name("admin", f[key], language)
    return translator(language)("Whole programme")


def title(report: Report, language: str) -> str:
    """`Land release report — <Donor> — Q2 2025 (1 Apr – 30 Jun 2025)`."""
    _ = translator(language)
    return f"{_('Land release report')} — {subject(report, language)} — {period(report, language)}"


def filter_lines(report: Report, language: str) -> list[tuple[str, str]]:
    """The filters set, as (label, value) in `language`, named rather than coded."""
    _ = translator(language)
    f = report.filters
    out = []
    for key, label in (("donor", "Donor"), ("agreement", "Funding agreement"), ("organisation", "Organisation")):
        if f.get(key) is not None:
            out.append((_(label), str(f[key])))
    for key, label in (("oblast_code", "Oblast"), ("raion_code", "Raion"), ("hromada_code", "Hromada")):
        if f.get(key):
            out.append((_(label), f"{report.name('admin', f[key], language)} ({f[key]})"))
    out.append((_("Period"), period(report, language)))
    distance = format_number(f.get("distance_m"), language)
    out.append((_("Population counted within"), f"{distance} {_('m')}"))
    return out


def cell(report: Report, key: str, value: Any, language: str) -> Any:
    """A code in a table as its name in `language`; anything else unchanged."""
    if value is None or not isinstance(value, str):
        return value
    if key == "kind":
        return translator(language)(RELEASE_KIND.get(value, value))
    if key == "reach":
        return translator(language)(REACH.get(value, value))
    if key == "method":
        return report.name("method", value, language)
    if key == "category":
        return report.name("contamination", value, language)
    if key == "admin_code":
        return report.name("admin", value, language) if value else translator(language)("(no admin unit recorded)")
    return value


def month_name(month: str, language: str) -> str:
    """`2025-04` as `Apr 2025` / `квіт. 2025`."""
    return babel_format_date(date.fromisoformat(month + "-01"), "LLL y", locale=babel_locale(language))


def unit(name: str, language: str) -> str:
    """A unit as printed beside a figure (counts have none)."""
    return translator(language)(UNITS.get(name, name))


def settlement(name: str, language: str) -> str:
    """A settlement's name in the reader's language (the official Latin form in English)."""
    return place_name(name, None, language)


def boundary_name(row: dict[str, Any], language: str) -> str:
    """An admin unit on the map, in the reader's language."""
    return place_name(row.get("name"), row.get("name_en"), language)


# The methodology section: (heading, paragraphs); each paragraph is translated whole.
DEFINITIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Hazardous areas",
        (
            "SHA, suspected hazardous area: an area where the presence of explosive ordnance is suspected on "
            "indirect evidence (reports, accidents nearby, the history of fighting).",
            "CHA, confirmed hazardous area: an area where direct evidence (a find, an accident, a survey that "
            "saw devices) confirms explosive ordnance.",
        ),
    ),
    (
        "Land release",
        (
            "Cancelled: land released by non-technical survey (NTS): found, without entering it with "
            "equipment, to hold no evidence of explosive ordnance.",
            "Reduced: land released by technical survey (TS): physical sampling found no explosive ordnance.",
            "Cleared: land released by clearance or battle area clearance (BAC): every explosive item was "
            "removed or destroyed to the required depth.",
            "Land released is cancelled + reduced + cleared. Each release is cut to its hazardous area and "
            "counts only land still remaining: land released twice, or lying outside the area, is not counted "
            "again, so for every area original = remaining + cancelled + reduced + cleared.",
        ),
    ),
    (
        "How figures are counted",
        (
            "Releases, items found and progress count for a donor through the activity's task and the funding "
            "agreement of that task; work recorded without a task is funded by no one. Remaining land, "
            "handovers and accidents count through the tasks that cover the area.",
            'Remaining land is shown as of the moment the data was read ("data as of"), not at the end of the '
            "period. Within each admin unit, land where recorded areas overlap is counted once (as CHA where an "
            "SHA and a CHA share it); how much land that was is given as a headline figure.",
            "Late reports: every record counts in the period of the date it happened (release date, date found, "
            "end of a progress period, date recorded for beneficiaries), not the date it was entered. A report "
            "entered late appears in its period the next time the report is produced; a release dated before "
            "the area's latest information is still counted. Two reports of the same report period therefore "
            "differ only when records were added or corrected in between.",
            "Tasks started and completed: tasks whose first move to in progress, or to completed, lies in the "
            "period. Team-days and m² per team-day: progress reports whose period ends in the period.",
            "Cost per m²: expenditure of reporting periods lying wholly inside the period, over the m² released "
            "under the same agreements; per currency, never converted. Expenditure is not recorded by admin "
            "unit, so a report for an admin unit gives no cost.",
            "Beneficiaries are as the operators recorded them on their tasks. People near released land: the "
            "population of settlements within the distance given of land released in the period, each "
            "settlement counted once.",
            "Accidents and victims are counts only: no personal data appears in any report. Accidents whose "
            "month is not known stay out of the monthly series and are counted apart.",
        ),
    ),
    (
        "Not recorded and zero",
        (
            '"Not recorded" means there is no record of that kind for these filters and period, so the figure '
            "is unknown; 0 means records exist and add up to nothing.",
        ),
    ),
)


def definitions(language: str) -> list[tuple[str, list[str]]]:
    """The methodology and definitions section in `language`."""
    _: Callable[[str], str] = translator(language)
    return [(_(heading), [_(p) for p in paragraphs]) for heading, paragraphs in DEFINITIONS]
