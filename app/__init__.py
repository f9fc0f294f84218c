"""Mine action information system: geospatial API, map dashboard and donor reporting."""
