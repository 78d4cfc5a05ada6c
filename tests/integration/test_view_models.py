"""Every read view answers its models for rows in which every nullable column is NULL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import asyncpg

from hazards.application import HazardsApplication
from hazards.contracts.hazard import RectificationReportedV1, RectificationVerifiedV1
from hazards.domain.vocabulary import HazardStatus
from hazards.projections import HazardRegister, accidents, key_areas, monitoring, rounds
from hazards.projections.register import queries as register
from hazards.projections.register import reports
from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.run.runtime import ServiceRuntime

TODAY = date(2026, 6, 15)
NOW = datetime(2026, 6, 1, 8, tzinfo=UTC)
#: Columns whose text must be a word of the domain's vocabulary.
WORDS: dict[str, dict[str, Any]] = {
    "hazard_register": {"category": "fire", "source": "inspection"},
    "hazard_evidence": {"step": "rectification", "name": "photo-1.jpg"},
    "key_areas": {"kind": "urban_village", "status": "designated"},
    "key_area_cases": {"category": "criminal"},
    "key_area_case_months": {"category": "criminal", "month": TODAY.replace(day=1)},
    "investigation_rounds": {"status": "open"},
    "risk_monitoring": {"product_kind": "food", "status": "monitoring"},
    "risk_warnings": {"level": "red", "risk_level": "high"},
    "accident_register": {
        "kind": "fire",
        "severity": "general",
        "status": "reported",
        "investigated_by": "district",
    },
    "monitoring_follow_ups": {"status": "open"},
    "hazard_deadline_history": {"fact": "planned"},
    "hazard_listing_history": {"act": "listed"},
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
    async with hazards.pool.acquire() as conn:
        ids = {s: await insert_bare(conn, "hazard_register", status=s.value) for s in HazardStatus}
        area = await insert_bare(conn, "key_areas")
        await insert_bare(conn, "key_area_case_months", n=2)

        one = [await register.get_hazard(conn, ident, TODAY) for ident in ids.values()]
        page, total = await register.list_hazards(conn, register.RegisterFilter(), TODAY, 50, 0)
        overdue, _ = await register.list_hazards(
            conn, register.RegisterFilter(overdue=True), TODAY, 50, 0
        )
        ageing, _ = await reports.ageing(conn, reports.AgeingFilter(), TODAY, 50, 0)
        months = await reports.township_months(conn, TODAY.year, None)
        quarter = await reports.quarterly(conn, TODAY.year, 2)
        due = await register.deadline_check_candidates(conn, TODAY)
        progress = await key_areas.key_area_progress(conn, key_areas.KeyAreaFilter(), TODAY)

    assert all(view is not None and view.overdue is False for view in one)
    assert all(
        view is not None
        and (view.found_on, view.reported_at, view.days_open) == (TODAY, NOW, 0)
        and view.filed_on is view.rectification_reported_on is view.closed_on is None
        and view.rejected_on is view.rejected_at is view.listed_on is None
        for view in one
    )
    assert total == len(HazardStatus) and len(page) == total
    assert overdue == [] and ageing == [] and due == []
    assert len(months) == 12 and quarter[0].found == len(HazardStatus)
    assert [p.id for p in progress] == [area]
    assert progress[0].cases[-1].model_dump() == {
        "month": "2026-06",
        "criminal": 2,
        "public_order": 0,
    }


async def test_the_register_histories_read_bare_rows(
    hazards: ServiceRuntime[HazardsApplication],
) -> None:
    async with hazards.pool.acquire() as conn:
        hazard = await insert_bare(conn, "hazard_register", status="rectifying")
        await insert_bare(conn, "hazard_deadline_history", hazard_id=hazard)
        await insert_bare(conn, "hazard_listing_history", hazard_id=hazard)

        history = await register.deadline_history(conn, hazard)
        quarter = await reports.quarterly(conn, TODAY.year, 2)

    assert [(d.fact, d.deadline, d.by) for d in history.deadlines] == [("planned", TODAY, None)]
    assert [(x.act, x.level, x.reason) for x in history.listings] == [("listed", None, None)]
    assert (quarter[0].overdue_at_end, quarter[0].listed_at_end) == (1, 1)  # due 15 June


async def test_the_register_reads_bare_evidence_rows(
    hazards: ServiceRuntime[HazardsApplication],
) -> None:
    async with hazards.pool.acquire() as conn:
        ident = await insert_bare(conn, "hazard_register", status="rectification_reported")
        await insert_bare(conn, "hazard_evidence", hazard_id=ident)
        view = await register.get_hazard(conn, ident, TODAY)

    assert view is not None
    (evidence,) = view.evidence
    assert (evidence.name, evidence.sha256, evidence.href, evidence.size) == (
        "photo-1.jpg",
        None,
        None,
        None,
    )


async def test_the_other_views_read_bare_rows(hazards: ServiceRuntime[HazardsApplication]) -> None:
    tz = hazards.settings.timezone
    async with hazards.pool.acquire() as conn:
        area = await insert_bare(conn, "key_areas")
        sweep = await insert_bare(conn, "investigation_rounds")
        task = await insert_bare(conn, "risk_monitoring")
        await insert_bare(conn, "monitoring_samples", monitoring_id=task)
        await insert_bare(conn, "risk_warnings", monitoring_id=task)
        await insert_bare(conn, "monitoring_follow_ups", monitoring_id=task)
        accident = await insert_bare(conn, "accident_register")

        got = [
            await key_areas.get_key_area(conn, area),
            await rounds.get_round(conn, sweep),
            await monitoring.get_monitoring(conn, task, TODAY),
            await accidents.get_accident(conn, accident),
        ]
        pages = [
            await key_areas.list_key_areas(conn, key_areas.KeyAreaFilter(), 50, 0),
            await rounds.list_rounds(conn, rounds.RoundFilter(), 50, 0),
            await monitoring.list_monitoring(conn, monitoring.MonitoringFilter(), 50, 0),
            await accidents.list_accidents(conn, accidents.AccidentFilter(), tz, 50, 0),
        ]
        warnings = await monitoring.active_warnings(conn, None, None)
        follow_ups, _ = await monitoring.list_follow_ups(
            conn, monitoring.FollowUpFilter(overdue=True), TODAY, 50, 0
        )
        clocks = await accidents.clock_check_candidates(conn, NOW)

    assert all(view is not None for view in got)
    assert [total for _, total in pages] == [1, 1, 1, 1]
    assert len(warnings) == 1
    area_view, round_view, task_view, accident_view = got
    assert isinstance(area_view, key_areas.KeyAreaView) and area_view.designated_on == TODAY
    assert area_view.planned_on is area_view.delisted_on is None
    assert isinstance(round_view, rounds.RoundView)
    assert (round_view.opened_on, round_view.closed_on) == (TODAY, None)
    assert isinstance(task_view, monitoring.MonitoringDetail)
    assert (task_view.started_on, task_view.closed_on, task_view.assessed_on) == (TODAY, None, None)
    assert task_view.results[0].taken_on == TODAY and warnings[0].issued_on == TODAY
    assert task_view.warnings[0].lifted_on is None
    assert task_view.follow_ups[0].due_on == TODAY and task_view.follow_ups[0].overdue is False
    assert follow_ups == [] and clocks == []
    assert isinstance(accident_view, accidents.AccidentView) and accident_view.closed_on is None


async def test_the_register_reports_key_on_the_day_found_not_the_day_recorded(
    hazards: ServiceRuntime[HazardsApplication],
) -> None:
    found, filed, closed = date(2026, 3, 10), date(2026, 3, 20), date(2026, 5, 4)
    async with hazards.pool.acquire() as conn:
        ident = await insert_bare(conn, "hazard_register", status="closed", found_on=found)
        await conn.execute(
            "UPDATE hazard_register SET filed_on = $2, filed_at = $3, closed_on = $4,"
            " closed_at = $3, grade = 'major' WHERE id = $1",
            ident,
            filed,
            NOW,
            closed,
        )
        view = await register.get_hazard(conn, ident, TODAY)
        first = await reports.quarterly(conn, 2026, 1)
        second = await reports.quarterly(conn, 2026, 2)
        months = {m.month: m for m in await reports.township_months(conn, 2026, None)}

    assert view is not None and view.days_open == (closed - found).days
    assert (first[0].found, first[0].filed, first[0].closed, first[0].open_at_end) == (1, 1, 0, 1)
    assert (second[0].found, second[0].closed, second[0].open_at_end) == (0, 1, 0)
    assert (months["2026-03"].found, months["2026-03"].filed, months["2026-06"].found) == (1, 1, 0)
    assert (months["2026-04"].open_major, months["2026-05"].closed) == (1, 1)
    assert months["2026-05"].open_major == 0


async def test_every_view_table_is_covered(hazards: ServiceRuntime[HazardsApplication]) -> None:
    async with hazards.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
    tables = {r["table_name"] for r in rows}
    views = {t for t in tables if not t.endswith(("_events", "_snapshots", "_tracking"))}

    assert views - {"view_versions"} <= {*WORDS, "monitoring_samples"}, views


async def test_the_register_reads_v1_evidence_as_names_without_files(
    hazards: ServiceRuntime[HazardsApplication],
) -> None:
    """What the stream holds from before files: plain references, and no verification files."""
    view = HazardRegister()
    async with hazards.pool.acquire() as conn:
        ident = await insert_bare(conn, "hazard_register", status="rectifying")
        for position, contract in enumerate(
            [
                RectificationReportedV1(
                    hazard_id=ident,
                    occurred_at=NOW,
                    summary="rewired",
                    evidence=["photo-1.jpg", "invoice 2"],
                    on_the_spot=False,
                ),
                RectificationVerifiedV1(
                    hazard_id=ident,
                    occurred_at=NOW,
                    inspector="Zhao",
                    verified_on=TODAY,
                    notes="",
                    on_time=True,
                ),
            ],
            start=1,
        ):
            envelope = Envelope(
                id=f"hazards:{position}",
                source="/hazards",
                type=contract.event_type,
                subject=contract.subject,
                time=NOW,
                position=position,
                correlation_id="c",
                causation_id="c",
                actor="t",
            )
            async with conn.transaction():
                writer = ViewWriter(conn)
                await view.apply(writer, envelope, contract.model_dump_json().encode())
                await writer.flush()
        shown = await register.get_hazard(conn, ident, TODAY)

    assert shown is not None and shown.status is HazardStatus.VERIFIED
    assert [(e.step, e.name, e.sha256, e.href) for e in shown.evidence] == [
        ("rectification", "photo-1.jpg", None, None),
        ("rectification", "invoice 2", None, None),
    ]
