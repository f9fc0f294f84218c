"""The reports page (`/reports`): choose donor, agreement, operator, oblast and period, get the PDF, XLSX or CSV.

Server-rendered choices, and a small script (static/reports.js) that fetches the file from
`/api/v1/reports/donor.{pdf,xlsx,zip}` with a busy state and the server's reason on failure. A
donor officer is offered only its own donor and that donor's agreements (the API narrows the
report to it whatever is asked: app/reporting/scope.py). docs/reports.md.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.api.access import Caller
from app.api.deps import SessionDep
from app.api.language import RequestLanguage
from app.dashboard.assets import APP_STATIC_URL
from app.dashboard.user import HEAD_SLOT, USER_SLOT, for_user
from app.domain import clock
from app.domain.access import Actor, allowed, funded_donor
from app.i18n import format_date, place_name, sort_key, translator

router = APIRouter(tags=["dashboard"], include_in_schema=False)
FIRST_YEAR = 2022  # the first year a preset is offered for (custom dates reach further)
FORMATS = (("pdf", "PDF"), ("xlsx", "Excel (XLSX)"), ("zip", "CSV (ZIP, HXL)"))


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, session: SessionDep, actor: Caller, language: RequestLanguage) -> HTMLResponse:
    """The reports page in the request's language; never stored (it names who is logged in)."""
    page = _page(session, actor, language)
    page = for_user(page, actor, csrf=getattr(request.state, "csrf", None), language=language, path="/reports")
    return HTMLResponse(page, headers={"Cache-Control": "no-store", "Content-Language": language})


def _options(rows: list[tuple[str, str, str]], any_label: str | None) -> str:
    """<option>s of (value, label, data-donor); an "any" option first when `any_label` is given."""
    first = f'<option value="">{escape(any_label)}</option>' if any_label is not None else ""
    return first + "".join(
        f'<option value="{escape(v)}" data-donor="{escape(d)}">{escape(label)}</option>' for v, label, d in rows
    )


def _choices(session: Session, actor: Actor, language: str) -> dict[str, list[tuple[str, str, str]]]:
    """Donors, agreements, operators and oblasts the actor may choose from, named in `language`."""
    own = funded_donor(actor) if actor.is_donor else None
    funding = own is not None or allowed(actor, "read.funding")
    donors: list[tuple[str, str, str]] = []
    agreements: list[tuple[str, str, str]] = []
    if funding:
        donors = [
            (str(r.id), r.name, str(r.id))
            for r in session.execute(
                text(
                    "SELECT id, name FROM donor "
                    "WHERE deleted_at IS NULL AND (CAST(:own AS bigint) IS NULL OR id = :own)"
                ),
                {"own": own},
            )
        ]
        agreements = [
            (str(r.id), f"{r.reference} · {r.organisation}", str(r.donor_id))
            for r in session.execute(
                text(
                    "SELECT fa.id, fa.reference, fa.donor_id, o.name AS organisation FROM funding_agreement fa "
                    "JOIN organisation o ON o.id = fa.organisation_id WHERE fa.deleted_at IS NULL "
                    "AND (CAST(:own AS bigint) IS NULL OR fa.donor_id = :own) ORDER BY fa.reference"
                ),
                {"own": own},
            )
        ]
    operators = [
        (str(r.id), r.name, "")
        for r in session.execute(text("SELECT id, name FROM organisation WHERE deleted_at IS NULL ORDER BY name"))
    ]
    oblasts = [
        (r.code, place_name(r.name, r.name_en, language), "")
        for r in session.execute(text("SELECT code, name, name_en FROM admin_unit WHERE level = 1"))
    ]
    return {
        "donors": sorted(donors, key=lambda r: sort_key(r[1])),
        "agreements": agreements,
        "operators": operators,
        "oblasts": sorted(oblasts, key=lambda r: sort_key(r[1])),
    }


def presets(today: date, language: str) -> list[tuple[str, str, str, str]]:
    """(key, label, first day, last day) of each quarter and year up to today, newest first.

    >>> presets(date(2025, 8, 1), "en")[:3]
    [('2025-Q3', 'Q3 2025 (so far)', '2025-07-01', '2025-09-30'), ('2025-Q2', 'Q2 2025', '2025-04-01', '2025-06-30'), \
('2025-Q1', 'Q1 2025', '2025-01-01', '2025-03-31')]
    """
    _ = translator(language)
    out = []
    for year in range(today.year, FIRST_YEAR - 1, -1):
        for quarter in range(4, 0, -1):
            start = date(year, 3 * quarter - 2, 1)
            if start > today:
                continue
            end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
            label = _("Q{quarter} {year}").format(quarter=quarter, year=year)
            label += f" ({_('so far')})" if end >= today else ""
            out.append((f"{year}-Q{quarter}", label, str(start), str(end)))
    for year in range(today.year, FIRST_YEAR - 1, -1):
        so_far = f" ({_('so far')})" if year == today.year else ""
        out.append((str(year), _("Year {year}").format(year=year) + so_far, f"{year}-01-01", f"{year}-12-31"))
    return out


