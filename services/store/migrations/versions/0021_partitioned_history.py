"""The history partitioned by time on PostgreSQL; an equipment change dated by its observation.

On PostgreSQL these tables become declaratively partitioned by range of their time (issue 23):

- ``unit_positions`` by day of ``observed_at`` (the 60 days of positions are kept to the day);
- ``equipment_changes`` by month of ``at``; ``energy_readings`` and ``salt_readings`` by month
  of ``observed_at``; ``quarantine`` by month of ``received_at``.

Each has a DEFAULT partition for rows outside the partitions made (an old backfill, a clock far
off); partitions are made ahead of time and whole expired ones dropped by two SECURITY DEFINER
functions owned by whoever owns the tables (who runs this migration), so that the recorder, a
login that owns nothing, may call them (``services/store/partitions.py``; ``pg_authority``
grants it EXECUTE):

- ``vigie_partitions_ensure(table, from, to)``: every missing partition of ``table`` covering
  ``from`` to ``to``; rows of that range waiting in the DEFAULT partition move into it (created
  on its own, rows moved, then attached, the DEFAULT partition locked against writes meanwhile);
- ``vigie_partitions_drop(table, before)``: drops the partitions whose upper bound is at or
  before ``before`` and not after the server's present, and says how many rows each held.

Names carry the bounds: ``unit_positions_p20261206`` (a UTC day), ``quarantine_p202612`` (a UTC
month). A partitioned table's unique keys must hold its partition key: primary keys become
``(id, time)`` (ids still come from the table's one sequence) and ``equipment_changes``' key
``(equipment_id, field, observed_at, at)``. Its ``at`` becomes the change's time: the device's
observation time when it says one, else the reception time, so that a change observed once is
one row however many recorders heard it (a NULL ``observed_at`` is never equal to another:
without an observation time nothing is merged, as before). Existing rows are dated so (on
SQLite too, whose tables are otherwise left as they are: one file, one writer).

The existing rows are copied (old table renamed, new one made, rows copied, keys built, old
dropped); the view ``export_status_changes`` is made again over the new table. A downgrade makes
the plain tables again and copies the rows back.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from alembic import op
from sqlalchemy import text

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


class _Table(NamedTuple):
    key: str
    unit: str  # day or month
    primary: tuple[str, ...]
    uniques: dict[str, tuple[str, ...]]
    indexes: dict[str, tuple[str, ...]]
    #: Before 0021, for the downgrade.
    old_primary: tuple[str, ...]
    old_uniques: dict[str, tuple[str, ...]]
    #: Rows older than this go to the DEFAULT partition, and the next purge (None: all kept).
    kept_days: int | None


TABLES = {
    "unit_positions": _Table(
        "observed_at", "day", ("id", "observed_at"),
        {"uq_unit_positions_unit_id_observed_at": ("unit_id", "observed_at")}, {},
        ("id",), {"uq_unit_positions_unit_id_observed_at": ("unit_id", "observed_at")}, 61,
    ),
    "equipment_changes": _Table(
        "at", "month", ("id", "at"),
        {"uq_equipment_changes_equipment_id_field_observed_at_at": (
            "equipment_id", "field", "observed_at", "at")},
        {
            "ix_equipment_changes_equipment_id": ("equipment_id",),
            "ix_equipment_changes_at": ("at",),
            "ix_equipment_changes_field_at": ("field", "at"),
        },
        ("id",),
        {"uq_equipment_changes_equipment_id_field_observed_at": (
            "equipment_id", "field", "observed_at")},
        None,
    ),
    "energy_readings": _Table(
        "observed_at", "month", ("id", "observed_at"),
        {"uq_energy_readings_cabinet_id_observed_at": ("cabinet_id", "observed_at")},
        {"ix_energy_readings_observed_at": ("observed_at",)},
        ("id",), {"uq_energy_readings_cabinet_id_observed_at": ("cabinet_id", "observed_at")},
        401,
    ),
    "quarantine": _Table(
        "received_at", "month", ("id", "received_at"), {},
        {"ix_quarantine_received_at": ("received_at",)}, ("id",), {}, 31,
    ),
    "salt_readings": _Table(
        "observed_at", "month", ("depot_id", "observed_at"), {},
        {"ix_salt_readings_observed_at": ("observed_at",)}, ("depot_id", "observed_at"), {}, 401,
    ),
}  # fmt: skip
#: Partitions made ahead of today: two weeks of days, three months.
AHEAD = {"day": timedelta(days=14), "month": timedelta(days=92)}
#: equipment_changes is kept whole: its partitions go this far back at most (older: DEFAULT).
OLDEST_MONTHS = 240
STATUS_VIEW = (
    "CREATE VIEW export_status_changes AS "
    "SELECT equipment_id, at, old, new FROM equipment_changes WHERE field = 'status'"
)
#: The change's time, as the writer dates it from this revision on (on PostgreSQL, in the copy).
_REDATE = "UPDATE equipment_changes SET at = observed_at WHERE observed_at IS NOT NULL"
_COPIED = {"equipment_changes": {"at": "COALESCE(observed_at, at)"}}

_KNOWN = " ".join(
    f"WHEN '{name}' THEN v_key := '{t.key}'; v_unit := '{t.unit}';" for name, t in TABLES.items()
)
_CHOOSE = (
    f"CASE p_table {_KNOWN} ELSE RAISE EXCEPTION 'vigie: % is not a partitioned table of Vigie', "
    "p_table USING ERRCODE = '22023'; END CASE;"
)
#: UTC days and months whatever the caller's time zone; bounds written unambiguously. A drop
#: waits for a lock on the parent that every reader and writer queues behind: it gives up
#: after 2 s rather than stall the room (the purge tries again at its next pass).
_SETTINGS = "SET \"TimeZone\" = 'UTC' SET \"DateStyle\" = 'ISO, YMD' SET lock_timeout = '2s'"
#: One maintainer at a time (two recorders): the other waits, then finds the work done.
_ONE_AT_A_TIME = "PERFORM pg_advisory_xact_lock(hashtext('vigie_partitions:' || current_schema()));"


def _ensure_function(schema: str) -> str:
    return (
        "CREATE OR REPLACE FUNCTION vigie_partitions_ensure(p_table text, p_from timestamptz, "
        "p_to timestamptz) RETURNS SETOF text LANGUAGE plpgsql SECURITY DEFINER "
        f"SET search_path = {schema}, pg_temp {_SETTINGS} AS $fn$ "
        "DECLARE v_key text; v_unit text; v_step interval; v_format text; v_lo timestamptz; "
        "v_hi timestamptz; v_name text; v_default text; v_columns text; v_count int := 0; "
        f"BEGIN {_CHOOSE} "
        "IF p_from IS NULL OR p_to IS NULL OR p_to < p_from THEN "
        "RAISE EXCEPTION 'vigie: no range from % to %', p_from, p_to USING ERRCODE = '22023'; "
        "END IF; "
        f"{_ONE_AT_A_TIME} "
        "v_step := CASE v_unit WHEN 'day' THEN interval '1 day' ELSE interval '1 month' END; "
        "v_format := CASE v_unit WHEN 'day' THEN 'YYYYMMDD' ELSE 'YYYYMM' END; "
        "v_default := p_table || '_default'; "
        "SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_columns "
        "FROM pg_attribute a WHERE a.attrelid = p_table::regclass AND a.attnum > 0 "
        "AND NOT a.attisdropped; "
        "v_lo := date_trunc(v_unit, p_from); "
        "WHILE v_lo <= p_to LOOP "
        "v_count := v_count + 1; "
        "IF v_count > 1000 THEN RAISE EXCEPTION 'vigie: more than 1000 partitions of % at once', "
        "p_table USING ERRCODE = '22023'; END IF; "
        "v_hi := v_lo + v_step; "
        "v_name := p_table || '_p' || to_char(v_lo, v_format); "
        "IF to_regclass(quote_ident(v_name)) IS NULL THEN "
        # Made on its own with a CHECK of its range (ATTACH then need not scan it), the rows
        # of its range moved out of DEFAULT (locked against writers until the commit), attached.
        "EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', v_name, p_table); "
        "EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I IS NOT NULL AND %I >= %L "
        "AND %I < %L)', v_name, v_name || '_range', v_key, v_key, v_lo, v_key, v_hi); "
        "EXECUTE format('LOCK TABLE %I IN SHARE ROW EXCLUSIVE MODE', v_default); "
        "EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING %s) "
        "INSERT INTO %I (%s) SELECT %s FROM moved', v_default, v_key, v_lo, v_key, v_hi, "
        "v_columns, v_name, v_columns, v_columns); "
        "EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', "
        "p_table, v_name, v_lo, v_hi); "
        "EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', v_name, v_name || '_range'); "
        "RETURN NEXT v_name; END IF; "
        "v_lo := v_hi; END LOOP; END $fn$"
    )


def _drop_function(schema: str) -> str:
    return (
        "CREATE OR REPLACE FUNCTION vigie_partitions_drop(p_table text, p_before timestamptz) "
        "RETURNS TABLE (partition_name text, row_count bigint) LANGUAGE plpgsql SECURITY DEFINER "
        f"SET search_path = {schema}, pg_temp {_SETTINGS} AS $fn$ "
        "DECLARE v_key text; v_unit text; v_digits int; v_hi timestamptz; r record; "
        f"BEGIN {_CHOOSE} "
        f"{_ONE_AT_A_TIME} "
        "v_digits := CASE v_unit WHEN 'day' THEN 8 ELSE 6 END; "
        "FOR r IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = p_table::regclass ORDER BY c.relname LOOP "
        "CONTINUE WHEN r.relname !~ ('^' || p_table || '_p[0-9]{' || v_digits || '}$'); "
        "v_hi := CASE v_unit WHEN 'day' "
        "THEN to_timestamp(right(r.relname, 8), 'YYYYMMDD') + interval '1 day' "
        "ELSE to_timestamp(right(r.relname, 6), 'YYYYMM') + interval '1 month' END; "
        # Never a partition reaching past the server's present: a recorder's clock gone wrong
        # by a year does not empty the history.
        "CONTINUE WHEN v_hi > p_before OR v_hi > now(); "
        "partition_name := r.relname; "
        "EXECUTE format('SELECT count(*) FROM %I', r.relname) INTO row_count; "
        "EXECUTE format('DROP TABLE %I', r.relname); "
        "RETURN NEXT; END LOOP; END $fn$"
    )


FUNCTIONS = (
    "vigie_partitions_ensure(text, timestamptz, timestamptz)",
    "vigie_partitions_drop(text, timestamptz)",
)


def _columns(names: tuple[str, ...]) -> str:
    return ", ".join(names)


def _floor(moment: datetime, unit: str) -> datetime:
    moment = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return moment.replace(day=1) if unit == "month" else moment


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        op.execute(_REDATE)
        return
    schema = bind.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
    now = bind.execute(text("SELECT now()")).scalar_one()
    op.execute(_ensure_function(schema))
    op.execute(_drop_function(schema))
    for function in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    op.execute("DROP VIEW export_status_changes")
    for name, table in TABLES.items():
        _partition(name, table, now)
    op.execute(STATUS_VIEW)


def _old_names(name: str) -> list[str]:
    bind = op.get_bind()
    constraints = bind.execute(
        text(
            "SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) "
            "AND contype IN ('p', 'u')"
        ),
        {"t": name},
    ).scalars()
    return list(constraints)


def _free_names(name: str, renamed: str) -> None:
    """The old table's keys and indexes go, so that the new one takes their names."""
    bind = op.get_bind()
    for constraint in _old_names(renamed):
        op.execute(f'ALTER TABLE {renamed} DROP CONSTRAINT "{constraint}"')
    indexes = bind.execute(
        text(
            "SELECT indexname FROM pg_indexes WHERE tablename = :t "
            "AND schemaname = current_schema()"
        ),
        {"t": renamed},
    ).scalars()
    for index in list(indexes):
        op.execute(f'DROP INDEX "{index}"')


