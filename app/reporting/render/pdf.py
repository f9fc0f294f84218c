"""PDF of a report (WeasyPrint): cover with filters and "data as of", headline figures, charts, map, tables."""

from __future__ import annotations

from datetime import date
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from app.domain.symbology import RELEASE_KIND_COLOURS
from app.reporting.render import svg_charts, svg_map
from app.reporting.render.tables import HEADLINE, TABLES, as_of_text, filter_lines, rows
from app.reporting.report import Report

KINDS = tuple((f"{kind}_m2", kind.capitalize(), colour) for kind, colour in RELEASE_KIND_COLOURS.items())

TEMPLATE = """<!doctype html>
<html><head><meta charset="utf-8"><title>MAIS donor report</title><style>
@page { size: A4; margin: 16mm 14mm 18mm;
        @bottom-left { content: "MAIS donor report · data as of {{ as_of }}"; font: 7pt "DejaVu Sans"; color: #666; }
        @bottom-right { content: "page " counter(page) " of " counter(pages); font: 7pt "DejaVu Sans"; color: #666; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; color: #222; }
h1 { font-size: 20pt; margin: 0 0 4mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #ccc; break-after: avoid; }
section.table { break-inside: avoid; } tr { break-inside: avoid; }
.cover { page-break-after: always; }
table { border-collapse: collapse; width: 100%; margin-bottom: 3mm; }
th, td { border-bottom: 0.5px solid #ccc; padding: 1.2mm 1.6mm; text-align: left; }
td.n, th.n { text-align: right; } th { background: #eee; }
.figures { display: flex; flex-wrap: wrap; gap: 3mm; }
.figure { width: 51mm; border: 0.5px solid #bbb; padding: 2mm; }
.figure .v { font-size: 14pt; font-weight: bold; } .figure .l { color: #555; font-size: 8pt; }
.note { color: #555; font-size: 8pt; }
</style></head><body>
<section class="cover">
<h1>Mine action report</h1>
<p><b>Data as of:</b> {{ as_of }}</p>
<table>{% for label, value in filters %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>{% endfor %}</table>
<h2>Headline figures</h2>
<div class="figures">{% for f in headline %}
<div class="figure"><div class="v">{{ f.value }}</div>
<div class="l">{{ f.label }}{% if f.unit %} ({{ f.unit }}){% endif %}</div></div>
{% endfor %}</div>
<p class="note">Releases, items and progress count for a donor or agreement through the activity's task; remaining
land, handovers and accidents through the tasks that cover the area. Remaining land is as of the snapshot.
Accident figures are counts only: no personal data appears in any report.</p>
</section>
<h2>Charts</h2>
{{ released_chart }}
{{ items_chart }}
<h2>Map</h2>
{{ map }}
{% for t in tables %}<section class="table">
<h2>{{ t.title }}</h2>
{% if t.rows %}<table><tr>{% for c in t.columns %}
<th class="{{ 'n' if c.unit else '' }}">{{ c.header }}</th>{% endfor %}</tr>
{% for r in t.rows %}<tr>{% for c, v in r %}
<td class="{{ 'n' if c.unit else '' }}">{{ v }}</td>{% endfor %}</tr>{% endfor %}
</table>{% else %}<p class="note">Nothing recorded for these filters.</p>{% endif %}
</section>{% endfor %}
</body></html>
"""


def fmt(value: Any, unit: str = "") -> str:
    """A figure as printed: thousands separated; m² and counts whole; rates and money to the cent.

    >>> fmt(400000.0, "m²"), fmt(0.2027, "currency/m²"), fmt(11647.06, "m²/team-day"), fmt(None)
    ('400,000', '0.2027', '11,647.06', '–')
    """
    if value is None:
        return "–"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if unit == "currency/m²":
            return f"{value:,.4f}"
        if unit in ("currency", "m²/team-day", "team-days"):
            return f"{value:,.2f}"
        if unit in ("m", "m²", "count"):
            return f"{value:,.0f}"
        return f"{value:,}"
    return str(value)


def document_html(report: Report) -> str:
    """The report as HTML with inline SVG charts and map (what WeasyPrint lays out); it needs the map."""
    if report.map is None:
        raise ValueError("the PDF draws the map: build the report with with_map=True")
    monthly = report.tables["released_monthly"]
    released_chart = svg_charts.stacked_columns(
        [m["month"] for m in monthly],
        [(label, [m[key] for m in monthly], colour) for key, label, colour in KINDS],
        title="Land released by month and kind (m²)",
    )
    items = report.tables["items"]
    items_chart = svg_charts.horizontal_bars(
        [i["label"] for i in items], [i["found"] for i in items], title="Explosive items found by category"
    )
    tables = [
        {
            "title": t.title,
            "columns": t.columns,
            "rows": [[(c, fmt(r[c.key], c.unit)) for c in t.columns] for r in rows(report, name)],
        }
        for name, t in TABLES.items()
        if name != "headline"
    ]
    headline = [
        {"label": label, "unit": "" if unit == "count" else unit, "value": fmt(report.headline[key], unit)}
        for key, (label, unit) in HEADLINE.items()
    ]
    return (
        Environment(autoescape=True)
        .from_string(TEMPLATE)
        .render(
            as_of=as_of_text(report),
            filters=filter_lines(report),
            headline=headline,
            released_chart=Markup(released_chart),
            items_chart=Markup(items_chart),
            map=Markup(svg_map.draw(report.map)),
            tables=tables,
        )
    )


def document(report: Report) -> bytes:
    """The report as PDF bytes."""
    from weasyprint import HTML  # imported here: loading Pango costs a second the other outputs need not pay

    pdf: bytes = HTML(string=document_html(report)).write_pdf()
    return pdf
