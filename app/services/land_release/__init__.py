"""Survey and clearance activities, the land they release and the devices they find (docs/mine-action.md §4)."""
