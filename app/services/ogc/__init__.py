"""OGC API – Features: collections, CQL2 filters and items (docs/ogc.md)."""
