"""The IATI 2.03 activity file: valid against the IATI schema, with the donor report's figures (docs/iati.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import text
from typer.testing import CliRunner

from app.cli import cli
from app.config import get_settings
from app.db.session import new_session
from app.main import app
from tests.accounts import client_for, make_account
from tests.factories import KHARKIV_HROMADA
from tests.report_world import ReportWorld

SCHEMA_DIR = Path(__file__).parent / "data" / "iati-2.03"
IATI = "/api/v1/reports/iati.xml"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


@pytest.fixture
def world(client: TestClient) -> ReportWorld:
    return ReportWorld(client)


def parse(body: bytes, schema: etree.XMLSchema) -> etree._Element:
    doc = etree.fromstring(body)
    valid = schema.validate(doc)
    assert valid, "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
    return doc


def activities(doc: etree._Element) -> dict[str, etree._Element]:
    return {a.findtext("iati-identifier"): a for a in doc.findall("iati-activity")}


def actual(activity: etree._Element, indicator: str) -> float:
    for ind in activity.iterfind("result/indicator"):
        if ind.findtext("title/narrative") == indicator:
            return float(ind.find("period/actual").get("value"))
    raise AssertionError(f"no indicator {indicator!r}")


def donor_report(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/reports/donor", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_iati_file_is_valid_and_carries_the_report_figures(
    client: TestClient, world: ReportWorld, schema: etree.XMLSchema
) -> None:
    response = client.get(IATI)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    doc = parse(response.content, schema)
    assert doc.get("version") == "2.03"
    found = activities(doc)
    # One activity per agreement, identified under the one publisher of the file.
    assert sorted(found) == ["XX-MAIS-AT-1", "XX-MAIS-NF-1"]
    nf1, at1 = found["XX-MAIS-NF-1"], found["XX-MAIS-AT-1"]
    assert {a.find("reporting-org").get("ref") for a in found.values()} == {"XX-MAIS"}
    for activity in (nf1, at1):
        sectors = activity.findall("sector")
        assert [(s.get("vocabulary"), s.get("code")) for s in sectors] == [("1", "15250")]
        assert activity.find("recipient-country").get("code") == "UA"
    assert nf1.get("default-currency") == "EUR" and at1.get("default-currency") == "USD"
    roles = {p.get("role"): (p.findtext("narrative"), p.get("ref")) for p in nf1.findall("participating-org")}
    assert roles == {"1": ("Nordic Fund", "NO-1"), "4": ("Steppe Demining", None)}
    assert nf1.findtext("title/narrative[@{http://www.w3.org/XML/1998/namespace}lang='uk']") == (
        "Звільнення земель за угодою NF-1"
    )
    assert float(nf1.findtext("budget/value")) == 500_000
    dates = {d.get("type"): d.get("iso-date") for d in nf1.findall("activity-date")}
    assert dates == {"1": "2025-01-01", "2": "2025-03-01", "3": "2025-12-31"}

    # Transactions are the expenditure records, one by one.
    spent = [
        (t.find("transaction-type").get("code"), float(t.findtext("value")), t.find("value").get("currency"))
        for t in nf1.findall("transaction")
    ]
    assert spent == [("4", 100_000.0, "EUR"), ("4", 50_000.0, "EUR")]
    assert sum(v for _, v, _ in spent) == 150_000
    assert [float(t.findtext("value")) for t in at1.findall("transaction")] == [50_000.0]

    # Results: the donor report's released m² and devices destroyed, agreement by agreement.
    rows = {r["reference"]: r for r in donor_report(client)["tables"]["agreements"]}
    assert actual(nf1, "Land released (m²)") == pytest.approx(rows["NF-1"]["released_m2"], abs=0.01)
    assert actual(nf1, "Land released (m²)") == pytest.approx(400_000 + 300_000 + 40_000, abs=0.5)
    assert actual(at1, "Land released (m²)") == pytest.approx(rows["AT-1"]["released_m2"], abs=0.01)
    assert actual(at1, "Land released (m²)") == pytest.approx(250_000, abs=0.5)
    for activity, agreement in ((nf1, world.nf1), (at1, world.at1)):
        headline = donor_report(client, agreement_id=agreement)["headline"]
        assert actual(activity, "Explosive ordnance destroyed") == headline["items_destroyed"]
    assert actual(nf1, "Explosive ordnance destroyed") == 3 and actual(at1, "Explosive ordnance destroyed") == 2

    # Locations: one per task, at the centroid of its areas.
    locations = nf1.findall("location")
    assert [loc.get("ref") for loc in locations] == ["task-T1"]
    lat, lon = (float(v) for v in locations[0].findtext("point/pos").split())
    assert 44 < lat < 53 and 22 < lon < 41  # in Ukraine
    assert locations[0].findtext("name/narrative") == "Task T1"  # no admin units loaded


def test_locations_are_named_after_their_hromada_in_both_languages(
    client: TestClient, world: ReportWorld, schema: etree.XMLSchema
) -> None:
    with new_session() as session:
        session.execute(
            text(
                "INSERT INTO admin_unit (country, level, code, name, name_en, parent_code, geom, created_by) "
                "VALUES ('UA', 3, :code, 'Харківська', 'Kharkivska', 'UA6312', "
                "ST_Multi(ST_MakeEnvelope(36, 49.9, 36.4, 50.1, 4326)), 'test')"
            ),
            {"code": KHARKIV_HROMADA},
        )
        session.commit()
    doc = parse(client.get(IATI, params={"agreement_id": world.nf1}).content, schema)
    name = doc.find("iati-activity/location/name")
    assert [(n.text, n.get("{http://www.w3.org/XML/1998/namespace}lang")) for n in name] == [
        ("Kharkivska", None),
        ("Харківська", "uk"),
    ]


def test_iati_follows_the_report_period(client: TestClient, world: ReportWorld, schema: etree.XMLSchema) -> None:
    doc = parse(client.get(IATI, params={"date_from": "2025-04-01", "date_to": "2025-06-30"}).content, schema)
    nf1 = activities(doc)["XX-MAIS-NF-1"]
    assert [float(t.findtext("value")) for t in nf1.findall("transaction")] == [50_000.0]
    q2 = {
        r["reference"]: r
        for r in donor_report(client, date_from="2025-04-01", date_to="2025-06-30")["tables"]["agreements"]
    }
    assert actual(nf1, "Land released (m²)") == pytest.approx(q2["NF-1"]["released_m2"], abs=0.01)
    period = nf1.find("result/indicator/period")
    assert (period.find("period-start").get("iso-date"), period.find("period-end").get("iso-date")) == (
        "2025-04-01",
        "2025-06-30",
    )


def test_a_donor_officer_gets_only_its_own_donors_activities(world: ReportWorld, schema: etree.XMLSchema) -> None:
    officer = client_for(app, make_account("donor", username="officer.iati", donor_id=world.atlantic))
    doc = parse(officer.get(IATI).content, schema)
    assert sorted(activities(doc)) == ["XX-MAIS-AT-1"]
    assert officer.get(IATI, params={"donor_id": world.nordic}).status_code == 403
    assert officer.get(IATI, params={"agreement_id": world.nf1}).status_code == 403


def test_cli_writes_the_same_file(
    client: TestClient, world: ReportWorld, tmp_path: Path, schema: etree.XMLSchema
) -> None:
    out = tmp_path / "iati" / "nordic.xml"
    result = CliRunner().invoke(cli, ["iati", "-o", str(out), "--donor-id", str(world.nordic)])
    assert result.exit_code == 0, result.output
    written = parse(out.read_bytes(), schema)
    served = parse(client.get(IATI, params={"donor_id": world.nordic}).content, schema)
    for doc in (written, served):  # the two were generated at different instants
        for element in (doc, *doc.iter("iati-activity")):
            element.attrib.pop("generated-datetime", None)
            element.attrib.pop("last-updated-datetime", None)
    assert etree.tostring(written) == etree.tostring(served)
    assert sorted(activities(written)) == ["XX-MAIS-NF-1"]
    named = tmp_path / "named.xml"
    args = ["iati", "-o", str(named), "--reporting-org-ref", "UA-EDR-12345678", "--reporting-org-name", "Authority"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert sorted(activities(parse(named.read_bytes(), schema))) == ["UA-EDR-12345678-AT-1", "UA-EDR-12345678-NF-1"]
    bad = CliRunner().invoke(cli, ["iati", "-o", str(out), "--date-from", "2025-06-01", "--date-to", "2025-05-01"])
    assert bad.exit_code == 1 and "before date_from" in bad.output


def test_public_readers_get_the_results_but_no_money(
    world: ReportWorld, anonymous: TestClient, schema: etree.XMLSchema, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert anonymous.get(IATI).status_code == 401
    monkeypatch.setattr(get_settings(), "public_read", True)
    doc = parse(anonymous.get(IATI).content, schema)
    nf1 = activities(doc)["XX-MAIS-NF-1"]
    assert nf1.findall("transaction") == [] and nf1.find("budget") is None
    assert actual(nf1, "Land released (m²)") == pytest.approx(740_000, abs=0.5)


def test_the_configured_publisher_names_every_activity(
    client: TestClient, world: ReportWorld, schema: etree.XMLSchema, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAIS_IATI_REPORTING_ORG_REF", "UA-EDR-12345678")
    monkeypatch.setenv("MAIS_IATI_REPORTING_ORG_NAME", "Mine Action Centre")
    get_settings.cache_clear()
    try:
        doc = parse(client.get(IATI).content, schema)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    found = activities(doc)
    assert sorted(found) == ["UA-EDR-12345678-AT-1", "UA-EDR-12345678-NF-1"]
    assert {a.find("reporting-org/narrative").text for a in found.values()} == {"Mine Action Centre"}
