#!/usr/bin/env bash
# Set up (see setup.sh), load demo data into an empty database, and serve on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/mais seed --if-empty
.venv/bin/mais demo-users  # one per role, new passwords each run: printed below
exec .venv/bin/mais serve "$@"
