#!/usr/bin/env bash
# Set up (see setup.sh), load demo data into an empty database, and serve on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/mais seed --if-empty
exec .venv/bin/mais serve "$@"
