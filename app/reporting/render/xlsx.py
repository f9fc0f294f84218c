"""XLSX of a report in English or Ukrainian: a cover sheet, one sheet per table, native Excel charts (XlsxWriter).

Cells hold values, not text: dates are Excel dates with a date format, months the first of the month
shown as "Apr 2025", numbers with thousands separators; codes are shown by their names (the CSV
keeps the codes, for data exchange).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from app.domain.symbology import RELEASE_KIND_COLOURS
from app.i18n import translator
from app.reporting.render import text
from app.reporting.render.tables import HEADLINE, MACHINE_ONLY, TABLES, Column, as_of_text, rows
from app.reporting.report import Report

NUMBER_FORMATS = {
    "m²": "#,##0.00",
    "count": "#,##0",
    "currency": "#,##0.00",
    "currency/m²": "#,##0.0000",
    "team-days": "#,##0.0",
    "m²/team-day": "#,##0.00",
    "m": "#,##0",
}
DATE_FORMAT = "dd mmm yyyy"
MONTH_FORMAT = "mmm yyyy"
KIND_COLOURS = {f"{kind}_m2": colour for kind, colour in RELEASE_KIND_COLOURS.items()}


def workbook(report: Report, language: str = "en") -> bytes:
    """The whole report as an XLSX file in `language`."""
    _ = translator(language)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "default_date_format": DATE_FORMAT})
    bold = book.add_format({"bold": True})
    formats = {unit: book.add_format({"num_format": f}) for unit, f in NUMBER_FORMATS.items()}
    formats["date"] = book.add_format({"num_format": DATE_FORMAT})
    formats["month"] = book.add_format({"num_format": MONTH_FORMAT})
    _cover(book, report, bold, formats, language)
    for name, table in TABLES.items():
        if name == "headline":
            continue
        columns = [c for c in table.columns if (name, c.key) not in MACHINE_ONLY]
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, [_(c.header) for c in columns], bold)
        data = rows(report, name)
        for r, row in enumerate(data, start=1):
            for c, column in enumerate(columns):
                _write(sheet, r, c, report, column, row[column.key], formats, language)
        sheet.set_column(0, len(columns) - 1, 18)
        sheet.freeze_panes(1, 0)
        sheet.write(len(data) + 2, 0, f"{_('Data as of')} {as_of_text(report)}")
        filters = "; ".join(f"{label}: {value}" for label, value in text.filter_lines(report, language))
        sheet.write(len(data) + 3, 0, f"{_('Filters')}: {filters}")
        _chart(book, sheet, name, len(data), language)
    book.close()
    return buffer.getvalue()


def _write(
    sheet: Worksheet,
    r: int,
    c: int,
    report: Report,
    column: Column,
    value: Any,
    formats: dict[str, Format],
    language: str,
) -> None:
    """One cell: a month or date as an Excel date, a number with its format, a code by its name."""
    if column.key == "month" and isinstance(value, str):
        sheet.write_datetime(r, c, date.fromisoformat(value + "-01"), formats["month"])
    elif isinstance(value, date):
        sheet.write_datetime(r, c, value, formats["date"])
    elif value is None:
        sheet.write_blank(r, c, None)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(r, c, value, formats.get(column.unit) or formats["m²"])
    else:
        sheet.write(r, c, text.cell(report, column.key, value, language))


def _cover(book: Workbook, report: Report, bold: Any, formats: dict[str, Format], language: str) -> None:
    _ = translator(language)
    sheet = book.add_worksheet("report")
    sheet.write(0, 0, text.title(report, language), book.add_format({"bold": True, "font_size": 14}))
    sheet.write(1, 0, _("Data as of"), bold)
    sheet.write(1, 1, as_of_text(report))
    line = 2
    for label, value in text.filter_lines(report, language):
        sheet.write(line, 0, label, bold)
        sheet.write(line, 1, value)
        line += 1
    line += 1
    sheet.write_row(line, 0, [_("Headline figure"), _("Value"), _("Unit"), _("Note")], bold)
    for key, (label, unit) in HEADLINE.items():
        line += 1
        sheet.write(line, 0, _(label))
        why = text.not_recorded(report, key)
        value = report.headline[key]
        if why:
            sheet.write(line, 1, _("not recorded"))
            sheet.write(line, 3, _(why))
        elif value is None:
            sheet.write_blank(line, 1, None)
        else:
            sheet.write_number(line, 1, value, formats.get(unit) or formats["m²"])
        sheet.write(line, 2, text.unit(unit, language))
    line += 2
    sheet.write(line, 0, _("Methodology and definitions"), bold)
    for heading, paragraphs in text.definitions(language):
        line += 1
        sheet.write(line, 0, heading, bold)
        for paragraph in paragraphs:
            line += 1
            sheet.write(line, 0, paragraph)
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 2, 24)
    sheet.set_column(3, 3, 56)


def _chart(book: Workbook, sheet: Worksheet, name: str, n: int, language: str) -> None:
    """Native charts, with axis titles, on the sheets that have a series to show."""
    if n == 0:
        return
    _ = translator(language)
    if name == "released_monthly":
        chart = book.add_chart({"type": "column", "subtype": "stacked"})
        for col, key in enumerate(("cancelled_m2", "reduced_m2", "cleared_m2"), start=1):
            chart.add_series(
                {
                    "name": [name, 0, col],
                    "categories": [name, 1, 0, n, 0],
                    "values": [name, 1, col, n, col],
                    "fill": {"color": KIND_COLOURS[key]},
                }
            )
        chart.set_title({"name": _("Land released by month (m²)")})
        chart.set_x_axis({"name": _("Month"), "num_format": MONTH_FORMAT, "date_axis": False})
        chart.set_y_axis({"name": _("Land released (m²)"), "num_format": "#,##0"})
    elif name == "items":
        chart = book.add_chart({"type": "bar"})
        chart.add_series({"name": [name, 0, 1], "categories": [name, 1, 0, n, 0], "values": [name, 1, 1, n, 1]})
        chart.set_title({"name": _("Explosive items found by category")})
        chart.set_x_axis({"name": _("Items found"), "num_format": "#,##0"})
        chart.set_y_axis({"name": _("Category")})
    elif name == "accidents_monthly":
        chart = book.add_chart({"type": "column"})
        for col in (3, 4):
            chart.add_series(
                {"name": [name, 0, col], "categories": [name, 1, 0, n, 0], "values": [name, 1, col, n, col]}
            )
        chart.set_title({"name": _("Victims by month")})
        chart.set_x_axis({"name": _("Month"), "num_format": MONTH_FORMAT})
        chart.set_y_axis({"name": _("Victims"), "num_format": "#,##0"})
    else:
        return
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(n + 5, 0, chart, {"x_scale": 1.5, "y_scale": 1.2})
