"""IMAS land-release symbology (docs/mine-action.md §9): the colours the map, the report map and the charts share.

A colour names a kind of land, so one kind has one colour wherever a reader meets it: the
dashboard's legend, the PDF's map and charts, the XLSX charts.
"""

from __future__ import annotations

from app.domain.vocabulary import Classification, ReleaseKind

CLASS_FILL: dict[Classification, str] = {"CHA": "#FF0000", "SHA": "#F4A718"}
CLASS_OUTLINE: dict[Classification, str] = {"CHA": "#9E0000", "SHA": "#8A5A00"}
RELEASED = "#1A9850"  # closed areas and released land of any kind
RELEASE_KIND_COLOURS: dict[ReleaseKind, str] = {"cancelled": "#A6DBA0", "reduced": "#5AAE61", "cleared": "#1B7837"}
