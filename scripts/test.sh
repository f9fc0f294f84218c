#!/usr/bin/env bash
# Set up (with Chromium), lint, type-check, and run the whole suite against a throwaway database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy app gis
.venv/bin/lint-imports
exec .venv/bin/pytest "$@"
