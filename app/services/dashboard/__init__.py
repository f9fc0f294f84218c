"""What the coordination dashboard reads: figures, vector tiles, map extent."""
