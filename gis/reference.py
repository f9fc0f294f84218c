"""Real reference data shipped with the package: Ukraine's hromada centres with 2022 population.

Source: the public repository kse-ua/KSE-Loc-Data-Hub (Kyiv School of Economics, MIT licence),
copied to gis/data/ukraine-hromadas/ (see the README and LICENSE there). Used by production code
(settlements for priorities, place names on the map) and by the demo generators alike.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent / "data" / "ukraine-hromadas"
HROMADA_COLUMNS = [
    *("hromada_code", "oblast_code", "raion_code", "oblast_name", "hromada"),
    *("lat", "lon", "square_km", "population"),
]


def read_hromadas() -> pd.DataFrame:
    """Hromada centres joined to 2022 population, keeping the centre settlement's name."""
    geo = pd.read_csv(DATA_DIR / "geography.csv", dtype={"hromada_code": str})
    pop = pd.read_csv(DATA_DIR / "ua-pop-2022.csv", dtype={"hromada_code": str})
    # The population file's NA-coded row (Kyiv city, absent from geography.csv) drops out here.
    df = geo.merge(pop[["hromada_code", "total_population_2022"]], on="hromada_code", how="left")
    df = df.rename(columns={"lat_center": "lat", "lon_center": "lon", "square": "square_km"})
    df["oblast_code"], df["raion_code"] = df["hromada_code"].str[:4], df["hromada_code"].str[:6]
    df["population"] = df["total_population_2022"].fillna(0).astype(int)
    return df[[*HROMADA_COLUMNS, "hromada_center"]].astype({"lat": float, "lon": float, "square_km": float})


def load_hromadas() -> pd.DataFrame:
    """All 1,469 hromadas with admin codes, centre, area (NaN if unknown) and 2022 population."""
    return read_hromadas()[HROMADA_COLUMNS].copy()
