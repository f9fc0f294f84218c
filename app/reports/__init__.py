"""Renderers of a donor report: every output is drawn from the one result of `app.services.reports`."""
