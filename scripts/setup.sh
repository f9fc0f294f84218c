#!/usr/bin/env bash
# Set up everything the app needs on a Debian/Ubuntu machine; safe to run again (it skips what is done).
#   bash scripts/setup.sh           # Python env, map assets, PostgreSQL + PostGIS, schema
#   bash scripts/setup.sh --browser # also Chromium, for the browser tests
# With DATABASE_URL set, that database is used as it is (it needs PostGIS available) and no
# local PostgreSQL is installed or started.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
apt_updated=""
apt_install() {
    [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
    say "installing $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
missing_debs() { for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done; }

with_browser=""
[ "${1:-}" = "--browser" ] && with_browser=1

# --- system packages -------------------------------------------------------------------------
command -v python3 >/dev/null || apt_install python3
python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null \
    || apt_install python3-venv
command -v npm >/dev/null || apt_install nodejs npm
if [ -n "$with_browser" ] && ! command -v chromium >/dev/null; then apt_install chromium; fi
# PDF reports: WeasyPrint lays out text with Pango; DejaVu gives a bare machine a font with Cyrillic.
pdf_debs=$(missing_debs libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
[ -z "$pdf_debs" ] || apt_install $pdf_debs

# --- Python environment ------------------------------------------------------------------------
stamp=.venv/.installed
wanted=$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    say "installing Python packages into .venv"
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -c constraints.txt -e ".[dev]"
    echo "$wanted" > "$stamp"
fi

# --- map assets (npm, pinned; served by the app because field offices are offline) ------------
# --ignore-scripts: assets need no build step, and install hooks may phone home.
assets_stamp=app/dashboard/node_modules/.installed
assets_wanted=$(sha256sum app/dashboard/package-lock.json | cut -c1-16)
if [ "$(cat "$assets_stamp" 2>/dev/null)" != "$assets_wanted" ]; then
    say "installing map assets from npm"
    npm ci --prefix app/dashboard --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$assets_wanted" > "$assets_stamp"
fi

# --- PostgreSQL + PostGIS ----------------------------------------------------------------------
if [ -z "${DATABASE_URL:-}" ]; then
    command -v pg_lsclusters >/dev/null || apt_install postgresql
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
    if [ -z "$version" ]; then apt_install postgresql; version=$(ls /etc/postgresql | sort -V | tail -n1); fi
    [ -z "$(missing_debs "postgresql-$version-postgis-3")" ] || apt_install "postgresql-$version-postgis-3"
    if ! pg_lsclusters -h | awk '$2=="main"{print $4}' | grep -q online; then
        say "starting PostgreSQL $version"
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
    fi
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
    # The app's role may create databases (the tests make throwaway ones); PostGIS sits in
    # template1 so that every new database has it without superuser rights.
    as_postgres psql -q -v ON_ERROR_STOP=1 -d postgres <<'SQL'
SELECT 'CREATE ROLE mais LOGIN CREATEDB PASSWORD ''mais'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mais') \gexec
SELECT 'CREATE DATABASE mais OWNER mais'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'mais') \gexec
SQL
    for database in template1 mais; do
        as_postgres env PGOPTIONS=--client-min-messages=warning \
            psql -q -d "$database" -c 'CREATE EXTENSION IF NOT EXISTS postgis'
    done
fi

say "migrating the database schema"
.venv/bin/mais migrate
