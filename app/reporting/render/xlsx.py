"""XLSX of a report: a cover sheet, one sheet per table, and native Excel charts (XlsxWriter)."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from app.domain.symbology import RELEASE_KIND_COLOURS
from app.reporting.render.tables import HEADLINE, TABLES, as_of_text, filter_lines, rows
from app.reporting.report import Report

NUMBER_FORMATS = {"m²": "#,##0.00", "count": "#,##0", "currency": "#,##0.00", "currency/m²": "0.0000"}
KIND_COLOURS = {f"{kind}_m2": colour for kind, colour in RELEASE_KIND_COLOURS.items()}


def workbook(report: Report) -> bytes:
    """The whole report as an XLSX file."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "default_date_format": "yyyy-mm-dd"})
    bold = book.add_format({"bold": True})
    _cover(book, report, bold)
    for name, table in TABLES.items():
        if name == "headline":
            continue
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, [c.header for c in table.columns], bold)
        formats = [
            book.add_format({"num_format": NUMBER_FORMATS[c.unit]}) if c.unit in NUMBER_FORMATS else None
            for c in table.columns
        ]
        data = rows(report, name)
        for r, row in enumerate(data, start=1):
            for c, column in enumerate(table.columns):
                sheet.write(r, c, row[column.key], formats[c])
        sheet.set_column(0, len(table.columns) - 1, 16)
        sheet.write(len(data) + 2, 0, f"Data as of {as_of_text(report)}")
        filters = "; ".join(f"{label}: {value}" for label, value in filter_lines(report))
        sheet.write(len(data) + 3, 0, f"Filters: {filters}")
        _chart(book, sheet, name, len(data))
    book.close()
    return buffer.getvalue()


def _cover(book: Workbook, report: Report, bold: Any) -> None:
    sheet = book.add_worksheet("report")
    sheet.write(0, 0, "MAIS donor report", book.add_format({"bold": True, "font_size": 14}))
    sheet.write(1, 0, "Data as of", bold)
    sheet.write(1, 1, as_of_text(report))
    line = 2
    for label, value in filter_lines(report):
        sheet.write(line, 0, label, bold)
        sheet.write(line, 1, value)
        line += 1
    line += 1
    sheet.write_row(line, 0, ["Headline figure", "Value", "Unit"], bold)
    for key, (label, unit) in HEADLINE.items():
        line += 1
        sheet.write_row(line, 0, [label, report.headline[key], unit])
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 2, 24)


def _chart(book: Workbook, sheet: Worksheet, name: str, n: int) -> None:
    """Native charts on the sheets that have a series to show."""
    if n == 0:
        return
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
        chart.set_title({"name": "Land released by month (m²)"})
    elif name == "items":
        chart = book.add_chart({"type": "bar"})
        chart.add_series({"name": [name, 0, 2], "categories": [name, 1, 1, n, 1], "values": [name, 1, 2, n, 2]})
        chart.set_title({"name": "Explosive items found by category"})
    elif name == "accidents_monthly":
        chart = book.add_chart({"type": "column"})
        for col in (3, 4):
            chart.add_series(
                {"name": [name, 0, col], "categories": [name, 1, 0, n, 0], "values": [name, 1, col, n, col]}
            )
        chart.set_title({"name": "Victims by month"})
    else:
        return
    sheet.insert_chart(n + 5, 0, chart, {"x_scale": 1.5, "y_scale": 1.2})
