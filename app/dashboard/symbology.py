"""Map palette: IMAS land-release symbology (docs/mine-action.md §9) and the dashboard's other layers.

Every colour on the page comes from here, and every colour has a text label in the legend, the
list or a popup, so colour is never the only cue. Sequential palettes (rank, release kind) are
ordered light to dark and read for the common colour-vision deficiencies; organisations use the
Okabe–Ito set. The IMAS red (CHA) and green (closed) look alike to a red-green colour-blind eye
(simulated half-opaque over the map: #C0BCAF and #CDC8B6 under protanopia), so the states differ
by line and pattern too: CHA a thick solid outline, SHA a thin one, worked on dashed, closed a
hatched fill with a dotted outline (docs/accessibility.md §colours).
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from app.domain.symbology import CLASS_FILL, CLASS_OUTLINE, RELEASE_KIND_COLOURS, RELEASED
from app.domain.vocabulary import LIVE_AREA_STATUSES, AreaStatus
from app.domain.vocabulary import RANK_BANDS as BANDS
from app.i18n import DEFAULT_LANGUAGE, translator

FILL, OUTLINE = CLASS_FILL, CLASS_OUTLINE
DASHED = "6 4"
DASHED_STATUS: AreaStatus = "worked_on"  # the outline is dashed while work goes on
# Outline widths (px) by classification: confirmed hazard reads as the heavier line without its colour.
WEIGHT = {"CHA": 3, "SHA": 1.5}
# Closed areas: RELEASED hatched (the pattern below) inside a dotted outline of a darker green, which
# keeps 5:1 against the map's background (RELEASED itself has 3.4:1).
CLOSED_LINE = "#1B7837"
DOTTED = "2 4"
HATCH_ID = "mais-hatch"
# Colour by rank, one colour per band of app.domain.vocabulary.RANK_BANDS from the top down; then gated / not ranked.
RANK_COLOURS = ("#2C115F", "#721F81", "#B73779", "#FEA873")
RANK_BANDS = tuple((band.label, colour) for band, colour in zip(BANDS, RANK_COLOURS, strict=True))
NOT_RANKED = "#BDBDBD"
RELEASE_KINDS = RELEASE_KIND_COLOURS
ORGANISATION_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
CRITERION_COLOURS = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#6699CC",
    "#EE8866",
    "#DDDDDD",
)
CONTEXT_STYLE = {
    "road": {"color": "#8C8C8C", "weight": 1.2},
    "front_line": {"color": "#000000", "weight": 2, "dashArray": "2 4"},
    "farmland": {"color": "#C2B280", "weight": 0.5, "fill": True, "fillColor": "#E8DFA8", "fillOpacity": 0.35},
}
CONTEXT_POINT = {"radius": 3, "color": "#FFFFFF", "weight": 1, "fill": True, "fillColor": "#1F5F8B", "fillOpacity": 1}


def palette() -> dict[str, Any]:
    """Everything the page's script needs to style tiles and draw bars, as one JSON-able object."""
    return {
        "fill": FILL,
        "outline": OUTLINE,
        "released": RELEASED,
        "dashed": DASHED,
        "rankBands": [colour for _, colour in RANK_BANDS],
        "notRanked": NOT_RANKED,
        "releaseKinds": RELEASE_KINDS,
        "organisations": ORGANISATION_COLOURS,
        "criteria": CRITERION_COLOURS,
        "context": CONTEXT_STYLE,
        "contextPoint": CONTEXT_POINT,
    }


def hazard_style_js() -> str:
    """The VectorGrid style of hazardous areas: IMAS, or rank bands when the page says so.

    IMAS: fill by classification, the outline thick for CHA and thin for SHA, solid when open and
    dashed when worked on; closed areas hatched green inside a dotted outline. By rank: the band of
    the area's score (thresholds from /api/v1/dashboard/rank-bands), outlines as in IMAS. Below zoom
    10 the tiles carry dots (one per grid cell, `areas` in it); bigger dots hold more areas.
    """
    return f"""function (p) {{
        var closed = {json.dumps(LIVE_AREA_STATUSES)}.indexOf(p.status) < 0;
        var fill = closed ? (p.dot ? '{RELEASED}' : 'url(#{HATCH_ID})') : {json.dumps(FILL)}[p.classification];
        var line = closed ? '{CLOSED_LINE}' : {json.dumps(OUTLINE)}[p.classification];
        if (window.maisDashboard && window.maisDashboard.colourBy === 'rank' && !closed) {{
            fill = line = window.maisDashboard.rankColour(p);
        }}
        var weight = p.dot ? 1 : closed ? 2 : {json.dumps(WEIGHT)}[p.classification] || 1.5;
        var dash = closed ? '{DOTTED}' : p.status === {json.dumps(DASHED_STATUS)} ? '{DASHED}' : null;
        return {{fill: true, weight: weight, fillOpacity: p.dot ? 0.9 : closed ? 0.8 : 0.5, fillColor: fill,
                 color: line, radius: p.areas > 1 ? Math.min(3 + Math.log2(p.areas), 7) : 3.5,
                 dashArray: p.dot ? null : dash}};
    }}"""


