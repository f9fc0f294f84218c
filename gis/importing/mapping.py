"""A first guess of which column of a file holds which field, and of what its values mean.

Column names are compared after folding case, accents, spacing and punctuation, and dropping a
KoboToolbox group prefix ("survey/Hazard Type" → "hazardtype"), against synonyms in English,
Ukrainian, French and Spanish, and in IMSMA's and KoboToolbox's own words. The guess is only a
start: it is shown in the dry run, and the user corrects it with an explicit mapping.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import pandas as pd

from gis.importing.kobo import is_odk, is_shape_column

# Synonyms of each field, normalised (see `normalise`), best first, separated by spaces (the field's own
# name is tried before them).
SYNONYMS: dict[str, str] = {
    "external_id": (
        "id externalid hazardid hazardareaid hazardousareaid localid recordid objectid featureid uuid instanceid "
        "key fid activityid accidentid incidentid findid itemid ідентифікатор код identifiant identificador"
    ),
    "national_id": "nationalid imsmaid nationalreference hazardreference reference ref",
    "name": "name hazardname areaname localname назва nom nombre",
    "classification": (
        "classification hazardtype hazardclassification hazardousareatype areatype type "
        "class класифікація типнебезпеки тип typedezone tipo"
    ),
    "status": "status hazardstatus areastatus статус statut estado",
    "status_reason": "statusreason reason",
    "contamination_types": (
        "contaminationtypes contaminationtype contamination devicetypes "
        "devicetype eotype ordnancetype threattype забруднення"
    ),
    "evidence": "evidence evidencetypes evidencetype докази",
    "information_reliability": "informationreliability reliability",
    "source_reliability": "sourcereliability",
    "device_persistence": "devicepersistence persistence",
    "emplacement_date": "emplacementdate emplacedon laidon dateemplaced",
    "reporting_organisation_id": (
        "reportingorganisation reportingorganization organisation organization operator "
        "reportedby org організація оператор organisme organizacion"
    ),
    "organisation_id": (
        "organisation organization operator org implementingpartner організація оператор organisme organizacion"
    ),
    "reporting_source": "reportingsource informationsource sourceofinformation infosource",
    "reported_on": (
        "reportedon reportdate dateofreport datereported reported surveydate "
        "dateofsurvey date today дата datedurapport fecha"
    ),
    "oblast_code": "oblastcode adm1code adm1pcode admin1pcode admin1code provincecode oblast",
    "raion_code": "raioncode adm2code adm2pcode admin2pcode admin2code districtcode raion",
    "hromada_code": "hromadacode adm3code adm3pcode admin3pcode admin3code katottg hromada",
    "blockages": "blockages blockage blockedresources landuse",
    "landowner": "landowner owner",
    "returnees_expected": "returneesexpected returnees",
    "notes": "notes note comments comment remarks description примітки remarques",
    "geometry": "geometry wkt geom thegeom shape geoshape polygon boundary location",
    "longitude": "longitude lon lng long x довгота",
    "latitude": "latitude lat y широта",
    # accidents
    "occurred_on": "occurredon accidentdate dateofaccident incidentdate dateofincident date",
    "type": "type accidenttype incidenttype activitytype typeofactivity тип",
    "device_category": "devicecategory device devicetype itemtype ordnancetype eotype",
    "hazardous_area_id": "hazardousareaid hazardousarea hazardid hazardareaid hazard area",
    "activity_id": "activityid activity taskid",
    "description": "description notes comments remarks",
    "killed": "killed deaths fatalities dead загинули",
    "injured": "injured injuries wounded поранені",
    # devices found
    "found_on": "foundon datefound finddate date",
    "category": "category devicecategory devicetype itemtype ordnancetype eotype type",
    "model": "model devicemodel ordnancemodel",
    "condition": "condition",
    "depth_cm": "depthcm depth",
    "quantity": "quantity qty count number numberofitems кількість",
    "fate": "fate disposal action actiontaken",
    "persistence": "persistence",
    "reopen_reason": "reopenreason",
    # activities
    "hazardous_area_ids": "hazardousareaids hazardousareas hazardids areaids areas hazards",
    "task_id": "taskid task",
    "team": "team teamname команда",
    "methods": "methods method clearancemethod methodsused",
    "planned_start": "plannedstart plannedstartdate startplanned",
    "planned_end": "plannedend plannedenddate endplanned",
    "actual_start": "actualstart startdate start datestarted",
    "actual_end": "actualend enddate end datecompleted completiondate",
    "clearance_depth_cm": "clearancedepthcm clearancedepth depth",
    "team_days": "teamdays effort",
    # releases
    "kind": "kind releasekind releasetype landreleasetype outcome",
    "method": "method releasemethod clearancemethod",
    "released_on": "releasedon releasedate dateofrelease completiondate date",
}


def normalise(name: str) -> str:
    """A column name folded for comparison: case, accents, spacing and punctuation gone, group prefix dropped.

    >>> normalise("survey_group/Date of Report"), normalise("Hazard_Type "), normalise("Тип небезпеки")
    ('dateofreport', 'hazardtype', 'типнебезпеки')
    """
    last = name.rsplit("/", 1)[-1]
    decomposed = unicodedata.normalize("NFKD", last.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Keep the breve of "й" (NFKD splits it off): Ukrainian words would otherwise change.
    kept = unicodedata.normalize("NFC", kept.replace("и\u0306", "й"))
    return re.sub(r"[\W_]+", "", kept)


def guess_columns(columns: Sequence[str], fields: Iterable[str]) -> dict[str, str]:
    """Field → column for each field a column name suggests; each column serves one field at most.

    A field's own name wins over its synonyms, earlier synonyms over later ones, and a field listed
    earlier in `fields` chooses first.

    >>> guess = guess_columns(["ID", "Hazard Type", "Date of report", "Notes"], ["external_id", "classification",
    ...     "reported_on", "notes", "status"])
    >>> import json
    >>> print(json.dumps(guess))
    {"external_id": "ID", "classification": "Hazard Type", "reported_on": "Date of report", "notes": "Notes"}
    """
    by_name: dict[str, str] = {}
    for column in columns:
        by_name.setdefault(normalise(column), column)
    wanted = list(fields)
    taken: set[str] = set()
    out: dict[str, str] = {}
    # Rank every (field, column) pair by how good a match it is, then hand out the best first.
    ranked = []
    for order, name in enumerate(wanted):
        for rank, synonym in enumerate((normalise(name), *SYNONYMS.get(name, "").split())):
            if synonym in by_name:
                ranked.append((rank, order, name, by_name[synonym]))
    for _, _, name, column in sorted(ranked):
        if name not in out and column not in taken:
            out[name] = column
            taken.add(column)
    return {name: out[name] for name in wanted if name in out}


def guess_value(value: str, allowed: Sequence[str]) -> str | None:
    """The allowed value a cell means, compared as column names are, or by the word it starts with.

    "Suspected Minefield" means SHA and "Confirmed hazardous area" CHA (the IMSMA and IMAS words);
    "Worked on" means worked_on.

    >>> print(guess_value("Suspected Minefield", ["SHA", "CHA"]), guess_value("worked on", ["open", "worked_on"]))
    SHA worked_on
    """
    key = normalise(value)
    for candidate in allowed:
        if normalise(candidate) == key:
            return candidate
    for prefix, meaning in VALUE_WORDS:
        if key.startswith(prefix) and meaning in allowed:
            return meaning
    return None


# Words programmes use for vocabulary values (normalised prefixes).
VALUE_WORDS: tuple[tuple[str, str], ...] = (
    ("suspected", "SHA"),
    ("sha", "SHA"),
    ("підозрюван", "SHA"),
    ("confirmed", "CHA"),
    ("dangerousarea", "CHA"),
    ("minefield", "CHA"),
    ("cha", "CHA"),
    ("підтвердж", "CHA"),
    ("active", "open"),
    ("inprogress", "worked_on"),
    ("completed", "closed"),
    ("nontechnicalsurvey", "nts"),
    ("technicalsurvey", "ts"),
    ("battleareaclearance", "bac"),
    ("eod", "eod_spot_task"),
    ("destroyed", "destroyed_in_situ"),
    ("demolished", "destroyed_in_situ"),
    ("removed", "removed"),
    ("renderedsafe", "rendered_safe"),
    ("cancel", "cancelled"),
    ("reduc", "reduced"),
    ("clear", "cleared"),
)


def guess_geometry_columns(frame: pd.DataFrame, *, area: bool) -> dict[str, str]:
    """The columns of a table that hold its geometry: {"geometry": column} or {"longitude": …, "latitude": …}.

    An ODK geo string column is found by its content (for areas, a `geoshape` one first), a WKT column
    by its name or content, coordinates by their names (KoboToolbox's `_<question>_latitude` too).

    >>> frame = pd.DataFrame({"name": ["a"], "boundary": ["50.0 36.0 0 0;50.0 36.1 0 0;50.1 36.1 0 0;50.0 36.0 0 0"]})
    >>> guess_geometry_columns(frame, area=True)
    {'geometry': 'boundary'}
    """
    sample = frame.head(SAMPLE_ROWS)
    odk = [c for c in frame.columns if sample[c].map(lambda v: isinstance(v, str)).any() and is_odk(sample[c])]
    shapes = [c for c in odk if is_shape_column(sample[c])]
    if area and shapes:
        return {"geometry": str(shapes[0])}
    wkt = [c for c in frame.columns if sample[c].map(_looks_like_wkt).any()]
    if area and wkt:
        return {"geometry": str(wkt[0])}
    points = [c for c in odk if c not in shapes]
    named = guess_columns([str(c) for c in frame.columns], ["longitude", "latitude"])
    for axis in ("longitude", "latitude"):
        ends = [str(c) for c in frame.columns if normalise(str(c)).endswith(axis)]
        if axis not in named and ends:
            named[axis] = ends[0]
    if len(named) == 2:
        return named
    chosen = points or wkt or odk
    return {"geometry": str(chosen[0])} if chosen else {}


SAMPLE_ROWS = 50  # rows looked at to recognise a column's content
_WKT = re.compile(r"^\s*(MULTI)?(POINT|LINESTRING|POLYGON)\s*(Z|M|ZM)?\s*\(", re.IGNORECASE)


def _looks_like_wkt(value: object) -> bool:
    return isinstance(value, str) and _WKT.match(value) is not None
