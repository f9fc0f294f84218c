"""Donor reports against a small world with hand-known figures: every number, every filter, every output."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from tests.factories import KHERSON_HROMADA
from tests.report_world import ReportWorld

REPORT = "/api/v1/reports/donor"


def close(actual: Any, expected: Any, path: str = "") -> None:
    """Numbers equal to half a m² (reprojected corners leave slivers), everything else exactly."""
    if isinstance(expected, dict):
        assert set(actual) == set(expected), (path, set(actual) ^ set(expected))
        for key in expected:
            close(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), (path, actual)
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            close(a, e, f"{path}[{i}]")
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, abs=0.5), path
    else:
        assert actual == expected, path


@pytest.fixture
def world(client: TestClient) -> ReportWorld:
    return ReportWorld(client)


def report(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get(REPORT, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_whole_programme_report_carries_every_hand_known_figure(client: TestClient, world: ReportWorld) -> None:
    body = report(client)
    assert body["filters"]["distance_m"] == 5000
    assert body["remaining_by"] == "oblast"
    close(
        body["headline"],
        {
            "released_m2": 990_000.0, "cancelled_m2": 400_000.0, "reduced_m2": 250_000.0, "cleared_m2": 340_000.0,
            "remaining_sha_m2": 300_000.0, "remaining_cha_m2": 250_000.0, "overlap_counted_once_m2": 0.0,
            "items_found": 6, "items_destroyed": 5, "tasks_started": 2, "tasks_completed": 1, "areas_handed_over": 1,
            "team_days": 85.0, "m2_per_team_day": 11_647.06,  # 990,000 m² reported over 85 team-days
            "beneficiaries_direct": 335, "beneficiaries_indirect": 1_360,
            "people_near_released_land": 3_300,  # 1,000 + 2,000 + 300 counted once; the far town is out
            "accidents": 3, "victims": 4, "accidents_date_unknown": 0, "victims_date_unknown": 0,
        },
    )  # fmt: skip
    t = body["tables"]
    close(t["released"], [
        {"kind": "cancelled", "method": "nts", "releases": 1, "area_m2": 400_000.0},
        {"kind": "reduced", "method": "mechanical", "releases": 1, "area_m2": 250_000.0},
        {"kind": "cleared", "method": "manual", "releases": 2, "area_m2": 340_000.0},
    ])  # fmt: skip
    close(t["released_monthly"], [
        {"month": "2025-03", "cancelled_m2": 400_000.0, "reduced_m2": 0.0, "cleared_m2": 0.0, "total_m2": 400_000.0},
        {"month": "2025-04", "cancelled_m2": 0.0, "reduced_m2": 250_000.0, "cleared_m2": 0.0, "total_m2": 250_000.0},
        {"month": "2025-05", "cancelled_m2": 0.0, "reduced_m2": 0.0, "cleared_m2": 0.0, "total_m2": 0.0},
        {"month": "2025-06", "cancelled_m2": 0.0, "reduced_m2": 0.0, "cleared_m2": 340_000.0, "total_m2": 340_000.0},
    ])  # fmt: skip
    close(t["remaining"], [
        {"admin_code": "UA63", "sha_areas": 1, "sha_m2": 300_000.0, "cha_areas": 0, "cha_m2": 0.0,
         "total_m2": 300_000.0},
        {"admin_code": "UA65", "sha_areas": 0, "sha_m2": 0.0, "cha_areas": 1, "cha_m2": 250_000.0,
         "total_m2": 250_000.0},
    ])  # fmt: skip
    close(t["items"], [
        {"category": "ap_mine", "label": "Anti-personnel mine", "found": 3, "destroyed_in_situ": 3, "removed": 0,
         "rendered_safe": 0},
        {"category": "uxo", "label": "Unexploded ordnance", "found": 3, "destroyed_in_situ": 2, "removed": 1,
         "rendered_safe": 0},
    ])  # fmt: skip
    close(t["tasks"], [{"started": 2, "completed": 1, "areas_handed_over": 1, "handed_over_m2": 40_000.0}])
    close(t["productivity"], [{"team_days": 85.0, "reported_m2": 990_000.0, "m2_per_team_day": 11_647.06}])
    close(t["cost"], [
        {"currency": "EUR", "agreements": 1, "expenditure": 150_000.0, "released_m2": 740_000.0,
         "cost_per_m2": 0.2027},  # 150,000 EUR over NF-1's 400,000 + 300,000 + 40,000 m²
        {"currency": "USD", "agreements": 1, "expenditure": 50_000.0, "released_m2": 250_000.0, "cost_per_m2": 0.2},
    ])  # fmt: skip
    close(t["beneficiaries"], [
        {"reach": "direct", "women": 130, "men": 112, "girls": 43, "boys": 50, "total": 335},
        {"reach": "indirect", "women": 500, "men": 450, "girls": 200, "boys": 210, "total": 1_360},
    ])  # fmt: skip
    close(t["people_near"], [{"distance_m": 5000.0, "settlements": 3, "population": 3_300}])
    close(t["accidents_monthly"], [
        {"month": "2025-05", "accidents": 2, "victims": 3, "killed": 1, "injured": 2, "children": 1, "female": 1,
         "male": 2, "civilians": 2, "deminers": 1},
        {"month": "2025-07", "accidents": 1, "victims": 1, "killed": 0, "injured": 1, "children": 0, "female": 0,
         "male": 0, "civilians": 0, "deminers": 0},
    ])  # fmt: skip
    close(t["agreements"], [
        {"reference": "AT-1", "donor": "Atlantic Trust", "organisation": "Delta Clearance", "currency": "USD",
         "amount": 300_000.0, "period_start": "2025-01-01", "period_end": "2025-12-31", "expenditure": 50_000.0,
         "released_m2": 250_000.0},
        {"reference": "NF-1", "donor": "Nordic Fund", "organisation": "Steppe Demining", "currency": "EUR",
         "amount": 500_000.0, "period_start": "2025-01-01", "period_end": "2025-12-31", "expenditure": 150_000.0,
         "released_m2": 740_000.0},
    ])  # fmt: skip
    assert "Personal Name" not in str(body)  # victims' identities never reach a report


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param(
            lambda w: {"donor_id": w.nordic},
            {"released_m2": 740_000.0, "cancelled_m2": 400_000.0, "reduced_m2": 0.0, "cleared_m2": 340_000.0,
             "remaining_sha_m2": 300_000.0, "remaining_cha_m2": 0.0, "items_found": 4, "items_destroyed": 3,
             "tasks_started": 1, "tasks_completed": 1, "areas_handed_over": 1, "team_days": 60.0,
             "m2_per_team_day": 12_333.33, "beneficiaries_direct": 305, "beneficiaries_indirect": 1_360,
             "people_near_released_land": 1_300, "accidents": 1, "victims": 2,
             "overlap_counted_once_m2": 0.0, "accidents_date_unknown": 0, "victims_date_unknown": 0},
            id="donor",
        ),
        pytest.param(
            lambda w: {"organisation_id": w.delta},
            {"released_m2": 250_000.0, "cancelled_m2": 0.0, "reduced_m2": 250_000.0, "cleared_m2": 0.0,
             "remaining_sha_m2": 0.0, "remaining_cha_m2": 250_000.0, "items_found": 2, "items_destroyed": 2,
             "tasks_started": 1, "tasks_completed": 0, "areas_handed_over": 0, "team_days": 25.0,
             "m2_per_team_day": 10_000.0, "beneficiaries_direct": 30, "beneficiaries_indirect": 0,
             "people_near_released_land": 2_300, "accidents": 1, "victims": 1,
             "overlap_counted_once_m2": 0.0, "accidents_date_unknown": 0, "victims_date_unknown": 0},
            id="organisation",
        ),
        pytest.param(
            lambda w: {"oblast_code": "UA65"},
            {"released_m2": 250_000.0, "cancelled_m2": 0.0, "reduced_m2": 250_000.0, "cleared_m2": 0.0,
             "remaining_sha_m2": 0.0, "remaining_cha_m2": 250_000.0, "items_found": 2, "items_destroyed": 2,
             "tasks_started": 1, "tasks_completed": 0, "areas_handed_over": 0, "team_days": 25.0,
             "m2_per_team_day": 10_000.0, "beneficiaries_direct": 30, "beneficiaries_indirect": 0,
             "people_near_released_land": 2_300, "accidents": 1, "victims": 1,
             "overlap_counted_once_m2": 0.0, "accidents_date_unknown": 0, "victims_date_unknown": 0},
            id="oblast",
        ),
        pytest.param(
            lambda w: {"date_from": "2025-04-01", "date_to": "2025-06-30"},
            {"released_m2": 590_000.0, "cancelled_m2": 0.0, "reduced_m2": 250_000.0, "cleared_m2": 340_000.0,
             "remaining_sha_m2": 300_000.0, "remaining_cha_m2": 250_000.0, "items_found": 6, "items_destroyed": 5,
             "tasks_started": 1, "tasks_completed": 1, "areas_handed_over": 0, "team_days": 75.0,
             "m2_per_team_day": 7_866.67, "beneficiaries_direct": 335, "beneficiaries_indirect": 1_360,
             "people_near_released_land": 3_300, "accidents": 2, "victims": 3,
             "overlap_counted_once_m2": 0.0, "accidents_date_unknown": 0, "victims_date_unknown": 0},
            id="period",
        ),
    ],
)  # fmt: skip
def test_each_filter_changes_the_figures_as_hand_computed(
    client: TestClient, world: ReportWorld, filters: Any, expected: dict[str, Any]
) -> None:
    close(report(client, **filters(world))["headline"], expected)


def test_period_filter_counts_only_expenditure_periods_inside_it(client: TestClient, world: ReportWorld) -> None:
    body = report(client, date_from="2025-04-01", date_to="2025-06-30")
    close(body["tables"]["cost"], [
        {"currency": "EUR", "agreements": 1, "expenditure": 50_000.0, "released_m2": 340_000.0,
         "cost_per_m2": 0.1471},  # Q2 spending of NF-1 over NF-1's Q2 clearance
        {"currency": "USD", "agreements": 1, "expenditure": 50_000.0, "released_m2": 250_000.0, "cost_per_m2": 0.2},
    ])  # fmt: skip
    assert [m["month"] for m in body["tables"]["released_monthly"]] == ["2025-04", "2025-05", "2025-06"]


def test_admin_unit_filter_groups_remaining_land_one_level_down_and_gives_no_cost(
    client: TestClient, world: ReportWorld
) -> None:
    body = report(client, hromada_code=KHERSON_HROMADA)
    assert body["remaining_by"] == "hromada"
    close(body["tables"]["remaining"], [
        {"admin_code": KHERSON_HROMADA, "sha_areas": 0, "sha_m2": 0.0, "cha_areas": 1, "cha_m2": 250_000.0,
         "total_m2": 250_000.0},
    ])  # fmt: skip
    assert body["tables"]["cost"] == []  # expenditure is not recorded by admin unit
    raion = report(client, raion_code="UA6312")
    assert raion["headline"]["released_m2"] == pytest.approx(740_000, abs=0.5)
    assert [r["admin_code"] for r in raion["tables"]["remaining"]] == ["UA63120270000028556"]


def test_distance_decides_which_settlements_count(client: TestClient, world: ReportWorld) -> None:
    close(report(client, distance_m=2000)["tables"]["people_near"],
          [{"distance_m": 2000.0, "settlements": 1, "population": 1_000}])  # fmt: skip
    close(report(client, distance_m=4000)["tables"]["people_near"],
          [{"distance_m": 4000.0, "settlements": 2, "population": 3_000}])  # fmt: skip


def test_donor_with_agreement_filters_name_what_they_refer_to(client: TestClient, world: ReportWorld) -> None:
    body = report(client, donor_id=world.nordic, agreement_id=world.at1)
    assert body["filters"]["donor"] == "Nordic Fund" and body["filters"]["agreement"] == "AT-1"
    assert body["headline"]["released_m2"] == 0  # Nordic Fund does not fund AT-1
    assert body["tables"]["released_monthly"] == []


def test_same_data_and_filters_give_identical_figures(client: TestClient, world: ReportWorld) -> None:
    params = {"donor_id": world.nordic, "date_from": "2025-01-01", "date_to": "2025-12-31"}
    first, second = report(client, **params), report(client, **params)
    assert first["as_of"] <= second["as_of"]
    assert {k: v for k, v in first.items() if k != "as_of"} == {k: v for k, v in second.items() if k != "as_of"}
    a = client.get(f"{REPORT}/released.csv", params=params).text.splitlines()
    b = client.get(f"{REPORT}/released.csv", params=params).text.splitlines()
    assert [line for line in a if not line.startswith("Data as of")] == [
        line for line in b if not line.startswith("Data as of")
    ]


@pytest.mark.parametrize(
    ("params", "status", "reason"),
    [
        ({"date_from": "2025-06-01", "date_to": "2025-05-31"}, 422, "date_to 2025-05-31 is before date_from"),
        ({"date_from": "2025-13-01"}, 422, "month value is outside expected range of 1-12"),
        ({"oblast_code": "63"}, 422, "KATOTTG"),
        ({"hromada_code": "UA6312"}, 422, "KATOTTG"),
        ({"donor_id": 999_999}, 422, "no such donor"),
        ({"agreement_id": 999_999}, 422, "no such funding agreement"),
        ({"organisation_id": 999_999}, 422, "no such organisation"),
        ({"donor_id": "abc"}, 422, "unable to parse string as an integer"),
        ({"distance_m": 0}, 422, "distance_m must be more than 0 and at most 50,000"),
        ({"distance_m": 1e9}, 422, "distance_m must be more than 0 and at most 50,000"),
    ],
)
def test_bad_filters_are_refused_with_the_reason(
    client: TestClient, params: dict[str, Any], status: int, reason: str
) -> None:
    for url in (REPORT, f"{REPORT}/released.csv", f"{REPORT}.pdf"):
        response = client.get(url, params=params)
        assert response.status_code == status, (url, response.text)
        assert reason in response.text


def test_unknown_table_or_format_is_404(client: TestClient) -> None:
    assert "tables: headline" in client.get(f"{REPORT}/nothing.csv").json()["detail"]
    assert "use zip, xlsx or pdf" in client.get(f"{REPORT}.docx").json()["detail"]


def test_cli_writes_the_chosen_formats_with_the_same_figures(
    client: TestClient, world: ReportWorld, tmp_path: Path
) -> None:
    out = tmp_path / "q2" / "nordic"
    args = ["report", "-o", str(out), "-f", "json", "-f", "csv", "--donor-id", str(world.nordic),
            "--date-from", "2025-04-01", "--date-to", "2025-06-30"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    written = orjson.loads((tmp_path / "q2" / "nordic.json").read_bytes())
    api = report(client, donor_id=world.nordic, date_from="2025-04-01", date_to="2025-06-30")
    assert written["headline"] == api["headline"] and written["tables"] == api["tables"]
    assert written["headline"]["cleared_m2"] == pytest.approx(340_000, abs=0.5)
    assert (tmp_path / "q2" / "nordic.zip").stat().st_size > 0
    bad = CliRunner().invoke(cli, ["report", "-o", str(out), "--date-from", "2025-06-01", "--date-to", "2025-05-01"])
    assert bad.exit_code == 1 and "before date_from" in bad.output
    assert CliRunner().invoke(cli, ["report", "-f", "docx"]).exit_code == 1


def test_cli_writes_the_xlsx_in_ukrainian_when_asked(client: TestClient, world: ReportWorld, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "nordic"
    args = ["report", "-o", str(out), "-f", "xlsx", "--donor-id", str(world.nordic), "--lang", "uk"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    cells = [
        str(c.value) for sheet in load_workbook(tmp_path / "nordic.xlsx") for row in sheet.iter_rows() for c in row
    ]
    assert any("Nordic Fund" in c for c in cells)
    assert any(re.search("[а-яіїєґ]{4}", c) for c in cells)  # written in Ukrainian
    refused = CliRunner().invoke(cli, ["report", "-o", str(out), "--lang", "fr"])
    assert refused.exit_code == 1 and "unknown language 'fr'" in refused.output


def test_a_report_leaves_the_callers_transaction_alone(client: TestClient, world: ReportWorld) -> None:
    # Regression: build_report rolled back whatever the session it was given had open.
    from sqlalchemy import text

    from app.db.session import new_session
    from app.reporting.figures import build_report
    from app.reporting.filter import ReportFilter

    with new_session() as session:
        session.execute(text("CREATE TEMP TABLE caller_work (n int) ON COMMIT DROP"))
        session.execute(text("INSERT INTO caller_work VALUES (7)"))
        with pytest.raises(RuntimeError, match="no transaction open"):
            build_report(session, ReportFilter())
        assert session.execute(text("SELECT n FROM caller_work")).scalar_one() == 7  # not rolled back
        session.rollback()
        fresh = build_report(session, ReportFilter())
    assert fresh.headline["released_m2"] == report(client)["headline"]["released_m2"] > 0
