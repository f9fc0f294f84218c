"""Donor reports: scope, figures, map, and their renderers (docs/mine-action.md §6)."""
