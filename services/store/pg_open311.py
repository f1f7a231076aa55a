"""The Open311 service's own identity on PostgreSQL: ``{prefix}opendata`` (docs/security.md).

Installed with the rest of the authority (``pg_authority.install``). The login:

- reads the public views (``open311_public_requests``, ``open311_public_notes``,
  ``open311_public_photos``, migration 0015), the API keys' digests and what the open-data
  export reads (``EXPORTED``: its views and the aggregates), and nothing else: no incident, no
  personal data, no internal note, no position;
- records a citizen's request only through ``vigie_record_request(jsonb)``, SECURITY DEFINER,
  which writes the same rows as ``services/store/open311.record_request`` does on SQLite (one
  ``report`` incident named ``V-{id}``, its change row, its photo or URL, the reporter's
  personal data apart, its ``open311_requests`` row) and appends ``incident.create`` in
  ``system:opendata``'s name, in one transaction. It refuses a category or service code that
  is not text of their columns' size, a priority outside P1 to P4, a position off the globe, a
  photo that is not a JPEG or PNG of at most 2 MiB, and anything but a JSON object.

Its password is set as the recorder's is: by the schema's owner or a superuser only.
"""

from __future__ import annotations

from services.domain.open311 import MAX_PHOTO_BYTES, OPENDATA, PHOTO_TYPES, REQUEST_ID_PREFIX

VIEWS = ("open311_public_requests", "open311_public_notes", "open311_public_photos")
#: What the open-data export reads (``vigie opendata export``, and the daily run of ``vigie
#: opendata serve`` as this login): the views of migration 0017, which leave out every
#: description, address, name and contact, the aggregates the recorder keeps and the lighting's
#: nightly energy. Never a position, a unit, an operator or a personal datum.
EXPORTED = (
    "export_incidents", "export_equipment", "export_status_changes",
    "traffic_flow_hours", "bus_priority_days", "mode_periods", "snow_passes", "salt_readings",
    "energy_nights",
)  # fmt: skip
_RECORD = (
    "vigie_record_request(p jsonb) RETURNS TABLE (incident_id bigint, service_request_id text)"
)


def opendata_role(prefix: str) -> str:
    return f"{prefix}opendata"


def _refuse(message: str, *args: str, code: str = "22023") -> str:
    values = "".join(f", {a}" for a in args)
    return f"RAISE EXCEPTION 'vigie: {message}'{values} USING ERRCODE = '{code}';"


def _record() -> str:
    types = ", ".join(f"'{t}'" for t in sorted(PHOTO_TYPES))
    return (
        "#variable_conflict use_column\n"
        "DECLARE v_id bigint; v_at timestamptz := now(); v_sid text; v_photo bytea; BEGIN "
        "IF jsonb_typeof(p) IS DISTINCT FROM 'object' THEN "
        + _refuse("a request is a JSON object")
        + " END IF; IF length(coalesce(p->>'category', '')) NOT BETWEEN 1 AND 64 "
        "OR length(coalesce(p->>'service_code', '')) NOT BETWEEN 1 AND 64 THEN "
        + _refuse("a request names its service and category")
        + " END IF; IF (p->>'priority')::int NOT BETWEEN 1 AND 4 THEN "
        + _refuse("priority % is not P1 to P4", "p->>'priority'")
        + " END IF; IF abs((p->>'lat')::float8) > 90 OR abs((p->>'lon')::float8) > 180 THEN "
        + _refuse("a request is somewhere on Earth")
        + " END IF; IF p->>'photo' IS NOT NULL THEN v_photo := decode(p->>'photo', 'base64'); "
        f"IF length(v_photo) > {MAX_PHOTO_BYTES} OR p->>'photo_type' NOT IN ({types}) THEN "
        + _refuse(f"a photo is a JPEG or PNG of at most {MAX_PHOTO_BYTES} bytes")
        + " END IF; END IF; "
        "INSERT INTO incidents (source, category, priority, status, commune, lat, lon, place, "
        "description, created_at, updated_at, updated_by, version, flags, alert_count) VALUES "
        "('report', p->>'category', (p->>'priority')::int, 'new', p->>'commune', "
        "(p->>'lat')::float8, (p->>'lon')::float8, p->>'address', "
        "coalesce(p->>'description', ''), v_at, v_at, "
        f"'{OPENDATA}', 1, CASE WHEN jsonb_typeof(p->'flags') = 'array' THEN (p->'flags')::json "
        "END, 0) RETURNING id INTO v_id; "
        f"v_sid := '{REQUEST_ID_PREFIX}' || v_id; "
        "UPDATE incidents SET source_ref = v_sid WHERE id = v_id; "
        "INSERT INTO incident_changes (incident_id, at, by, field, old, new) "
        f"VALUES (v_id, v_at, '{OPENDATA}', 'created', NULL, 'new'); "
        "IF v_photo IS NOT NULL OR p->>'media_url' IS NOT NULL THEN "
        "INSERT INTO incident_media (incident_id, content_type, data, url, received_at) VALUES "
        "(v_id, CASE WHEN v_photo IS NULL THEN NULL ELSE p->>'photo_type' END, v_photo, "
        "p->>'media_url', v_at); END IF; "
        "IF jsonb_typeof(p->'personal') = 'object' THEN "
        "INSERT INTO personal_data (incident_id, first_name, last_name, email, phone, "
        "received_at) VALUES (v_id, p->'personal'->>'first_name', p->'personal'->>'last_name', "
        "p->'personal'->>'email', p->'personal'->>'phone', v_at); END IF; "
        "INSERT INTO open311_requests (incident_id, service_request_id, service_code, channel, "
        "token, api_key, attributes, requested_at) VALUES (v_id, v_sid, p->>'service_code', "
        "'api', p->>'token', p->>'api_key', CASE WHEN jsonb_typeof(p->'attributes') = 'object' "
        "THEN (p->'attributes')::json END, v_at); "
        f"PERFORM vigie_audit_append('{OPENDATA}', 'incident.create', 'incident:' || v_id, "
        "vigie_canonical_json(jsonb_build_object('source', 'report', 'source_ref', v_sid, "
        "'category', p->>'category', 'priority', 'P' || (p->>'priority')))); "
        "RETURN QUERY SELECT v_id, v_sid; END"
    )


def statements(prefix: str, schema: str) -> list[str]:
    role = opendata_role(prefix)
    definer = f"LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp"
    name = _RECORD.partition(" RETURNS")[0]
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
        f'CREATE ROLE "{role}" LOGIN; END IF; END $$',
        f'GRANT "{role}" TO "{prefix}manager" WITH ADMIN OPTION',
        f'GRANT USAGE ON SCHEMA {schema} TO "{role}"',
        f'REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM "{role}"',
        *(f'GRANT SELECT ON {view} TO "{role}"' for view in VIEWS),
        *(f'GRANT SELECT ON {table} TO "{role}"' for table in EXPORTED),
        # Each week's incident counts as first published, kept so that none ever changes.
        f'GRANT SELECT, INSERT ON opendata_weeks TO "{role}"',
        # The keys' digests and names: what a posted api_key is checked against.
        f'GRANT SELECT (name, key_hash, rate_exempt, revoked_at) ON open311_keys TO "{role}"',
        # Every process checks the schema's revision first.
        f'GRANT SELECT ON alembic_version, db_authority TO "{role}"',
        f"CREATE OR REPLACE FUNCTION {_RECORD} {definer} AS $fn$ {_record()} $fn$",
        f"REVOKE ALL ON FUNCTION {name} FROM PUBLIC",
        f'GRANT EXECUTE ON FUNCTION {name} TO "{role}"',
    ]
