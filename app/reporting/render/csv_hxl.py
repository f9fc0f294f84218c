"""CSV of one report table with an HXL hashtag row under the header (docs/mine-action.md §6).

The report title, "data as of" and the filters come first, above the header: HXL tools look for
the hashtag row and take the row above it as the header, so these lines do not disturb them.
"""

from __future__ import annotations

import csv
import io
import zipfile

from app.reporting.render.tables import TABLES, as_of_text, filter_lines, hxl_tags, rows
from app.reporting.report import Report


def table_csv(report: Report, name: str) -> str:
    """One table as CSV text: provenance lines, header, HXL hashtags, rows."""
    table = TABLES[name]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f"MAIS donor report: {table.title}"])
    writer.writerow(["Data as of", as_of_text(report)])
    for label, value in filter_lines(report):
        writer.writerow(["Filter", label, value])
    writer.writerow([])
    writer.writerow([c.header for c in table.columns])
    writer.writerow(hxl_tags(report, table))
    for row in rows(report, name):
        writer.writerow(["" if row[c.key] is None else row[c.key] for c in table.columns])
    return out.getvalue()


def csv_zip(report: Report, language: str = "en") -> bytes:
    """Every table as its own CSV file in one ZIP archive (English headers and codes: data exchange, HXL)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in TABLES:
            archive.writestr(f"{name}.csv", table_csv(report, name))
    return buffer.getvalue()
