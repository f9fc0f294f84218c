# Map assets from npm, pinned by package-lock.json.
FROM node:20-slim AS assets
WORKDIR /assets
COPY app/dashboard/package.json app/dashboard/package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    MAIS_HOST=0.0.0.0 MAIS_PORT=8000
WORKDIR /srv/mais
# shapely, pyproj and pyogrio wheels bundle GEOS, PROJ and GDAL; WeasyPrint (PDF reports) needs
# Pango and a font, as scripts/setup.sh installs them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
       fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY app ./app
COPY gis ./gis
COPY alembic ./alembic
COPY alembic.ini ./
COPY --from=assets /assets/node_modules ./app/dashboard/node_modules
RUN pip install -c constraints.txt -e . \
    && useradd --system --uid 10001 --home-dir /srv/mais mais
USER mais
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["sh", "-c", "mais migrate && mais seed --if-empty && mais demo-users --if-demo && exec mais serve"]
