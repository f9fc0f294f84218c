"""Files brought in for import: reading any format, Kobo/ODK geometry strings, positions and the mapping guess."""
