"""Synthetic demo data for `mais seed`, tests and benchmarks; imported by no production code."""
