"""PDF of a report (WeasyPrint) in English or Ukrainian: the title names whose report and the period.

Then filters and "data as of", headline figures ("not recorded" where nothing was), charts, the map
with boundaries and a legend, methodology and definitions, and the tables.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from app.domain.symbology import RELEASE_KIND_COLOURS
from app.i18n import format_date, format_number, translator
from app.reporting.render import svg_charts, svg_map, text
from app.reporting.render.tables import HEADLINE, MACHINE_ONLY, TABLES, Column, as_of_text, rows
from app.reporting.report import Report

KINDS = tuple((f"{kind}_m2", kind.capitalize(), colour) for kind, colour in RELEASE_KIND_COLOURS.items())
NOTE = (
    "Figures are explained under Methodology and definitions. Accident figures are counts only: "
    "no personal data appears in any report."
)

TEMPLATE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title><style>
@page { size: A4; margin: 16mm 14mm 18mm;
        @bottom-left { content: "{{ footer|safe }}"; font: 7pt "DejaVu Sans"; color: #666; }
        @bottom-right { content: "{{ page_word }} " counter(page) " / " counter(pages); font: 7pt "DejaVu Sans";
                        color: #666; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; color: #222; }
h1 { font-size: 17pt; margin: 0 0 3mm; line-height: 1.25; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #ccc; break-after: avoid; }
h3 { font-size: 10pt; margin: 4mm 0 1mm; break-after: avoid; }
section.table { break-inside: avoid; } tr { break-inside: avoid; }
.cover { page-break-after: always; }
table { border-collapse: collapse; width: 100%; margin-bottom: 3mm; }
th, td { border-bottom: 0.5px solid #ccc; padding: 1.2mm 1.6mm; text-align: left; }
td.n, th.n { text-align: right; } th { background: #eee; }
.figures { display: flex; flex-wrap: wrap; gap: 3mm; }
.figure { width: 51mm; border: 0.5px solid #bbb; padding: 2mm; }
.figure .v { font-size: 14pt; font-weight: bold; } .figure .l { color: #555; font-size: 8pt; }
.figure.empty .v { color: #888; font-size: 11pt; } .figure .why { color: #8a4b00; font-size: 7pt; }
.note { color: #555; font-size: 8pt; }
.definitions p { margin: 0 0 1.6mm; text-align: justify; }
</style></head><body>
<section class="cover">
<h1>{{ title }}</h1>
<p><b>{{ t_as_of }}:</b> {{ as_of }}</p>
<table>{% for label, value in filters %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>{% endfor %}</table>
<h2>{{ t_headline }}</h2>
<div class="figures">{% for f in headline %}
<div class="figure{{ ' empty' if f.why else '' }}"><div class="v">{{ f.value }}</div>
<div class="l">{{ f.label }}{% if f.unit %} ({{ f.unit }}){% endif %}</div>
{% if f.why %}<div class="why">{{ f.why }}</div>{% endif %}</div>
{% endfor %}</div>
<p class="note">{{ t_note }}</p>
</section>
<h2>{{ t_charts }}</h2>
{{ released_chart }}
{{ items_chart }}
<h2>{{ t_map }}</h2>
{{ map }}
<section class="definitions">
<h2>{{ t_definitions }}</h2>
{% for heading, paragraphs in definitions %}<h3>{{ heading }}</h3>
{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}{% endfor %}
</section>
{% for t in tables %}<section class="table">
<h2>{{ t.title }}</h2>
{% if t.rows %}<table><tr>{% for c in t.columns %}
<th class="{{ 'n' if c.unit else '' }}">{{ c.header }}</th>{% endfor %}</tr>
{% for r in t.rows %}<tr>{% for c, v in r %}
<td class="{{ 'n' if c.unit else '' }}">{{ v }}</td>{% endfor %}</tr>{% endfor %}
</table>{% else %}<p class="note">{{ t_nothing }}</p>{% endif %}
</section>{% endfor %}
</body></html>
"""


