"""Donor reports: scope, figures, map, and their renderers (docs/domain.md §6)."""
