"""The ways to a report: the reports page's choices, the map pages' links, the API's file types and language."""

from __future__ import annotations

import io

import openpyxl
from fastapi.testclient import TestClient

from app.dashboard.reports import default_preset, presets
from app.main import app
from tests.accounts import client_for, make_account
from tests.report_world import ReportWorld

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_openapi_declares_the_files_real_content_types_and_the_language(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    files = paths["/api/v1/reports/donor.{extension}"]["get"]
    assert set(files["responses"]["200"]["content"]) == {"application/zip", XLSX, "application/pdf"}
    assert files["responses"]["200"]["content"]["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
    assert "lang" in [p["name"] for p in files["parameters"]]
    table = paths["/api/v1/reports/donor/{table}.csv"]["get"]
    assert set(table["responses"]["200"]["content"]) == {"text/csv"}


def test_the_xlsx_is_in_the_language_asked_for(client: TestClient) -> None:
    world = ReportWorld(client)
    params = {"donor_id": world.nordic, "date_from": "2025-04-01", "date_to": "2025-06-30"}
    for asked, headers, title in (
        (
            {"lang": "uk"},
            {},
            "Звіт про звільнення земель — Nordic Fund — 2-й квартал 2025 (1 квіт. — 30 черв. 2025 р.)",
        ),
        ({}, {"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"}, "Звіт про звільнення земель — Nordic Fund — 2-й квартал"),
        (
            {"lang": "en"},
            {"Accept-Language": "uk"},
            "Land release report — Nordic Fund — Q2 2025 (1 Apr – 30 Jun 2025)",
        ),
    ):
        answer = client.get("/api/v1/reports/donor.xlsx", params={**params, **asked}, headers=headers)
        assert answer.status_code == 200 and answer.headers["content-type"] == XLSX
        assert answer.headers["content-language"] == ("en" if asked.get("lang") == "en" else "uk")
        cover = openpyxl.load_workbook(io.BytesIO(answer.content))["report"]
        assert str(cover["A1"].value).replace("\xa0", " ").startswith(title)
        assert (
            'filename="land-release-report-nordic-fund-2025-04-01-2025-06-30.xlsx"'
            in answer.headers["content-disposition"]
        )


def test_the_page_offers_a_coordinator_every_donor_and_a_donor_officer_its_own(client: TestClient) -> None:
    world = ReportWorld(client)
    coordinator = client_for(app, make_account("coordinator", username="coord.page"))
    page = coordinator.get("/reports").text
    assert '<option value="">All donors</option>' in page
    assert f'<option value="{world.nordic}" data-donor="{world.nordic}">Nordic Fund</option>' in page
    assert f'<option value="{world.atlantic}" data-donor="{world.atlantic}">Atlantic Trust</option>' in page
    officer = client_for(app, make_account("donor", username="officer.atlantic", donor_id=world.atlantic))
    page = officer.get("/reports", params={"lang": "uk"}).text
    assert '<html lang="uk">' in page and "Звіти для донорів" in page
    assert "Nordic Fund" not in page and "NF-1" not in page
    assert f'<option value="{world.atlantic}" data-donor="{world.atlantic}">Atlantic Trust</option>' in page
    assert "All donors" not in page and "Усі донори" not in page


def test_both_map_pages_link_to_the_reports_and_the_donors_page_speaks_ukrainian(client: TestClient) -> None:
    world = ReportWorld(client)
    assert '<a id="reports-link" href="/reports">Donor reports</a>' in client.get("/map").text
    officer = client_for(app, make_account("donor", username="officer.nordic.map", donor_id=world.nordic))
    english = officer.get("/map", params={"lang": "en"}).text
    assert '<a id="reports-link" href="/reports">Donor reports</a>' in english and "Released land you fund" in english
    ukrainian = officer.get("/map", params={"lang": "uk"}).text
    assert '<html lang="uk">' in ukrainian
    assert "Звільнені землі, які ви фінансуєте" in ukrainian and ">Звіти для донорів</a>" in ukrainian
    assert "Released land you fund" not in ukrainian


def test_period_presets_run_from_the_current_quarter_back_and_default_to_the_last_ended() -> None:
    from datetime import date

    keys = [key for key, *_ in presets(date(2026, 11, 30), "en")]
    assert keys[:3] == ["2026-Q4", "2026-Q3", "2026-Q2"] and "2025-Q2" in keys and "2024" in keys
    assert default_preset(date(2026, 11, 30)) == "2026-Q3" and default_preset(date(2025, 7, 1)) == "2025-Q2"
    labels = {key: label for key, label, *_ in presets(date(2026, 11, 30), "uk")}
    assert labels["2025-Q2"] == "2-й квартал 2025" and labels["2026-Q4"] == "4-й квартал 2026 (дотепер)"
