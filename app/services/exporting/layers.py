"""What each exported layer holds: its SQL, who may read it, its HXL hashtags (docs/exports.md).

Column names are those of the import's fields (app/services/importing/fields.py) wherever a field
exists, so that a file exported here imports again with the automatic mapping; `mais_id` is the
record's id in this system, and lists (contamination types, methods) are written `;`-separated as
the import reads them. Every layer follows the shared hazardous-area filter: areas by it directly,
the other layers by the areas they belong to (an unfiltered export holds every record, including
finds and accidents recorded outside any area).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.access import Capability

LayerName = str


@dataclass(frozen=True)
class ExportLayer:
    """One layer of an export: SQL with `{areas}` (the filtered area ids) and its geometry column `geom`.

    `columns` lists the attribute columns in order with their HXL hashtag; `geometry` is the OGC type
    GDAL is told for an empty layer.
    """

    name: LayerName
    title: str
    capability: Capability
    sql: str
    columns: tuple[tuple[str, str], ...]
    geometry: str
    # True when a filter narrows this layer through its area: rows with no area then drop out.
    by_area: str = "t.hazardous_area_id"


_AREA_COLUMNS = (
    ("mais_id", "#site+id+mais"),
    ("source", "#meta+source"),
    ("external_id", "#site+id+external"),
    ("national_id", "#site+id+national"),
    ("name", "#site+name"),
    ("classification", "#site+type"),
    ("status", "#status"),
    ("contamination_types", "#indicator+contamination"),
    ("evidence", "#indicator+evidence"),
    ("information_reliability", "#indicator+reliability+information"),
    ("source_reliability", "#indicator+reliability+source"),
    ("device_persistence", "#indicator+persistence"),
    ("emplacement_date", "#date+emplaced"),
    ("reporting_organisation", "#org+reporting"),
    ("reporting_source", "#meta+reporting"),
    ("reported_on", "#date+reported"),
    ("reported_on_precision", "#date+reported+precision"),
    ("oblast_code", "#adm1+code"),
    ("raion_code", "#adm2+code"),
    ("hromada_code", "#adm3+code"),
    ("blockages", "#indicator+blockage"),
    ("landowner", "#org+landowner"),
    ("returnees_expected", "#affected+returnees"),
    ("notes", "#description"),
    ("original_area_m2", "#indicator+area+original+m2"),
    ("remaining_area_m2", "#indicator+area+remaining+m2"),
    ("cancelled_m2", "#indicator+area+cancelled+m2"),
    ("reduced_m2", "#indicator+area+reduced+m2"),
    ("cleared_m2", "#indicator+area+cleared+m2"),
)

LAYERS: dict[LayerName, ExportLayer] = {
    "hazardous_areas": ExportLayer(
        name="hazardous_areas",
        title="Hazardous areas (SHA/CHA) with their land-release figures",
        capability="read.registry",
        by_area="t.id",
        geometry="MultiPolygon",
        columns=_AREA_COLUMNS,
        sql="""
            SELECT t.id AS mais_id, t.source, t.external_id, t.national_id, t.name, t.classification, t.status,
                   array_to_string(t.contamination_types, ';') AS contamination_types,
                   array_to_string(t.evidence, ';') AS evidence, t.information_reliability, t.source_reliability,
                   t.device_persistence, t.emplacement_date, o.name AS reporting_organisation, t.reporting_source,
                   t.reported_on, t.reported_on_precision, t.oblast_code, t.raion_code, t.hromada_code,
                   array_to_string(t.blockages, ';') AS blockages, t.landowner, t.returnees_expected, t.notes,
                   t.original_area_m2, t.remaining_area_m2,
                   coalesce(r.cancelled, 0) AS cancelled_m2, coalesce(r.reduced, 0) AS reduced_m2,
                   coalesce(r.cleared, 0) AS cleared_m2, ST_AsBinary(t.geom) AS geom
            FROM hazardous_area t
            LEFT JOIN organisation o ON o.id = t.reporting_organisation_id
            LEFT JOIN (
                SELECT hazardous_area_id,
                       sum(area_m2) FILTER (WHERE kind = :v_cancelled) AS cancelled,
                       sum(area_m2) FILTER (WHERE kind = :v_reduced) AS reduced,
                       sum(area_m2) FILTER (WHERE kind = :v_cleared) AS cleared
                FROM release GROUP BY hazardous_area_id
            ) r ON r.hazardous_area_id = t.id
            WHERE t.deleted_at IS NULL AND t.id > :after {areas}
            ORDER BY t.id LIMIT :chunk
        """,
    ),
    "releases": ExportLayer(
        name="releases",
        title="Released land: cancelled, reduced and cleared parts of areas",
        capability="read.released_land",
        geometry="MultiPolygon",
        columns=(
            ("mais_id", "#activity+id+mais"),
            ("source", "#meta+source"),
            ("external_id", "#activity+id+external"),
            ("hazardous_area_id", "#site+id+mais"),
            ("area_external_id", "#site+id+external"),
            ("activity_id", "#activity+id+parent"),
            ("organisation", "#org+operator"),
            ("kind", "#output+release+type"),
            ("method", "#output+method"),
            ("released_on", "#date+released"),
            ("released_on_precision", "#date+released+precision"),
            ("area_m2", "#output+area+m2"),
            ("submitted_area_m2", "#output+area+submitted+m2"),
            ("notes", "#description"),
        ),
        sql="""
            SELECT t.id AS mais_id, t.source, t.external_id, t.hazardous_area_id, h.external_id AS area_external_id,
                   t.activity_id, o.name AS organisation, t.kind, t.method, t.released_on,
                   t.released_on_precision, t.area_m2, t.submitted_area_m2, t.notes, ST_AsBinary(t.geom) AS geom
            FROM release t
            JOIN hazardous_area h ON h.id = t.hazardous_area_id
            JOIN activity a ON a.id = t.activity_id
            JOIN organisation o ON o.id = a.organisation_id
            WHERE t.id > :after {areas}
            ORDER BY t.id LIMIT :chunk
        """,
    ),
    "tasks": ExportLayer(
        name="tasks",
        title="Tasks given to operators, with their status and area",
        capability="read.registry",
        by_area="",  # through the task's areas (below)
        geometry="MultiPolygon",
        columns=(
            ("mais_id", "#activity+id+mais"),
            ("reference", "#activity+code"),
            ("organisation", "#org+operator"),
            ("team", "#org+team"),
            ("status", "#status"),
            ("priority", "#priority"),
            ("planned_start", "#date+start+planned"),
            ("planned_end", "#date+end+planned"),
            ("funding_agreement_ref", "#contribution+code"),
            ("area_m2", "#indicator+area+m2"),
            ("hazardous_area_ids", "#site+id+mais+list"),
        ),
        sql="""
            SELECT t.id AS mais_id, t.reference, o.name AS organisation, t.team, t.status, t.priority,
                   t.planned_start, t.planned_end, t.funding_agreement_ref, t.area_m2,
                   (SELECT string_agg(l.hazardous_area_id::text, ';' ORDER BY l.hazardous_area_id)
                    FROM task_hazardous_area l WHERE l.task_id = t.id) AS hazardous_area_ids,
                   ST_AsBinary(t.geom) AS geom
            FROM task t JOIN organisation o ON o.id = t.organisation_id
            WHERE t.deleted_at IS NULL AND t.id > :after {areas}
            ORDER BY t.id LIMIT :chunk
        """,
    ),
    "activities": ExportLayer(
        name="activities",
        title="Survey and clearance activities (their land is in releases)",
        capability="read.registry",
        by_area="",  # through the areas the activity released land in
        geometry="MultiPolygon",
        columns=(
            ("mais_id", "#activity+id+mais"),
            ("source", "#meta+source"),
            ("external_id", "#activity+id+external"),
            ("type", "#activity+type"),
            ("organisation", "#org+operator"),
            ("task_reference", "#activity+code+task"),
            ("team", "#org+team"),
            ("methods", "#output+method"),
            ("status", "#status"),
            ("planned_start", "#date+start+planned"),
            ("planned_end", "#date+end+planned"),
            ("actual_start", "#date+start"),
            ("actual_end", "#date+end"),
            ("clearance_depth_cm", "#indicator+depth+cm"),
            ("team_days", "#indicator+team_days"),
            ("released_m2", "#output+area+m2"),
        ),
        # An activity has no geometry of its own: it is drawn as the land it released (none: no geometry).
        sql="""
            SELECT t.id AS mais_id, t.source, t.external_id, t.type, o.name AS organisation,
                   k.reference AS task_reference, t.team, array_to_string(t.methods, ';') AS methods, t.status,
                   t.planned_start, t.planned_end, t.actual_start, t.actual_end, t.clearance_depth_cm, t.team_days,
                   coalesce(r.released_m2, 0) AS released_m2, ST_AsBinary(r.geom) AS geom
            FROM activity t
            JOIN organisation o ON o.id = t.organisation_id
            LEFT JOIN task k ON k.id = t.task_id
            LEFT JOIN LATERAL (
                SELECT sum(x.area_m2) AS released_m2, ST_Multi(ST_Union(x.geom)) AS geom
                FROM release x WHERE x.activity_id = t.id
            ) r ON true
            WHERE t.deleted_at IS NULL AND t.id > :after {areas}
            ORDER BY t.id LIMIT :chunk
        """,
    ),
    "devices_found": ExportLayer(
        name="devices_found",
        title="Explosive ordnance found, and what became of it",
        capability="read.finds",
        geometry="Point",
        columns=(
            ("mais_id", "#item+id+mais"),
            ("source", "#meta+source"),
            ("external_id", "#item+id+external"),
            ("activity_id", "#activity+id+mais"),
            ("hazardous_area_id", "#site+id+mais"),
            ("found_on", "#date+found"),
            ("category", "#item+type"),
            ("model", "#item+model"),
            ("condition", "#item+condition"),
            ("depth_cm", "#indicator+depth+cm"),
            ("quantity", "#item+num"),
            ("fate", "#item+fate"),
            ("persistence", "#indicator+persistence"),
        ),
        sql="""
            SELECT t.id AS mais_id, t.source, t.external_id, t.activity_id, t.hazardous_area_id, t.found_on,
                   t.category, t.model, t.condition, t.depth_cm, t.quantity, t.fate, t.persistence,
                   ST_AsBinary(t.geom) AS geom
            FROM device_found t
            WHERE t.deleted_at IS NULL AND t.id > :after {areas}
            ORDER BY t.id LIMIT :chunk
        """,
    ),
    "accidents": ExportLayer(
        name="accidents",
        title="Accidents, with victims counted (never named)",
        capability="read.accidents",
        geometry="Point",
        columns=(
            ("mais_id", "#event+id+mais"),
            ("source", "#meta+source"),
            ("external_id", "#event+id+external"),
            ("occurred_on", "#date+occurred"),
            ("occurred_on_precision", "#date+occurred+precision"),
            ("type", "#event+type"),
            ("device_category", "#item+type"),
            ("hazardous_area_id", "#site+id+mais"),
            ("killed", "#affected+killed"),
            ("injured", "#affected+injured"),
        ),
        # Counts only: victim rows (sex, age, role) and sealed identities never leave in an export.
        sql="""
            SELECT t.id AS mais_id, t.source, t.external_id, t.occurred_on, t.occurred_on_precision, t.type,
                   t.device_category, t.hazardous_area_id,
                   (SELECT count(*) FROM victim v WHERE v.accident_id = t.id AND v.outcome = :v_killed) AS killed,
                   (SELECT count(*) FROM victim v WHERE v.accident_id = t.id AND v.outcome = :v_injured) AS injured,
                   ST_AsBinary(t.geom) AS geom
            FROM accident t
            WHERE t.deleted_at IS NULL AND t.id > :after {areas}
            ORDER BY t.id LIMIT :chunk
        """,
    ),
}

# How a layer without its own area column is narrowed to the filtered areas.
THROUGH_AREAS = {
    "tasks": "t.id IN (SELECT l.task_id FROM task_hazardous_area l WHERE l.hazardous_area_id IN ({ids}))",
    "activities": "t.id IN (SELECT x.activity_id FROM release x WHERE x.hazardous_area_id IN ({ids}))",
}
