"""One report, four outputs: CSV (with HXL), XLSX, PDF and JSON carry the same numbers, as-of and filters."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pypdfium2
import pytest
from fastapi.testclient import TestClient

from app.db.session import new_session
from app.reporting.figures import build_report
from app.reporting.filter import ReportFilter
from app.reporting.formats import FORMATS
from app.reporting.map import map_layers
from app.reporting.render import svg_map, text
from app.reporting.render.pdf import _cell, fmt
from app.reporting.render.tables import HEADLINE, MACHINE_ONLY, TABLES, as_of_text, rows
from tests.report_world import ReportWorld

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def outputs(client: TestClient) -> dict[str, Any]:
    world = ReportWorld(client)
    with new_session() as session:
        report = build_report(session, ReportFilter(donor_id=world.nordic, date_to=pytest_date()), with_map=True)
    files = {name: fmt_.render(report) for name, fmt_ in FORMATS.items()}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "donor-report.pdf").write_bytes(files["pdf"])
    return {"report": report, **files}


def pytest_date() -> Any:
    from datetime import date

    return date(2025, 12, 31)


def _csv_tables(archive: bytes) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        return {n.removesuffix(".csv"): list(csv.reader(io.StringIO(z.read(n).decode()))) for n in z.namelist()}


def _same(written: Any, value: Any) -> bool:
    if value is None:
        return written in ("", None)
    if isinstance(value, float | int) and not isinstance(value, bool):
        return float(written) == pytest.approx(float(value), abs=1e-9)
    return str(written) == (value.isoformat() if hasattr(value, "isoformat") else str(value))


def test_json_is_the_report_itself(outputs: dict[str, Any]) -> None:
    body = orjson.loads(outputs["json"])
    assert body["headline"] == outputs["report"].headline
    assert body["filters"]["donor"] == "Nordic Fund" and body["filters"]["date_to"] == "2025-12-31"
    assert body["as_of"].startswith(outputs["report"].as_of.isoformat()[:19])


def test_csv_tables_carry_hxl_the_filters_as_of_and_the_same_numbers(outputs: dict[str, Any]) -> None:
    report, tables = outputs["report"], _csv_tables(outputs["csv"])
    assert set(tables) == set(TABLES)
    for name, lines in tables.items():
        assert lines[1] == ["Data as of", as_of_text(report)]
        assert ["Filter", "Donor", f"Nordic Fund (id {report.filters['donor_id']})"] in lines
        assert ["Filter", "To", "2025-12-31"] in lines
        hxl = next(i for i, line in enumerate(lines) if line and line[0].startswith("#"))
        assert lines[hxl - 1] == [c.header for c in TABLES[name].columns]
        assert all(tag.startswith("#") for tag in lines[hxl])
        data = lines[hxl + 1 :]
        expected = rows(report, name)
        assert len(data) == len(expected), name
        for written, row in zip(data, expected, strict=True):
            assert all(_same(w, row[c.key]) for w, c in zip(written, TABLES[name].columns, strict=True)), (name, row)
    assert _hxl(tables["beneficiaries"])[1:5] == [
        "#reached+f+adults", "#reached+m+adults", "#reached+f+children", "#reached+m+children"
    ]  # fmt: skip
    assert _hxl(tables["remaining"])[0] == "#adm1+code"
    assert _hxl(tables["agreements"])[1:3] == ["#org+funder", "#org+impl"]


def _hxl(lines: list[list[str]]) -> list[str]:
    return next(line for line in lines if line and line[0].startswith("#"))


def test_xlsx_sheets_carry_the_same_numbers_and_native_charts(outputs: dict[str, Any]) -> None:
    report = outputs["report"]
    book = openpyxl.load_workbook(io.BytesIO(outputs["xlsx"]))
    assert book.sheetnames == ["report", *[n for n in TABLES if n != "headline"]]
    cover = [[c for c in r if c is not None] for r in book["report"].iter_rows(values_only=True)]
    assert cover[0] == ["Land release report — Nordic Fund — up to 31 Dec 2025"]
    assert ["Data as of", as_of_text(report)] in cover
    for label, value in text.filter_lines(report, "en"):
        assert [label, value] in cover
    for key, (label, _unit) in HEADLINE.items():
        row = next(r for r in cover if r and r[0] == label)
        assert row[1] == report.headline[key] or report.headline[key] is None, key
    for name, table in TABLES.items():
        if name == "headline":
            continue
        columns = [c for c in table.columns if (name, c.key) not in MACHINE_ONLY]
        sheet = list(book[name].iter_rows(values_only=True))
        assert list(sheet[0][: len(columns)]) == [c.header for c in columns]
        for written, row in zip(sheet[1:], rows(report, name), strict=False):
            for w, c in zip(written, columns, strict=False):
                value = text.cell(report, c.key, row[c.key], "en")
                if c.key == "month":
                    assert w.strftime("%Y-%m") == value, (name, w, value)  # a real date: the first of the month
                elif hasattr(w, "date"):
                    assert w.date() == value, (name, c.key, w, value)
                else:
                    assert _same(w, value), (name, c.key, w, value)
        assert any(r[0] == f"Data as of {as_of_text(report)}" for r in sheet if r)
        assert any(
            str(r[0]).startswith("Filters: Donor: Nordic Fund; Period: up to 31 Dec 2025") for r in sheet if r and r[0]
        )
    n = len(report.tables["released"])
    kinds = {r[0] for r in book["released"].iter_rows(min_row=2, max_row=n + 1, values_only=True)}
    assert kinds == {"Cancelled", "Cleared"}  # names, not codes: Nordic Fund's work did not reduce land
    with zipfile.ZipFile(io.BytesIO(outputs["xlsx"])) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3  # released by month, items by category, victims by month


def test_pdf_text_carries_the_same_numbers_as_of_and_filters(outputs: dict[str, Any]) -> None:
    report = outputs["report"]
    pdf = pypdfium2.PdfDocument(outputs["pdf"])
    # Words only: a narrow table cell wraps "Steppe Demining" over two lines.
    words = " ".join(" ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))).split())
    assert as_of_text(report) in words
    assert words.startswith("Land release report — Nordic Fund — up to 31 Dec 2025")
    for label, value in text.filter_lines(report, "en"):
        assert label in words and value in words
    for key, (_, unit) in HEADLINE.items():
        assert fmt(report.headline[key], unit) in words, key
    for figure in ("740,000", "400,000", "340,000", "300,000", "12,333.33", "0.2027", "1,300", "150,000.00"):
        assert figure in words
    for name, table in TABLES.items():
        for row in rows(report, name) if name != "headline" else []:
            for c in table.columns:
                if (name, c.key) not in MACHINE_ONLY:
                    assert _cell(report, c.key, row[c.key], c.unit, "en") in words, (name, c.key)
    assert "Methodology and definitions" in words and "CHA, confirmed hazardous area" in words
    pdf.close()


def test_pdf_pages_render_with_ink_on_them(outputs: dict[str, Any]) -> None:
    pdf = pypdfium2.PdfDocument(outputs["pdf"])
    assert len(pdf) >= 3
    for index, name in ((0, "donor-report-page1.png"), (2, "donor-report-map.png")):
        image = pdf[index].render(scale=1.5).to_pil()
        image.save(ARTIFACTS / name)
        histogram = image.convert("L").histogram()
        inked = sum(histogram[:200]) / sum(histogram)
        assert inked > 0.01, (name, inked)  # not blank: text, figures, the map's land and frame
    pdf.close()
    layers = outputs["report"].map
    assert layers["mode"] == "polygons"
    assert [len(layers["polygons"][k]) for k in ("released", "SHA", "CHA")] == [3, 1, 0]  # Nordic Fund's land only


def test_a_layer_too_big_to_draw_becomes_a_grid_coloured_by_its_main_kind(client: TestClient) -> None:
    ReportWorld(client)
    with new_session() as session:
        layers = map_layers(session, ReportFilter(), max_features=2)
    assert layers["mode"] == "grid"
    kinds = {layer for _, _, layer, _ in layers["cells"]}
    assert kinds == {"released", "SHA", "CHA"}  # H1 keeps 300,000 m² of SHA, H2 250,000 m² of CHA
    total = sum(m2 for *_, m2 in layers["cells"])
    assert total == pytest.approx(990_000 + 300_000 + 250_000, abs=1)  # released + remaining, each counted once
    svg = svg_map.draw(layers)
    assert svg.count("<path") <= 3 * svg_map.SHADES and "darker squares hold more m²" in svg


def test_every_format_is_served_by_the_api(client: TestClient) -> None:
    world = ReportWorld(client)
    params = {"organisation_id": world.delta}
    for extension, media_type in (("zip", "application/zip"), ("xlsx", "spreadsheetml"), ("pdf", "application/pdf")):
        response = client.get(f"/api/v1/reports/donor.{extension}", params=params)
        assert response.status_code == 200 and media_type in response.headers["content-type"], extension
    released = client.get("/api/v1/reports/donor/released.csv", params=params)
    assert released.headers["content-type"].startswith("text/csv")
    assert "reduced,mechanical,1,250000.0" in released.text
    tables = client.get("/api/v1/reports/tables").json()
    assert tables["beneficiaries"]["columns"][3]["hxl"] == "#reached+f+children"


def test_zero_figures_say_whether_anything_was_recorded(client: TestClient) -> None:
    world = ReportWorld(client)
    with new_session() as session:
        q3 = build_report(session, ReportFilter(donor_id=world.nordic, date_from="2025-07-01", date_to="2025-09-30"))
        session.rollback()
    with new_session() as session:
        q1 = build_report(session, ReportFilter(donor_id=world.nordic, date_from="2025-01-01", date_to="2025-03-31"))
        session.rollback()
    # Q3: T1 was completed in June; no release, status change, progress report or beneficiary after it.
    assert q3.recorded == {
        "releases": 0, "task_events": 0, "progress_reports": 0, "beneficiary_records": 0, "expenditure_records": 0
    }  # fmt: skip
    assert text.not_recorded(q3, "tasks_started") == "No task status records for these filters in this period"
    assert text.not_recorded(q3, "team_days") == "No progress reports for these filters in this period"
    # Q1: T1 was assigned and started, so "0 completed" is a real zero; 400,000 m² cancelled over 10 team-days.
    assert q1.recorded["task_events"] == 2 and q1.headline["tasks_completed"] == 0
    assert text.not_recorded(q1, "tasks_completed") is None
    assert text.not_recorded(q1, "beneficiaries_direct") is not None  # recorded on 30 June only
    cover = [
        [c for c in r if c is not None]
        for r in openpyxl.load_workbook(io.BytesIO(FORMATS["xlsx"].render(q3, "en")))["report"].iter_rows(
            values_only=True
        )
    ]
    assert ["Tasks started", "not recorded", "No task status records for these filters in this period"] in cover
    cover_q1 = [
        [c for c in r if c is not None]
        for r in openpyxl.load_workbook(io.BytesIO(FORMATS["xlsx"].render(q1, "en")))["report"].iter_rows(
            values_only=True
        )
    ]
    assert ["Tasks completed", 0] in cover_q1
    assert ["Land released", 400_000, "m²"] in [r[:3] for r in cover_q1]
