"""Priorities: context layers, scenarios, scoring runs and the ranking (docs/mine-action.md §5)."""