def _own_sequence(name: str) -> None:
    bind = op.get_bind()
    sequence = bind.execute(
        text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": f"{name}_0020"}
    ).scalar()
    if sequence is not None:
        op.execute(f"ALTER SEQUENCE {sequence} OWNED BY {name}.id")


def _partition(name: str, table: _Table, now: datetime) -> None:
    bind = op.get_bind()
    renamed = f"{name}_0020"
    op.execute(f"ALTER TABLE {name} RENAME TO {renamed}")
    _free_names(name, renamed)
    op.execute(
        f"CREATE TABLE {name} (LIKE {renamed} INCLUDING DEFAULTS) PARTITION BY RANGE ({table.key})"
    )
    if "id" in table.primary:
        _own_sequence(name)
    op.execute(f"CREATE TABLE {name}_default PARTITION OF {name} DEFAULT")
    copied = _COPIED.get(name, {})
    key = copied.get(table.key, table.key)
    oldest = bind.execute(text(f"SELECT min({key}) FROM {renamed}")).scalar()
    start = now
    if oldest is not None:
        floor = (
            now - timedelta(days=table.kept_days)
            if table.kept_days is not None
            else now - timedelta(days=31 * OLDEST_MONTHS)
        )
        start = min(now, max(oldest, floor))
    bind.execute(
        text("SELECT vigie_partitions_ensure(:t, :a, :b)"),
        {"t": name, "a": _floor(start, table.unit), "b": now + AHEAD[table.unit]},
    )
    columns = bind.execute(
        text(
            "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
            "WHERE attrelid = CAST(:t AS regclass) AND attnum > 0 AND NOT attisdropped"
        ),
        {"t": name},
    ).scalar_one()
    values = ", ".join(copied.get(c, c) for c in columns.split(", "))
    op.execute(f"INSERT INTO {name} ({columns}) SELECT {values} FROM {renamed}")
    op.execute(
        f"ALTER TABLE {name} ADD CONSTRAINT pk_{name} PRIMARY KEY ({_columns(table.primary)})"
    )
    for unique, columns_ in table.uniques.items():
        op.execute(f"ALTER TABLE {name} ADD CONSTRAINT {unique} UNIQUE ({_columns(columns_)})")
    for index, columns_ in table.indexes.items():
        op.execute(f"CREATE INDEX {index} ON {name} ({_columns(columns_)})")
    op.execute(f"DROP TABLE {renamed}")
    op.execute(f"ANALYZE {name}")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("DROP VIEW export_status_changes")
    for name, table in TABLES.items():
        _unpartition(name, table)
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION {function}")
    op.execute(STATUS_VIEW)


