"""IMAS land-release symbology (domain.md §9), with text labels so colour is never the only cue."""

from __future__ import annotations

import json

FILL = {"CHA": "#FF0000", "SHA": "#F4A718"}
OUTLINE = {"CHA": "#9E0000", "SHA": "#8A5A00"}
RELEASED = "#1A9850"
DASHED = "6 4"


def hazard_style_js() -> str:
    """A VectorGrid style function from the palette above (the only source of these colours).

    Fill by classification; outline solid when open, dashed when worked on, green when closed.
    """
    return f"""function (p) {{
        var closed = p.status === 'closed' || p.status === 'handed_over';
        return {{fill: true, weight: 1.5, fillOpacity: 0.45,
                 fillColor: closed ? '{RELEASED}' : {json.dumps(FILL)}[p.classification],
                 color: closed ? '{RELEASED}' : {json.dumps(OUTLINE)}[p.classification],
                 dashArray: p.status === 'worked_on' ? '{DASHED}' : null}};
    }}"""


LEGEND_HTML = """
<div id="legend" style="position: fixed; bottom: 28px; right: 12px; z-index: 1000; background: #fff;
     padding: 8px 12px; border: 1px solid #888; border-radius: 4px; font: 13px/1.5 sans-serif;">
  <strong>Hazardous areas</strong>
  <span style="color:#555">({total:,} recorded)</span><br>
  <span style="display:inline-block;width:16px;height:10px;background:#FF0000;opacity:.6;
        border:1px solid #9E0000"></span> CHA &mdash; confirmed (direct evidence)<br>
  <span style="display:inline-block;width:16px;height:10px;background:#F4A718;opacity:.6;
        border:1px solid #8A5A00"></span> SHA &mdash; suspected (indirect evidence)<br>
  <span style="display:inline-block;width:16px;height:10px;border:1.5px solid #333"></span> open
  &nbsp;<span style="display:inline-block;width:16px;height:10px;border:1.5px dashed #333"></span> worked on
  &nbsp;<span style="display:inline-block;width:16px;height:10px;background:#1A9850;opacity:.6"></span> closed<br>
  <span style="display:inline-block;width:8px;height:8px;border-radius:50%;border:1px solid #444"></span>
  hromada centre
</div>
"""
