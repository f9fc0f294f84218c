"""IATI 2.03 activity file: one `<iati-activity>` per funding agreement in a report's scope (docs/iati.md).

The figures are those of the donor report for the same filter and reader: released m² per
agreement and expenditure are selected with the conditions of `app.reporting.scope`, so the
IATI file and the donor report never disagree. The XML is built with lxml elements, never by
pasting user text into markup.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lxml import etree
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain.access import Actor, allowed
from app.domain.vocabulary import SQL_VALUES
from app.i18n import gettext, place_name
from app.reporting import scope
from app.reporting.filter import ReportFilter

IATI_VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class ReportingOrg:
    """Who publishes the file: one organisation for every activity in it, as IATI requires.

    `ref` is an IATI organisation identifier ({registration agency}-{number}, e.g. UA-EDR-12345678 for
    a body in Ukraine's state register); it prefixes every activity's iati-identifier. `type` is an
    IATI OrganisationType code (10 government).
    """

    ref: str
    name: str
    type: str = "10"


# A placeholder until the publishing authority sets its own (the command line's --reporting-org-*).
DEFAULT_REPORTING_ORG = ReportingOrg(ref="XX-MAIS", name="Mine action information system")
DESCRIPTION = (
    "Survey and clearance of explosive ordnance in Ukraine by {organisation}, funded by {donor} under agreement "
    "{reference}."
)
DAC_SECTOR = "15250"  # DAC 5: Removal of land mines and explosive remnants of war
RECIPIENT_COUNTRY = "UA"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
# Codelists of the IATI Standard 2.03 used here
ORG_ROLE_FUNDING, ORG_ROLE_IMPLEMENTING = "1", "4"
ORG_TYPE_OPERATOR = {"ngo": "22", "commercial": "70", "government": "10", "military": "10"}
DATE_PLANNED_START, DATE_ACTUAL_START, DATE_PLANNED_END = "1", "2", "3"
TRANSACTION_EXPENDITURE = "4"
RESULT_OUTPUT = "1"
MEASURE_UNIT = "1"
LOCATION_REACH_ACTIVITY = "1"
LOCATION_EXACTNESS_EXACT = "1"
LOCATION_CLASS_ADMIN_REGION = "1"


def build_iati(
    session: Session,
    flt: ReportFilter,
    *,
    actor: Actor | None = None,
    reporting_org: ReportingOrg = DEFAULT_REPORTING_ORG,
    now: datetime | None = None,
) -> bytes:
    """The IATI activity file (UTF-8 XML) of the agreements `flt` covers, as `actor` may read them.

    A donor officer gets only its donor's agreements (`scope.for_actor`), as in the donor report; money
    (budget and transactions) is left out for readers who may not read funding, as the report's money tables are.
    """
    money = actor is None or actor.is_donor or allowed(actor, "read.funding")
    if not session.in_transaction():  # one snapshot for every figure, as the donor report reads
        session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
    if actor is not None:
        flt = scope.for_actor(flt, actor)
    scope.described(session, flt, actor)  # an unknown id is a 422, another donor's agreement a 403
    p = flt.params()
    as_of: datetime = now or session.execute(text("SELECT now()")).scalar_one()
    agreements = _agreements(session, flt, p)
    ids = [a["id"] for a in agreements]
    released = _released(session, flt, p)
    destroyed = _destroyed(session, flt, p)
    spending = _expenditure(session, flt, p)
    places = _locations(session, flt, {**p, "ids": ids})
    started = _started(session, {"ids": ids})

    root = etree.Element("iati-activities", version=IATI_VERSION, attrib={"generated-datetime": _iso(as_of)})
    for a in agreements:
        root.append(
            _activity(
                a,
                reporting_org,
                as_of=as_of,
                flt=flt,
                released_m2=released.get(a["id"], 0.0),
                destroyed=destroyed.get(a["id"], 0),
                spending=spending.get(a["id"], []),
                money=money,
                places=places.get(a["id"], []),
                started=started.get(a["id"]),
            )
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _agreements(session: Session, flt: ReportFilter, p: dict[str, Any]) -> list[dict[str, Any]]:
    """The agreements of the donor report's `agreements` table, with what IATI needs about donor and operator."""
    conds = [
        "fa.deleted_at IS NULL",
        *scope.funding(flt, org="fa.organisation_id", agreement="fa.id", donor="fa.donor_id"),
        *(["fa.period_end >= :date_from"] if flt.date_from else []),
        *(["fa.period_start <= :date_to"] if flt.date_to else []),
    ]
    sql = f"""
        SELECT fa.id, fa.reference, fa.title, fa.notes, fa.currency, fa.amount, fa.period_start, fa.period_end,
               d.name AS donor, d.iati_org_ref, o.name AS organisation, o.kind AS organisation_kind
        FROM funding_agreement fa JOIN donor d ON d.id = fa.donor_id JOIN organisation o ON o.id = fa.organisation_id
        {scope.where(conds)}
        ORDER BY fa.reference
    """
    return [dict(r) for r in session.execute(text(sql), p).mappings()]


def _released(session: Session, flt: ReportFilter, p: dict[str, Any]) -> dict[int, float]:
    """m² released per agreement: the releases the donor report counts."""
    sql = f"""
        SELECT t.funding_agreement_id AS id, sum(r.area_m2) AS m2
        {scope.RELEASES_FROM} {scope.releases_where(flt)} AND t.funding_agreement_id IS NOT NULL
        GROUP BY 1
    """
    return {r.id: float(r.m2) for r in session.execute(text(sql), p)}


def _destroyed(session: Session, flt: ReportFilter, p: dict[str, Any]) -> dict[int, int]:
    """Explosive items destroyed in situ per agreement, counted as the donor report's `items` table does."""
    area_join = "JOIN" if flt.admin else "LEFT JOIN"
    conds = [
        "d.deleted_at IS NULL",
        "t.funding_agreement_id IS NOT NULL",
        "d.fate = :v_destroyed_in_situ",
        *scope.by_activity(flt),
        *scope.admin(flt, "h"),
        *scope.period("d.found_on", flt),
    ]
    sql = f"""
        SELECT t.funding_agreement_id AS id, sum(d.quantity) AS n
        FROM device_found d
        JOIN activity a ON a.id = d.activity_id
        LEFT JOIN task t ON t.id = a.task_id
        LEFT JOIN funding_agreement fa ON fa.id = t.funding_agreement_id
        {area_join} hazardous_area h ON h.id = d.hazardous_area_id
        {scope.where(conds)}
        GROUP BY 1
    """
    return {r.id: int(r.n) for r in session.execute(text(sql), p)}


def _expenditure(session: Session, flt: ReportFilter, p: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    """Each expenditure record of the report's period (wholly inside it, as the report sums them), per agreement."""
    conds = [
        "fa.deleted_at IS NULL",
        *scope.funding(flt, org="fa.organisation_id", agreement="fa.id", donor="fa.donor_id"),
        *scope.period("x.period_start", flt),
        *scope.period("x.period_end", flt),
    ]
    sql = f"""
        SELECT fa.id, x.id AS record, x.period_start, x.period_end, x.amount
        FROM expenditure x JOIN funding_agreement fa ON fa.id = x.funding_agreement_id
        {scope.where(conds)}
        ORDER BY x.period_start, x.id
    """
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in session.execute(text(sql), p).mappings():
        out[r["id"]].append(dict(r))
    return out


def _locations(session: Session, flt: ReportFilter, p: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    """Where each agreement's tasks work: per task, the centroid of its areas and the hromadas they lie in."""
    sql = f"""
        SELECT t.funding_agreement_id AS id, t.reference,
               ST_Y(ST_Centroid(ST_Collect(h.geom))) AS lat, ST_X(ST_Centroid(ST_Collect(h.geom))) AS lon,
               array_remove(array_agg(DISTINCT h.hromada_code), NULL) AS hromadas,
               array_remove(array_agg(DISTINCT h.oblast_code), NULL) AS oblasts
        FROM task t
        JOIN task_hazardous_area tha ON tha.task_id = t.id
        JOIN hazardous_area h ON h.id = tha.hazardous_area_id AND h.deleted_at IS NULL
        {scope.where(["t.deleted_at IS NULL", "t.funding_agreement_id = ANY(:ids)", *scope.task_in_unit(flt, "t")])}
        GROUP BY t.funding_agreement_id, t.id, t.reference
        ORDER BY t.reference
    """
    rows = [dict(r) for r in session.execute(text(sql), p).mappings()]
    codes = sorted({c for r in rows for c in (*r["hromadas"], *r["oblasts"])})
    names = {
        r.code: (r.name, r.name_en)
        for r in session.execute(
            text("SELECT code, name, name_en FROM admin_unit WHERE code = ANY(:codes)"), {"codes": codes}
        )
    }
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        units = [names[c] for c in (*sorted(r["hromadas"]), *sorted(r["oblasts"])) if c in names]
        out[r["id"]].append({**r, "names": units})
    return out


def _started(session: Session, p: dict[str, Any]) -> dict[int, date]:
    """The day work first started on any task of each agreement (the first move to in_progress)."""
    sql = """
        SELECT t.funding_agreement_id AS id, min(e.occurred_on) AS started
        FROM task t JOIN task_event e ON e.task_id = t.id
        WHERE t.deleted_at IS NULL AND t.funding_agreement_id = ANY(:ids) AND e.to_status = :v_in_progress
        GROUP BY 1
    """
    return {r.id: r.started for r in session.execute(text(sql), {**p, "v_in_progress": SQL_VALUES["v_in_progress"]})}


def _activity(
    a: dict[str, Any],
    reporting_org: ReportingOrg,
    *,
    as_of: datetime,
    flt: ReportFilter,
    released_m2: float,
    destroyed: int,
    spending: list[dict[str, Any]],
    places: list[dict[str, Any]],
    started: date | None,
    money: bool,
) -> etree._Element:
    activity = etree.Element(
        "iati-activity",
        attrib={
            "last-updated-datetime": _iso(as_of),
            XML_LANG: "en",
            "default-currency": a["currency"],
            "humanitarian": "1",
        },
    )
    _sub(activity, "iati-identifier", text=identifier(reporting_org, a["reference"]))
    reporting = _sub(activity, "reporting-org", ref=reporting_org.ref, type=reporting_org.type)
    _narrative(reporting, reporting_org.name)
    title = _sub(activity, "title")
    if a["title"]:
        _narrative(title, a["title"])
    else:
        _say(title, "Land release under agreement {reference}", reference=a["reference"])
    description = _sub(activity, "description", type="1")
    if a["notes"]:
        _narrative(description, a["notes"])
    else:
        _say(description, DESCRIPTION, organisation=a["organisation"], donor=a["donor"], reference=a["reference"])
    funder = _sub(
        activity,
        "participating-org",
        role=ORG_ROLE_FUNDING,
        **({"ref": a["iati_org_ref"]} if a["iati_org_ref"] else {}),
    )
    _narrative(funder, a["donor"])
    implementer = _sub(activity, "participating-org", role=ORG_ROLE_IMPLEMENTING)
    if a["organisation_kind"] in ORG_TYPE_OPERATOR:
        implementer.set("type", ORG_TYPE_OPERATOR[a["organisation_kind"]])
    _narrative(implementer, a["organisation"])
    _sub(activity, "activity-status", code=_status(a, as_of.date()))
    _sub(activity, "activity-date", type=DATE_PLANNED_START, attrib={"iso-date": a["period_start"].isoformat()})
    if started is not None:
        _sub(activity, "activity-date", type=DATE_ACTUAL_START, attrib={"iso-date": started.isoformat()})
    _sub(activity, "activity-date", type=DATE_PLANNED_END, attrib={"iso-date": a["period_end"].isoformat()})
    _sub(activity, "recipient-country", code=RECIPIENT_COUNTRY, percentage="100")
    for place in places:
        _location(activity, place)
    _sub(activity, "sector", vocabulary="1", code=DAC_SECTOR, percentage="100")
    if money:
        budget = _sub(activity, "budget", type="1", status="2")
        _sub(budget, "period-start", attrib={"iso-date": a["period_start"].isoformat()})
        _sub(budget, "period-end", attrib={"iso-date": a["period_end"].isoformat()})
        _sub(budget, "value", text=_amount(a["amount"]), attrib={"value-date": a["period_start"].isoformat()})
        for x in spending:
            _transaction(activity, x, a)
    start = max(d for d in (a["period_start"], flt.date_from) if d)
    end = min(d for d in (a["period_end"], flt.date_to) if d)
    _result(activity, "Land released", "Land released (m²)", "m²", round(released_m2, 2), start, end)
    items = "Explosive ordnance destroyed"
    _result(activity, items, items, "items", destroyed, start, end)
    return activity


def identifier(reporting_org: ReportingOrg, reference: str) -> str:
    """The activity's iati-identifier: the reporting organisation's ref, then the agreement's reference.

    >>> identifier(DEFAULT_REPORTING_ORG, "NF 2025/1")
    'XX-MAIS-NF-2025-1'
    """
    return f"{reporting_org.ref}-{re.sub(r'[^A-Za-z0-9._-]+', '-', reference).strip('-')}"


def _status(a: dict[str, Any], today: date) -> str:
    """IATI ActivityStatus: 1 pipeline before the agreement starts, 2 implementation during it, 3 finalisation after."""
    if today < a["period_start"]:
        return "1"
    return "2" if today <= a["period_end"] else "3"


def _location(activity: etree._Element, place: dict[str, Any]) -> None:
    location = _sub(activity, "location", ref=f"task-{place['reference']}")
    _sub(location, "location-reach", code=LOCATION_REACH_ACTIVITY)
    name = _sub(location, "name")
    if place["names"]:
        _narrative(name, ", ".join(place_name(n, en, "en") for n, en in place["names"]))
        _narrative(name, ", ".join(place_name(n, en, "uk") for n, en in place["names"]), lang="uk")
    else:
        _say(name, "Task {reference}", reference=place["reference"])
    _say(_sub(location, "activity-description"), "Task {reference}", reference=place["reference"])
    point = _sub(location, "point", srsName=WGS84)
    _sub(point, "pos", text=f"{place['lat']:.6f} {place['lon']:.6f}")
    _sub(location, "exactness", code=LOCATION_EXACTNESS_EXACT)
    _sub(location, "location-class", code=LOCATION_CLASS_ADMIN_REGION)


def _transaction(activity: etree._Element, x: dict[str, Any], a: dict[str, Any]) -> None:
    transaction = _sub(activity, "transaction", ref=f"{a['reference']}-expenditure-{x['record']}")
    _sub(transaction, "transaction-type", code=TRANSACTION_EXPENDITURE)
    _sub(transaction, "transaction-date", attrib={"iso-date": x["period_end"].isoformat()})
    _sub(
        transaction,
        "value",
        text=_amount(x["amount"]),
        currency=a["currency"],
        attrib={"value-date": x["period_end"].isoformat()},
    )
    _say(_sub(transaction, "description"), "Expenditure {start} to {end}", start=x["period_start"], end=x["period_end"])


def _result(
    activity: etree._Element, title: str, indicator_title: str, unit: str, value: float, start: date, end: date
) -> None:
    result = _sub(activity, "result", type=RESULT_OUTPUT, attrib={"aggregation-status": "1"})
    _say(_sub(result, "title"), title)
    indicator = _sub(result, "indicator", measure=MEASURE_UNIT, ascending="1")
    _say(_sub(indicator, "title"), indicator_title)
    _say(_sub(indicator, "description"), f"Measured in {unit}, as in the donor report for the same period")
    period = _sub(indicator, "period")
    _sub(period, "period-start", attrib={"iso-date": start.isoformat()})
    _sub(period, "period-end", attrib={"iso-date": max(start, end).isoformat()})
    _sub(period, "actual", value=_number(value))


def _sub(
    parent: etree._Element, tag: str, *, text: str | None = None, attrib: dict[str, str] | None = None, **attrs: str
) -> etree._Element:
    element = etree.SubElement(parent, tag, attrib={**attrs, **(attrib or {})})
    if text is not None:
        element.text = text
    return element


def _narrative(parent: etree._Element, value: str, lang: str | None = None) -> None:
    _sub(parent, "narrative", text=value, attrib={XML_LANG: lang} if lang else None)


def _say(parent: etree._Element, english: str, **values: Any) -> None:
    """A narrative in English (the activity's language) and, when app/i18n/uk/iati.po has it, one in Ukrainian."""
    _narrative(parent, english.format(**values))
    ukrainian = gettext("uk", english)
    if ukrainian != english:
        _narrative(parent, ukrainian.format(**values), lang="uk")


def _amount(value: float) -> str:
    return f"{value:.2f}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()
