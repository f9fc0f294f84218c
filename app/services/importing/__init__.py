"""Imports of files: jobs, the reading and checking of their rows, the loaders of each kind, the report."""

from app.services.importing.pipeline import execute_job, run_import

__all__ = ["execute_job", "run_import"]
