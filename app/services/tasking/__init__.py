"""Tasking orders: deconfliction, lifecycle, progress reports."""
