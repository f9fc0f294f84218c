"""The JSON response class every route and error handler uses."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response


class JSONBody(Response):
    """orjson-encoded body; `orjson.Fragment` values (PostGIS GeoJSON text) are inserted verbatim."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """Encode with orjson (dates, datetimes and fragments supported)."""
        return orjson.dumps(content)
