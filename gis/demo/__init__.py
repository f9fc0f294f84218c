"""Synthetic demo generators (pure numpy/shapely); imported by no production code."""
