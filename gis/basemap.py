"""The offline base map's reference layers: Natural Earth water, places and neighbours, OSM main roads.

Read from the files shipped in gis/data/basemap/ (see its README for sources and licences) into one
frame of features, each with the theme it is drawn in, a kind, its names and the first zoom it shows
at. Admin boundaries and their names are not here: they come from the loaded admin units (any
country). docs/base-map.md describes the layers, zooms and licences.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

DATA_DIR = Path(__file__).resolve().parent / "data" / "basemap"
# What the licences ask to be shown on the map: CC BY 4.0 for the boundaries, ODbL for the roads;
# Natural Earth is public domain (credit is a courtesy).
ATTRIBUTION = "Boundaries © OPORA (CC BY 4.0) · Natural Earth · © OpenStreetMap contributors (ODbL)"
# Drained after the Kakhovka dam was destroyed in June 2023: left out rather than drawn as water.
DRAINED_LAKES = frozenset({"Kakhovka Reservoir"})
COLUMNS = ["theme", "kind", "name", "name_en", "min_zoom", "max_zoom", "geometry"]


def read_basemap(directory: Path = DATA_DIR) -> gpd.GeoDataFrame:
    """Every reference feature (WGS 84) with theme, kind, name (local language), name_en, min_zoom and max_zoom."""
    frames = [
        _neighbours(_read(directory, "ne_50m_neighbour_countries")),
        _water(directory),
        _urban(_read(directory, "ne_50m_urban_areas")),
        _rivers(_read(directory, "ne_10m_rivers")),
        _roads(_read(directory, "osm_main_roads_ua")),
        _places(_read(directory, "ne_10m_populated_places")),
    ]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True)[COLUMNS], geometry="geometry", crs="EPSG:4326")


def _read(directory: Path, stem: str) -> gpd.GeoDataFrame:
    frame = gpd.read_file(f"/vsigzip/{directory / (stem + '.geojson.gz')}")
    return frame.set_crs("EPSG:4326", allow_override=True)


def _frame(source: gpd.GeoDataFrame, theme: str, kind: object, min_zoom: object, **more: object) -> gpd.GeoDataFrame:
    """The features of `source` in one theme; `more` gives name, name_en and max_zoom where they have them."""
    frame = gpd.GeoDataFrame({"geometry": source.geometry.values}, geometry="geometry", crs="EPSG:4326")
    frame["theme"], frame["kind"], frame["min_zoom"] = theme, kind, min_zoom
    frame["name"] = more.get("name")
    frame["name_en"] = more.get("name_en")
    frame["max_zoom"] = more.get("max_zoom")
    return frame


def _neighbours(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Neighbour countries as land (Ukraine already cut out), and their names at the widest inland point."""
    land = _frame(countries, "land", "neighbour", 0)
    centres = shapely.maximum_inscribed_circle(countries.geometry.values, 0.01)
    points = gpd.GeoDataFrame(geometry=shapely.get_point(centres, 0), crs="EPSG:4326")
    # English names only (Natural Earth's); the page translates the nine of them (app/i18n/uk/basemap.po).
    labels = _frame(points, "label", "country", 5, name=countries["name"].values, name_en=countries["name"].values)
    return pd.concat([land, labels], ignore_index=True)


def _water(directory: Path) -> gpd.GeoDataFrame:
    sea = _frame(_read(directory, "ne_10m_ocean"), "water", "sea", 0)
    coast = _frame(_read(directory, "ne_10m_coastline"), "water", "coast", 0)
    lakes = _read(directory, "ne_10m_lakes")
    lakes = lakes[~lakes["name"].isin(DRAINED_LAKES)]
    zooms = lakes["min_zoom"].clip(lower=4).round().astype(int).values
    lake = _frame(lakes, "water", "lake", zooms, name=lakes["name"].values, name_en=lakes["name"].values)
    return pd.concat([sea, coast, lake], ignore_index=True)


def _urban(urban: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Built-up areas at 1:50m: a city's extent from zoom 7, too coarse to show beyond zoom 10."""
    return _frame(urban, "urban", "urban", 7, max_zoom=10)


def _rivers(rivers: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rivers from Natural Earth's own zoom (the Dnipro from 4, small ones from 7); names are not drawn."""
    zooms = rivers["min_zoom"].fillna(7).clip(lower=4).round().astype(int).values
    return _frame(rivers, "rivers", "river", zooms, name=rivers["name"].values, name_en=rivers["name_en"].values)


def _roads(roads: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """International corridors from zoom 6, national roads from 7 (the source has no names or refs)."""
    zooms = roads["class"].map({"international": 6, "national": 7}).fillna(8).astype(int).values
    return _frame(roads, "roads", roads["class"].values, zooms)


def _places(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Ukraine's cities with their Ukrainian and official Latin names: larger ones from lower zooms."""
    places = places[places["in_ukraine"].fillna(False).astype(bool)]
    zooms = [
        _place_zoom(kind, population) for kind, population in zip(places["featurecla"], places["pop_max"], strict=True)
    ]
    return _frame(
        places,
        "label",
        "place",
        zooms,
        name=places["name_uk"].values,
        name_en=places["name_en_official"].fillna(places["name"]).values,
    )


def _place_zoom(kind: str, population: float) -> int:
    """The first zoom a place's name shows at.

    >>> _place_zoom("Admin-0 capital", 2_709_000), _place_zoom("Admin-1 capital", 320_477)
    (4, 6)
    >>> _place_zoom("Populated place", 90_000), _place_zoom("Historic place", 0)
    (7, 8)
    """
    if kind == "Admin-0 capital" or population >= 900_000:
        return 4 if kind == "Admin-0 capital" else 5
    if kind == "Admin-1 capital" or population >= 400_000:
        return 6
    return 7 if kind == "Populated place" else 8
