"""The demo has donors, agreements, money and people served: every demo donor's Q2 2025 report has content."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pypdfium2
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db.session import new_session
from app.demo.funding import DEMO_AGREEMENTS, DEMO_DONORS
from app.demo.seed import load_demo
from app.reporting.figures import build_report
from app.reporting.filter import ReportFilter
from app.reporting.render import pdf, xlsx
from app.reporting.report import Report
from app.services.registry.admin_units import load_ukraine
from tests.conftest import RECORD_TABLES

ARTIFACTS = Path(__file__).parent / "artifacts"

Q2_2025 = {"date_from": date(2025, 4, 1), "date_to": date(2025, 6, 30)}


@pytest.fixture(scope="module")
def demo(database_url: str) -> Iterator[Session]:
    with new_session() as session:
        load_demo(session, areas=400, seed=7, with_context=False)
        yield session
        session.execute(text(f"TRUNCATE {RECORD_TABLES} RESTART IDENTITY CASCADE"))
        session.commit()


def scalar(session: Session, sql: str) -> object:
    return session.execute(text(sql)).scalar_one()


def test_three_donors_fund_several_operators_in_two_currencies(demo: Session) -> None:
    assert scalar(demo, "SELECT count(*) FROM donor") == len(DEMO_DONORS) == 3
    assert scalar(demo, "SELECT count(*) FROM funding_agreement") == len(DEMO_AGREEMENTS)
    assert scalar(demo, "SELECT count(DISTINCT organisation_id) FROM funding_agreement") == 4
    assert scalar(demo, "SELECT string_agg(DISTINCT currency, ',' ORDER BY currency) FROM funding_agreement") == (
        "EUR,USD"
    )
    funded = scalar(demo, "SELECT count(*) FILTER (WHERE funding_agreement_id IS NOT NULL)::float / count(*) FROM task")
    assert 0.5 < float(str(funded)) < 0.95  # most tasks funded; 2022 work and every ninth task by the operators
    # An agreement funds only its own operator's tasks.
    assert scalar(demo, "SELECT count(*) FROM task t JOIN funding_agreement fa ON fa.id = t.funding_agreement_id "
                        "WHERE fa.organisation_id <> t.organisation_id") == 0  # fmt: skip


def test_expenditure_is_quarterly_from_2024_and_beneficiaries_are_recorded(demo: Session) -> None:
    quarters = demo.execute(text("SELECT DISTINCT period_start, period_end FROM expenditure ORDER BY 1")).all()
    assert quarters[0] == (date(2024, 1, 1), date(2024, 3, 31))
    assert all(start.day == 1 and start.month in (1, 4, 7, 10) for start, _ in quarters)
    assert scalar(demo, "SELECT count(*) FROM expenditure WHERE amount < 30000") == 0
    assert scalar(demo, "SELECT count(*) FROM beneficiary_count WHERE reach = 'direct'") > 20
    assert scalar(demo, "SELECT count(*) FROM task_progress_report WHERE team_days > 0") > 20
    assert scalar(demo, "SELECT count(*) FROM task_event WHERE to_status = 'in_progress'") > 20


@pytest.mark.parametrize("acronym", [d[1] for d in DEMO_DONORS])
def test_every_donor_has_a_q2_2025_report_with_content(demo: Session, acronym: str) -> None:
    donor_id = scalar(demo, f"SELECT id FROM donor WHERE acronym = '{acronym}'")
    demo.rollback()
    with new_session() as session:
        report = build_report(session, ReportFilter(donor_id=int(str(donor_id)), **Q2_2025))
        session.rollback()
    h = report.headline
    assert h["released_m2"] > 0, acronym
    assert h["team_days"] > 0 and h["beneficiaries_direct"] > 0, acronym
    assert report.tables["cost"] and all(c["expenditure"] > 0 for c in report.tables["cost"]), acronym
    assert len(report.tables["agreements"]) == 2


@pytest.fixture(scope="module")
def dhf_q2(demo: Session) -> Report:
    load_ukraine(demo, user="test", if_empty=True)
    demo.commit()
    donor_id = int(str(scalar(demo, "SELECT id FROM donor WHERE acronym = 'DHF'")))
    demo.rollback()
    with new_session() as session:
        report = build_report(session, ReportFilter(donor_id=donor_id, **Q2_2025), with_map=True)
        session.rollback()
    return report


def _pdf_text(pdf: pypdfium2.PdfDocument) -> str:
    return " ".join(" ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))).split())


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_demo_donors_q2_pdf_names_donor_period_places_and_defines_its_words(dhf_q2: Report, language: str) -> None:
    body = pdf.document(dhf_q2, language)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"demo-dhf-q2-2025-{language}.pdf").write_bytes(body)
    document = pypdfium2.PdfDocument(body)
    for index in range(min(len(document), 4)):
        document[index].render(scale=1.3).to_pil().save(ARTIFACTS / f"demo-dhf-q2-2025-{language}-p{index + 1}.png")
    words = _pdf_text(document)
    document.close()
    expected = EXPECTED[language]
    assert expected["title"] in words
    for word in expected["words"]:
        assert word in words, word
    # Names, not codes: the oblasts of the remaining land and the methods of the releases.
    for row in dhf_q2.tables["remaining"]:
        assert row["admin_code"] not in words.replace(row["admin_code"] + ")", "")
        assert dhf_q2.name("admin", row["admin_code"], language) in words
    for row in dhf_q2.tables["released"]:
        assert dhf_q2.name("method", row["method"], language) in words


EXPECTED: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Land release report — Demo Humanitarian Fund (synthetic) — Q2 2025 (1 Apr – 30 Jun 2025)",
        "words": ["Methodology and definitions", "SHA, suspected hazardous area", "CHA, confirmed hazardous area",
                  "Cancelled: land released by non-technical survey", "Late reports", "Oblast boundary"],
    },
    "uk": {
        "title": "Звіт про звільнення земель — Demo Humanitarian Fund (synthetic) — 2-й квартал 2025 (1 квіт.",
        "words": ["Методологія та визначення", "ПНТ", "ПдНТ", "Скасовано", "Пізні звіти", "Межа області"],
    },
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_demo_donors_q2_xlsx_has_real_dates_numbers_and_titled_axes(dhf_q2: Report, language: str) -> None:
    body = xlsx.workbook(dhf_q2, language)
    (ARTIFACTS / f"demo-dhf-q2-2025-{language}.xlsx").write_bytes(body)
    book = openpyxl.load_workbook(io.BytesIO(body))
    cover = book["report"]
    assert str(cover["A1"].value).startswith(EXPECTED[language]["title"].split(" — ")[0])
    agreements = book["agreements"]
    start = agreements.cell(row=2, column=6)
    assert isinstance(start.value, datetime) and start.is_date and "yy" in start.number_format
    month = book["released_monthly"].cell(row=2, column=1)
    assert month.value == datetime(2025, 4, 1) and month.number_format == "mmm yyyy"
    area = book["released_monthly"].cell(row=2, column=5)
    assert isinstance(area.value, float) and area.number_format == "#,##0.00"
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert chart.count("<c:title>") >= 3  # the chart's and both axes'