def fmt(value: Any, unit: str = "", language: str = "en") -> str:
    """A figure as printed in `language`: thousands separated; m² and counts whole; rates and money to the cent.

    >>> fmt(400000.0, "m²"), fmt(0.2027, "currency/m²"), fmt(11647.06, "m²/team-day"), fmt(None)
    ('400,000', '0.2027', '11,647.06', '–')
    >>> fmt(400000.0, "m²", "uk").replace(chr(160), " ")
    '400 000'
    """
    if value is None:
        return "–"
    if isinstance(value, date):
        return format_date(value, language)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if unit == "currency/m²":
            return format_number(value, language, 4)
        if unit in ("currency", "m²/team-day", "team-days"):
            return format_number(value, language, 2)
        return format_number(value, language)
    return str(value)


def _cell(report: Report, key: str, value: Any, unit: str, language: str) -> str:
    if key == "month" and isinstance(value, str):
        return text.month_name(value, language)
    return fmt(text.cell(report, key, value, language), unit, language)


def document_html(report: Report, language: str = "en") -> str:
    """The report as HTML with inline SVG charts and map (what WeasyPrint lays out); it needs the map."""
    if report.map is None:
        raise ValueError("the PDF draws the map: build the report with with_map=True")
    _ = translator(language)
    monthly = report.tables["released_monthly"]
    released_chart = svg_charts.stacked_columns(
        [text.month_name(m["month"], language) for m in monthly],
        [(_(label), [m[key] for m in monthly], colour) for key, label, colour in KINDS],
        title=_("Land released by month and kind (m²)"),
        y_title="m²",
    )
    items = report.tables["items"]
    items_chart = svg_charts.horizontal_bars(
        [report.name("contamination", i["category"], language) for i in items],
        [i["found"] for i in items],
        title=_("Explosive items found by category"),
    )
    tables = []
    for name, t in TABLES.items():
        if name == "headline":
            continue
        shown = [c for c in t.columns if (name, c.key) not in MACHINE_ONLY]
        tables.append(
            {
                "title": _(t.title),
                "columns": [Column(c.key, _(c.header), c.hxl, c.unit) for c in shown],
                "rows": [
                    [(c, _cell(report, c.key, r[c.key], c.unit, language)) for c in shown] for r in rows(report, name)
                ],
            }
        )
    headline = []
    for key, (label, unit) in HEADLINE.items():
        why = text.not_recorded(report, key)
        headline.append(
            {
                "label": _(label),
                "unit": text.unit(unit, language),
                "value": _("not recorded") if why else fmt(report.headline[key], unit, language),
                "why": _(why) if why else "",
            }
        )
    as_of = as_of_text(report)
    return (
        Environment(autoescape=True)
        .from_string(TEMPLATE)
        .render(
            lang=language,
            title=text.title(report, language),
            footer=_css_string(f"{text.subject(report, language)} · {_('data as of')} {as_of}"),
            page_word=_("page"),
            t_as_of=_("Data as of"),
            t_headline=_("Headline figures"),
            t_charts=_("Charts"),
            t_map=_("Map"),
            t_definitions=_("Methodology and definitions"),
            t_nothing=_("Nothing recorded for these filters."),
            t_note=_(NOTE),
            as_of=as_of,
            filters=text.filter_lines(report, language),
            headline=headline,
            released_chart=Markup(released_chart),
            items_chart=Markup(items_chart),
            map=Markup(svg_map.draw(report.map, language=language)),
            definitions=text.definitions(language),
            tables=tables,
        )
    )


def _css_string(value: str) -> str:
    """Text safe inside a CSS string in a <style> element (no quote, backslash or tag)."""
    return "".join(c for c in value if c not in '"\\<>')


def document(report: Report, language: str = "en") -> bytes:
    """The report as PDF bytes in `language`."""
    from weasyprint import HTML  # imported here: loading Pango costs a second the other outputs need not pay

    pdf: bytes = HTML(string=document_html(report, language)).write_pdf()
    return pdf
