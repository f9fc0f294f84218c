"""Renderers of a donor report: every output is drawn from one `Report`."""
