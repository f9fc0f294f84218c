"""Map palette: IMAS land-release symbology (docs/mine-action.md §9) and the dashboard's other layers.

Every colour on the page comes from here, and every colour has a text label in the legend, the
list or a popup, so colour is never the only cue. Sequential palettes (rank, release kind) are
ordered light to dark and read for the common colour-vision deficiencies; organisations use the
Okabe–Ito set.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from app.domain.symbology import CLASS_FILL, CLASS_OUTLINE, RELEASE_KIND_COLOURS, RELEASED
from app.domain.vocabulary import LIVE_AREA_STATUSES, AreaStatus
from app.domain.vocabulary import RANK_BANDS as BANDS

FILL, OUTLINE = CLASS_FILL, CLASS_OUTLINE
DASHED = "6 4"
DASHED_STATUS: AreaStatus = "worked_on"  # the outline is dashed while work goes on
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

    IMAS: fill by classification; outline solid when open, dashed when worked on, green when
    closed. By rank: the band of the area's score (thresholds from /api/v1/dashboard/rank-bands).
    Below zoom 10 the tiles carry dots (one per grid cell, `areas` in it); bigger dots hold more areas.
    """
    return f"""function (p) {{
        var closed = {json.dumps(LIVE_AREA_STATUSES)}.indexOf(p.status) < 0;
        var fill = closed ? '{RELEASED}' : {json.dumps(FILL)}[p.classification];
        var line = closed ? '{RELEASED}' : {json.dumps(OUTLINE)}[p.classification];
        if (window.maisDashboard && window.maisDashboard.colourBy === 'rank' && !closed) {{
            fill = line = window.maisDashboard.rankColour(p);
        }}
        return {{fill: true, weight: p.dot ? 1 : 1.5, fillOpacity: p.dot ? 0.9 : 0.5, fillColor: fill, color: line,
                 radius: p.areas > 1 ? Math.min(3 + Math.log2(p.areas), 7) : 3.5,
                 dashArray: p.status === {json.dumps(DASHED_STATUS)} ? '{DASHED}' : null}};
    }}"""


def _swatch(style: str) -> str:
    """A small coloured box for the legend."""
    return f'<span class="swatch" style="{style}"></span>'


def legend_html(operators: list[Any]) -> str:
    """The map legend: every colour on the map with its meaning in words."""
    meaning = {"CHA": "confirmed (direct evidence)", "SHA": "suspected (indirect evidence)"}
    imas = "".join(
        f"{_swatch(f'background:{FILL[c]};border-color:{OUTLINE[c]}')} {c}: {meaning[c]}<br>" for c in ("CHA", "SHA")
    )
    rank = "".join(f"{_swatch(f'background:{c}')} {escape(label)}<br>" for label, c in RANK_BANDS)
    rank += f"{_swatch(f'background:{NOT_RANKED}')} not ranked (gated)<br>"
    released = "".join(f"{_swatch(f'background:{c}')} {kind}<br>" for kind, c in RELEASE_KINDS.items())
    orgs = "".join(
        f"{_swatch(f'border:2px dashed {ORGANISATION_COLOURS[oid % len(ORGANISATION_COLOURS)]};background:none')} "
        f"{escape(name)}<br>"
        for oid, name in operators
    )
    return f"""
<details id="legend" open>
  <summary><strong>Legend</strong></summary>
  <div><strong>Hazardous areas</strong> <span class="muted">(<span data-figure="areas">…</span> selected)</span></div>
  <div data-legend="imas">{imas}</div>
  <div data-legend="rank" hidden>{rank}</div>
  {_swatch("border:1.5px solid #333;background:none")} open
  {_swatch("border:1.5px dashed #333;background:none")} worked on
  {_swatch(f"background:{RELEASED}")} closed<br>
  <span class="muted">Zoomed out, a dot stands for the areas near it (bigger: more); click to zoom in.</span><br>
  <div><strong>Released land</strong></div>{released}
  <div><strong>Active tasks</strong> (outline by operator)</div>{orgs or '<span class="muted">none</span><br>'}
  <span class="swatch dot"></span> hromada centre<br>
  <div><strong>Infrastructure</strong> <span class="muted">(from zoom 9)</span></div>
  {_swatch(f"border:0;border-top:2px solid {CONTEXT_STYLE['road']['color']};height:0;background:none")} road
  {_swatch("border:0;border-top:2px dotted #000;height:0;background:none")} line of contact<br>
  {_swatch(f"background:{CONTEXT_STYLE['farmland']['fillColor']}")} farmland
  <span class="swatch dot" style="background:{CONTEXT_POINT["fillColor"]}"></span> school, health, water, power<br>
  <span class="cluster-swatch">3</span> accidents (count; single ones as dark dots)
</details>
"""
