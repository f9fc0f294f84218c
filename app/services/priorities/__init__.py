"""Priorities: context layers, scenarios, scoring runs and the ranking (docs/domain.md §5)."""
