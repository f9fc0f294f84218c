"""Pure geoprocessing for mine action data: no web framework, no database session."""
