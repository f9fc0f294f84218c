"""Registry of hazardous areas and what is recorded on them: lifecycle, organisations, accidents, timeline, lookups."""