def default_preset(today: date) -> str:
    """The last quarter that has ended: the one a donor report is usually asked for."""
    first_of_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last = first_of_quarter - timedelta(days=1)
    return f"{last.year}-Q{(last.month - 1) // 3 + 1}"


def _page(session: Session, actor: Actor, language: str) -> str:
    _ = translator(language)
    choices = _choices(session, actor, language)
    today = clock.today()
    chosen = default_preset(today)
    period_options = (
        "".join(
            f'<option value="{key}" data-from="{start}" data-to="{end}"{" selected" if key == chosen else ""}>'
            f"{escape(label)}</option>"
            for key, label, start, end in presets(today, language)
        )
        + f'<option value="custom">{escape(_("Custom dates…"))}</option>'
    )
    donor_field = ""
    if actor.is_donor:
        name = choices["donors"][0][1] if choices["donors"] else ""
        donor_field = f"""
    <label for="donor_id">{_("Donor")}</label>
    <select id="donor_id" name="donor_id">{_options(choices["donors"], None)}</select>
    <p class="hint">{_("As a donor officer you read the reports of {donor} only.").format(donor=escape(name))}</p>"""
    elif choices["donors"]:
        donor_field = f"""
    <label for="donor_id">{_("Donor")}</label>
    <select id="donor_id" name="donor_id">{_options(choices["donors"], _("All donors"))}</select>"""
    agreement_field = (
        f"""
    <label for="agreement_id">{_("Funding agreement")}</label>
    <select id="agreement_id" name="agreement_id">{_options(choices["agreements"], _("All agreements"))}</select>"""
        if choices["agreements"]
        else ""
    )
    formats = "".join(
        f'<label class="choice"><input type="radio" name="format" value="{ext}"{" checked" if ext == "pdf" else ""}>'
        f" {escape(label)}</label>"
        for ext, label in FORMATS
    )
    strings = {
        k: _(k)
        for k in (
            "Preparing the report…",
            "Preparing the report… {seconds} s",
            "Downloaded {name} ({size}).",
            "The report could not be made: {reason}",
            "The server did not answer. Check the connection and try again.",
            "Choose both dates, the first no later than the last.",
        )
    }
    config = escape(json.dumps({"language": language, "strings": strings}), quote=True)
    return f"""<!doctype html>
<html lang="{language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_("Donor reports")} · {_("Mine action information system")}</title>
{HEAD_SLOT}
<link rel="stylesheet" href="{APP_STATIC_URL}/reports.css"></head>
<body>
<header class="top"><a href="/map">{_("← Map")}</a><h1>{_("Donor reports")}</h1>{USER_SLOT}</header>
<main id="reports" data-config="{config}">
  <p class="lead">{
        _(
            "A land release report for a donor, agreement, operator or oblast over a period: PDF to read, "
            "Excel or CSV to work with the figures."
        )
    }</p>
  <form id="report-form" novalidate>
    <fieldset><legend>{_("Whose work")}</legend>
    {donor_field}
    {agreement_field}
    <label for="organisation_id">{_("Operator")}</label>
    <select id="organisation_id" name="organisation_id">{_options(choices["operators"], _("All operators"))}</select>
    <label for="oblast_code">{_("Oblast")}</label>
    <select id="oblast_code" name="oblast_code">{_options(choices["oblasts"], _("All oblasts"))}</select>
    </fieldset>
    <fieldset><legend>{_("Period")}</legend>
    <label for="period">{_("Period")}</label>
    <select id="period" name="period">{period_options}</select>
    <div id="custom-dates" hidden>
      <label for="date_from">{_("From")}</label><input type="date" id="date_from" name="date_from">
      <label for="date_to">{_("To")}</label><input type="date" id="date_to" name="date_to">
    </div>
    <p class="hint">{_("Today: {date}").format(date=escape(format_date(today, language)))}</p>
    </fieldset>
    <fieldset class="formats"><legend>{_("Format")}</legend>{formats}</fieldset>
    <button type="submit" id="download">{_("Download report")}</button>
    <div id="progress" hidden><progress aria-label="{_("Preparing the report…")}"></progress>
      <span id="progress-text"></span></div>
    <p id="report-status" role="status" aria-live="polite"></p>
    <p id="report-error" role="alert" class="error" hidden></p>
  </form>
  <p class="hint">{
        _(
            "What the report holds and how each figure is counted is explained in the report itself, "
            "under Methodology and definitions."
        )
    }</p>
</main>
<script src="{APP_STATIC_URL}/reports.js"></script>
</body></html>"""
