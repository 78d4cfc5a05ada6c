"""Every read view answers its models for rows in which every nullable column is NULL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import asyncpg

from hazards.application import HazardsApplication
from hazards.domain.vocabulary import HazardStatus
from hazards.projections import accidents, key_areas, monitoring, rounds
from hazards.projections.register import queries as register
from hazards.projections.register import reports
from pingan.run.runtime import ServiceRuntime

TODAY = date(2026, 6, 15)
NOW = datetime(2026, 6, 1, 8, tzinfo=UTC)
#: Columns whose text must be a word of the domain's vocabulary.
WORDS: dict[str, dict[str, Any]] = {
    "hazard_register": {"category": "fire", "source": "inspection"},
    "key_areas": {"kind": "urban_village", "status": "designated"},
    "investigation_rounds": {"status": "open"},
    "risk_monitoring": {"product_kind": "food", "status": "monitoring"},
    "risk_warnings": {"level": "red", "risk_level": "high"},
    "accident_register": {"kind": "fire", "severity": "general", "status": "reported"},
}
BY_TYPE: dict[str, Any] = {
    "uuid": None,
    "text": "x",
    "integer": 0,
    "bigint": 1,
    "boolean": False,
    "date": TODAY,
    "timestamp with time zone": NOW,
    "numeric": Decimal(0),
    "ARRAY": ["x"],
}


async def insert_bare(conn: asyncpg.Connection, table: str, **given: Any) -> uuid.UUID:
    """A row with only its NOT NULL columns that have no default filled in."""
    columns = await conn.fetch(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_name = $1 AND is_nullable = 'NO' AND column_default IS NULL",
        table,
    )
    ident = uuid.uuid4()
    values: dict[str, Any] = {}
    for column in columns:
        name, kind = column["column_name"], column["data_type"]
        fallback = ident if kind == "uuid" else BY_TYPE[kind]
        values[name] = given.get(name, WORDS.get(table, {}).get(name, fallback))
    names = ", ".join(values)
    marks = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    await conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", *values.values())  # noqa: S608
    return ident


async def test_the_register_reads_bare_rows_in_every_status(
    hazards: ServiceRuntime[HazardsApplication],
) -> None:
    tz = hazards.settings.timezone
    async with hazards.pool.acquire() as conn:
        ids = {s: await insert_bare(conn, "hazard_register", status=s.value) for s in HazardStatus}
        area = await insert_bare(conn, "key_areas")

        one = [await register.get_hazard(conn, ident, TODAY, tz) for ident in ids.values()]
        page, total = await register.list_hazards(conn, register.RegisterFilter(), TODAY, tz, 50, 0)
        overdue, _ = await register.list_hazards(
            conn, register.RegisterFilter(overdue=True), TODAY, tz, 50, 0
        )
        ageing, _ = await reports.ageing(conn, reports.AgeingFilter(), TODAY, tz, 50, 0)
        months = await reports.township_months(conn, TODAY.year, None, tz)
        quarter = await reports.quarterly(conn, TODAY.year, 2, tz)
        due = await register.deadline_check_candidates(conn, TODAY)
        progress = await key_areas.key_area_progress(conn, key_areas.KeyAreaFilter(), TODAY)

    assert all(view is not None and view.overdue is False for view in one)
    assert total == len(HazardStatus) and len(page) == total
    assert overdue == [] and ageing == [] and due == []
    assert len(months) == 12 and quarter[0].found == len(HazardStatus)
    assert [p.id for p in progress] == [area]


async def test_the_other_views_read_bare_rows(hazards: ServiceRuntime[HazardsApplication]) -> None:
    tz = hazards.settings.timezone
    async with hazards.pool.acquire() as conn:
        area = await insert_bare(conn, "key_areas")
        sweep = await insert_bare(conn, "investigation_rounds")
        task = await insert_bare(conn, "risk_monitoring")
        await insert_bare(conn, "monitoring_samples", monitoring_id=task)
        await insert_bare(conn, "risk_warnings", monitoring_id=task)
        accident = await insert_bare(conn, "accident_register")

        got = [
            await key_areas.get_key_area(conn, area),
            await rounds.get_round(conn, sweep),
            await monitoring.get_monitoring(conn, task),
            await accidents.get_accident(conn, accident),
        ]
        pages = [
            await key_areas.list_key_areas(conn, key_areas.KeyAreaFilter(), 50, 0),
            await rounds.list_rounds(conn, rounds.RoundFilter(), 50, 0),
            await monitoring.list_monitoring(conn, monitoring.MonitoringFilter(), 50, 0),
            await accidents.list_accidents(conn, accidents.AccidentFilter(), tz, 50, 0),
        ]
        warnings = await monitoring.active_warnings(conn, None, None)

    assert all(view is not None for view in got)
    assert [total for _, total in pages] == [1, 1, 1, 1]
    assert len(warnings) == 1


async def test_every_view_table_is_covered(hazards: ServiceRuntime[HazardsApplication]) -> None:
    async with hazards.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
    tables = {r["table_name"] for r in rows}
    views = {t for t in tables if not t.endswith(("_events", "_snapshots", "_tracking"))}

    assert views - {"view_versions"} <= {*WORDS, "monitoring_samples"}, views