def hatch_defs() -> str:
    """The SVG pattern closed areas are filled with (`url(#mais-hatch)`), once per page, outside any <details>.

    Zero-sized rather than display:none, which would stop the pattern painting in some browsers.
    """
    return (
        '<svg class="hatch-defs" aria-hidden="true" focusable="false"><defs>'
        f'<pattern id="{HATCH_ID}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="{RELEASED}"/></pattern>'
        "</defs></svg>"
    )


def _swatch(style: str) -> str:
    """A small coloured box for the legend."""
    return f'<span class="swatch" style="{style}"></span>'


def legend_html(operators: list[Any], *, language: str = DEFAULT_LANGUAGE) -> str:
    """The map legend, in the page's language: every colour, line and pattern on the map with its meaning in words."""
    _ = translator(language)
    meaning = {"CHA": _("confirmed (direct evidence)"), "SHA": _("suspected (indirect evidence)")}
    imas = "".join(
        f"{_swatch(f'background:{FILL[c]};border:{WEIGHT[c]}px solid {OUTLINE[c]}')} {_(c)}: {meaning[c]}<br>"
        for c in ("CHA", "SHA")
    )
    rank = "".join(f"{_swatch(f'background:{c}')} {escape(_(label))}<br>" for label, c in RANK_BANDS)
    rank += f"{_swatch(f'background:{NOT_RANKED}')} {_('not ranked (gated)')}<br>"
    released = "".join(f"{_swatch(f'background:{c}')} {_(kind)}<br>" for kind, c in RELEASE_KINDS.items())
    orgs = "".join(
        f"{_swatch(f'border:2px dashed {ORGANISATION_COLOURS[oid % len(ORGANISATION_COLOURS)]};background:none')} "
        f"{escape(name)}<br>"
        for oid, name in operators
    )
    selected = _("{count} selected").replace("{count}", '<span data-figure="areas">…</span>')
    return f"""{hatch_defs()}
<details id="legend" open>
  <summary><strong>{_("Legend")}</strong></summary>
  <div><strong>{_("Hazardous areas")}</strong> <span class="muted">({selected})</span></div>
  <div data-legend="imas">{imas}</div>
  <div data-legend="rank" hidden>{rank}</div>
  {_swatch("border:1.5px solid #333;background:none")} {_("open")}
  {_swatch("border:1.5px dashed #333;background:none")} {_("worked on")}
  <span class="swatch hatched" style="--hatch:{RELEASED};border:2px dotted {CLOSED_LINE}"></span> {_("closed")}<br>
  <span class="muted">{_("Zoomed out, a dot stands for the areas near it (bigger: more); click to zoom in.")}</span><br>
  <div><strong>{_("Released land")}</strong></div>{released}
  <div><strong>{_("Active tasks")}</strong> {_("(outline by operator)")}</div>
  {orgs or f'<span class="muted">{_("none")}</span><br>'}
  <span class="swatch dot"></span> {_("hromada centre")}<br>
  <div><strong>{_("Infrastructure")}</strong> <span class="muted">{_("(from zoom 9)")}</span></div>
  {_swatch(f"border:0;border-top:2px solid {CONTEXT_STYLE['road']['color']};height:0;background:none")} {_("road")}
  {_swatch("border:0;border-top:2px dotted #000;height:0;background:none")} {_("line of contact")}<br>
  {_swatch(f"background:{CONTEXT_STYLE['farmland']['fillColor']}")} {_("farmland")}
  {_swatch(f"background:{CONTEXT_POINT['fillColor']}").replace('swatch"', 'swatch dot"')}
  {_("school, health, water, power")}<br>
  <span class="cluster-swatch">3</span> {_("accidents (count; single ones as dark dots)")}
</details>
"""