def _unpartition(name: str, table: _Table) -> None:
    bind = op.get_bind()
    renamed = f"{name}_0021"
    op.execute(f"ALTER TABLE {name} RENAME TO {renamed}")
    _free_names(name, renamed)
    op.execute(f"CREATE TABLE {name} (LIKE {renamed} INCLUDING DEFAULTS)")
    if "id" in table.primary:
        sequence = bind.execute(
            text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": renamed}
        ).scalar()
        if sequence is not None:
            op.execute(f"ALTER SEQUENCE {sequence} OWNED BY {name}.id")
    op.execute(
        f"ALTER TABLE {name} ADD CONSTRAINT pk_{name} PRIMARY KEY ({_columns(table.old_primary)})"
    )
    for unique, columns_ in table.old_uniques.items():
        op.execute(f"ALTER TABLE {name} ADD CONSTRAINT {unique} UNIQUE ({_columns(columns_)})")
    columns = bind.execute(
        text(
            "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
            "WHERE attrelid = CAST(:t AS regclass) AND attnum > 0 AND NOT attisdropped"
        ),
        {"t": name},
    ).scalar_one()
    op.execute(
        f"INSERT INTO {name} ({columns}) SELECT {columns} FROM {renamed} ORDER BY {table.key} "
        "ON CONFLICT DO NOTHING"
    )
    for index, columns_ in table.indexes.items():
        op.execute(f"CREATE INDEX {index} ON {name} ({_columns(columns_)})")
    op.execute(f"DROP TABLE {renamed}")
