"""The output formats of a report, each rendered from one `build_report` result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from app.reports import csv_hxl, pdf, xlsx


@dataclass(frozen=True)
class Format:
    """How to write a report in one format."""

    extension: str
    media_type: str
    needs_map: bool
    render: Callable[[dict[str, Any]], bytes]


def _json(report: dict[str, Any]) -> bytes:
    return orjson.dumps({k: v for k, v in report.items() if k != "map"}, option=orjson.OPT_INDENT_2)


FORMATS: dict[str, Format] = {
    "json": Format("json", "application/json", False, _json),
    "csv": Format("zip", "application/zip", False, csv_hxl.csv_zip),
    "xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False, xlsx.workbook),
    "pdf": Format("pdf", "application/pdf", True, lambda report: pdf.document(report, report["map"])),
}
