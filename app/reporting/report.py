"""A donor report: every figure, read in one snapshot, that each output renders (docs/mine-action.md §6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.reporting.filter import AdminLevel

Row = dict[str, Any]
# The report map's layers in pixel space (see app.reporting.map): polygons, grid cells, scale.
MapLayers = dict[str, Any]


@dataclass(frozen=True)
class Report:
    """What a report says; the JSON output is `as_json()`, the other outputs are drawn from the same object."""

    as_of: datetime  # when the snapshot was taken: every figure is as of this instant
    filters: dict[str, Any]  # the filters, with the names of the donor, agreement and organisation
    remaining_by: AdminLevel  # the admin level remaining land is grouped by
    headline: dict[str, Any]  # the figures a reader looks at first, each a sum over one table
    tables: dict[str, list[Row]]  # every table of app.reporting.render.tables.TABLES, by name
    map: MapLayers | None = None  # only when an output draws it (the PDF)
    # What codes stand for, in each language: {"admin": {code: {"en": …, "uk": …}}, "method": …, "contamination": …}
    names: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    # How many records of each kind the figures rest on: a 0 beside none is "not recorded", not "none"
    recorded: dict[str, int] = field(default_factory=dict)

    def name(self, kind: str, code: str | None, language: str) -> str:
        """What `code` of `kind` is called in `language`: the label, its translation, or the code when unknown."""
        if code is None or code == "":
            return ""
        known = self.names.get(kind, {}).get(code)
        if not known:
            return code
        return known.get(language) or known.get("en") or code

    def as_json(self) -> dict[str, Any]:
        """The report as the JSON output and `/api/v1/reports/donor` give it (no map)."""
        return {
            "as_of": self.as_of,
            "filters": self.filters,
            "remaining_by": self.remaining_by,
            "headline": self.headline,
            "tables": self.tables,
            "recorded": self.recorded,
        }
