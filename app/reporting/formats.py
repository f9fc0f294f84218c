"""The output formats of a report, keyed by file extension, each rendered from one `Report`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import orjson

from app.reporting.render import csv_hxl, pdf, xlsx
from app.reporting.report import Report


class Renderer(Protocol):
    """Writes a report as bytes, in a language where the format has words (PDF, XLSX); English by default."""

    def __call__(self, report: Report, language: str = "en") -> bytes:
        """The report's bytes."""
        ...


@dataclass(frozen=True)
class Format:
    """How to write a report in one format."""

    name: str  # as the command line names it
    extension: str
    media_type: str
    needs_map: bool
    render: Renderer


def _json(report: Report, language: str = "en") -> bytes:
    return orjson.dumps(report.as_json(), option=orjson.OPT_INDENT_2)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS_BY_EXTENSION: dict[str, Format] = {
    f.extension: f
    for f in (
        Format("json", "json", "application/json", False, _json),
        Format("csv", "zip", "application/zip", False, csv_hxl.csv_zip),  # one CSV per table, zipped
        Format("xlsx", "xlsx", XLSX, False, xlsx.workbook),
        Format("pdf", "pdf", "application/pdf", True, pdf.document),
    )
}
# The command line names formats (`-f csv`); a file is named by its extension (`donor.zip`).
FORMATS: dict[str, Format] = {f.name: f for f in FORMATS_BY_EXTENSION.values()}
