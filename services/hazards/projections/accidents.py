"""The accident register: one row per safety accident with its current grade, who investigates
it and its clocks (report, onward reports, casualty window, investigation), from the HAZARDS
stream; its table, its handlers and the queries run on it. The accident's own time is
`happened_at`; its closing keeps its business date (`closed_on`) beside its recording time.
Messages published while a grade could be chosen above the figures (`reported.v1`,
`reclassified.v1`) are read with the grade their figures make."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from hazards.contracts.accident import (
    AccidentClosedV1,
    AccidentFiguresRevisedV1,
    AccidentReclassifiedV1,
    AccidentReportedOnwardV1,
    AccidentReportedV1,
    AccidentReportedV2,
    AccidentReportOverdueV1,
    InvestigationConcludedV1,
    InvestigationExtendedV1,
    InvestigationOverdueV1,
    OnwardReportOverdueV1,
)
from hazards.domain.accident import (
    INVESTIGATION_WITHIN,
    ONWARD_WITHIN,
    REPORT_WITHIN,
    AccidentKind,
    AccidentStatus,
    InvestigatingBody,
    ReportLevel,
    Severity,
    casualties_final_at,
    grade_of,
)
from hazards.projections.business_dates import DatedView
from pingan.api.times import OfficeDateTime
from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import handles, update_row

ACCIDENTS_DDL = """
CREATE TABLE IF NOT EXISTS accident_register (
    id uuid PRIMARY KEY,
    happened_at timestamptz NOT NULL,
    township text NOT NULL,
    village text NOT NULL,
    place text NOT NULL,
    unit_id text,
    unit_name text,
    kind text NOT NULL,
    severity text NOT NULL,
    major boolean NOT NULL,
    deaths int NOT NULL,
    serious_injuries int NOT NULL,
    direct_loss_yuan numeric(16, 2) NOT NULL,
    description text NOT NULL DEFAULT '',
    reported_by text NOT NULL,
    status text NOT NULL,
    reclassifications int NOT NULL DEFAULT 0,
    reclassification_reason text,
    cause text,
    responsibility text,
    conclusion_on date,
    closed_by text,
    investigated_by text NOT NULL,
    received_at timestamptz,
    report_due_at timestamptz NOT NULL,
    report_late boolean NOT NULL DEFAULT false,
    onward_reported text[] NOT NULL DEFAULT '{}',
    onward_next_level text,
    onward_due_at timestamptz,
    onward_overdue boolean NOT NULL DEFAULT false,
    casualties_final_at timestamptz NOT NULL,
    investigation_due_at timestamptz NOT NULL,
    investigation_extended_days int,
    investigation_overdue boolean NOT NULL DEFAULT false,
    reported_at timestamptz NOT NULL,
    closed_on date,
    closed_at timestamptz,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS accident_register_happened ON accident_register (happened_at);
CREATE INDEX IF NOT EXISTS accident_register_township ON accident_register (township, happened_at);
CREATE INDEX IF NOT EXISTS accident_register_unit ON accident_register (unit_id)
    WHERE unit_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS accident_register_open ON accident_register (status)
    WHERE status <> 'closed';
"""


async def update(
    conn: ViewWriter,
    accident_id: UUID,
    env: Envelope,
    *,
    add: Mapping[str, int] | None = None,
    **columns: Any,
) -> None:
    await update_row(conn, "accident_register", accident_id, env, add=add, **columns)


class AccidentRegister(DatedView):
    """Every safety accident with its current grade and investigation."""

    name = "accident_register"
    sources = ("HAZARDS",)
    version = 3
    tables = ("accident_register",)

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(ACCIDENTS_DDL)

    @handles(AccidentReportedV2)
    async def reported(
        self, conn: asyncpg.Connection, e: AccidentReportedV2, env: Envelope
    ) -> None:
        await self._insert(conn, e, env, e.severity, e.received_at)

    @handles(AccidentReportedV1)
    async def reported_v1(
        self, conn: asyncpg.Connection, e: AccidentReportedV1, env: Envelope
    ) -> None:
        graded = grade_of(e.deaths, e.serious_injuries, e.direct_loss_yuan)
        await self._insert(conn, e, env, graded, None)

    async def _insert(
        self,
        conn: asyncpg.Connection,
        e: AccidentReportedV1 | AccidentReportedV2,
        env: Envelope,
        severity: Severity,
        received_at: datetime | None,
    ) -> None:
        await conn.execute(
            "INSERT INTO accident_register (id, happened_at, township, village, place, unit_id,"
            " unit_name, kind, severity, major, deaths, serious_injuries, direct_loss_yuan,"
            " description, reported_by, status, reported_at, updated_at, position,"
            " investigated_by, received_at, report_due_at, onward_next_level, onward_due_at,"
            " casualties_final_at, investigation_due_at)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,'reported',$16,$16,$17,"
            " $18,$19,$20,$21,$22,$23,$24)",
            e.accident_id,
            e.happened_at,
            e.township,
            e.village,
            e.place,
            e.unit_id,
            e.unit_name,
            e.kind.value,
            severity.value,
            severity.is_major,
            e.deaths,
            e.serious_injuries,
            e.direct_loss_yuan,
            e.description,
            e.reported_by,
            e.occurred_at,
            env.position,
            severity.investigated_by.value,
            received_at,
            e.happened_at + REPORT_WITHIN,
            severity.report_levels[0].value,
            None if received_at is None else received_at + ONWARD_WITHIN,
            casualties_final_at(e.kind, e.happened_at),
            e.happened_at + INVESTIGATION_WITHIN,
        )

    @handles(AccidentReportOverdueV1)
    async def report_overdue(
        self, conn: asyncpg.Connection, e: AccidentReportOverdueV1, env: Envelope
    ) -> None:
        await update(conn, e.accident_id, env, report_late=True)

    @handles(AccidentReportedOnwardV1)
    async def reported_onward(
        self, conn: asyncpg.Connection, e: AccidentReportedOnwardV1, env: Envelope
    ) -> None:
        await conn.execute(
            "UPDATE accident_register SET onward_reported = onward_reported || $2::text"
            " WHERE id = $1",
            e.accident_id,
            e.level.value,
        )
        await update(
            conn,
            e.accident_id,
            env,
            onward_next_level=None if e.next_level is None else e.next_level.value,
            onward_due_at=e.next_due_at,
            onward_overdue=False,
        )

    @handles(OnwardReportOverdueV1)
    async def onward_overdue(
        self, conn: asyncpg.Connection, e: OnwardReportOverdueV1, env: Envelope
    ) -> None:
        await update(conn, e.accident_id, env, onward_overdue=True)

    @handles(AccidentFiguresRevisedV1)
    async def figures_revised(
        self, conn: asyncpg.Connection, e: AccidentFiguresRevisedV1, env: Envelope
    ) -> None:
        next_level = None if e.onward_next_level is None else e.onward_next_level.value
        # An overdue mark stays only while the same level is still the one awaited.
        await conn.execute(
            "UPDATE accident_register SET onward_overdue = onward_overdue"
            " AND onward_next_level IS NOT DISTINCT FROM $2 WHERE id = $1",
            e.accident_id,
            next_level,
        )
        await self._regraded(conn, e, env, e.severity, e.reason)
        await update(
            conn, e.accident_id, env, onward_next_level=next_level, onward_due_at=e.onward_due_at
        )

    @handles(AccidentReclassifiedV1)
    async def reclassified(
        self, conn: asyncpg.Connection, e: AccidentReclassifiedV1, env: Envelope
    ) -> None:
        graded = grade_of(e.deaths, e.serious_injuries, e.direct_loss_yuan)
        await self._regraded(conn, e, env, graded, e.reason)

    async def _regraded(
        self,
        conn: asyncpg.Connection,
        e: AccidentFiguresRevisedV1 | AccidentReclassifiedV1,
        env: Envelope,
        severity: Severity,
        reason: str,
    ) -> None:
        await conn.execute(
            "UPDATE accident_register SET reclassifications = reclassifications + 1"
            " WHERE id = $1 AND severity <> $2",
            e.accident_id,
            severity.value,
        )
        await update(
            conn,
            e.accident_id,
            env,
            severity=severity.value,
            major=severity.is_major,
            investigated_by=severity.investigated_by.value,
            deaths=e.deaths,
            serious_injuries=e.serious_injuries,
            direct_loss_yuan=e.direct_loss_yuan,
            reclassification_reason=reason,
        )

    @handles(InvestigationExtendedV1)
    async def investigation_extended(
        self, conn: asyncpg.Connection, e: InvestigationExtendedV1, env: Envelope
    ) -> None:
        await update(
            conn,
            e.accident_id,
            env,
            investigation_due_at=e.due_at,
            investigation_extended_days=e.days,
        )

    @handles(InvestigationOverdueV1)
    async def investigation_overdue(
        self, conn: asyncpg.Connection, e: InvestigationOverdueV1, env: Envelope
    ) -> None:
        await update(conn, e.accident_id, env, investigation_overdue=True)

    @handles(InvestigationConcludedV1)
    async def concluded(
        self, conn: asyncpg.Connection, e: InvestigationConcludedV1, env: Envelope
    ) -> None:
        await update(
            conn,
            e.accident_id,
            env,
            status="investigated",
            cause=e.cause,
            responsibility=e.responsibility,
            conclusion_on=e.conclusion_on,
        )

    @handles(AccidentClosedV1)
    async def closed(self, conn: asyncpg.Connection, e: AccidentClosedV1, env: Envelope) -> None:
        await update(
            conn,
            e.accident_id,
            env,
            status="closed",
            closed_by=e.closed_by,
            closed_on=self.day(e),
            closed_at=e.occurred_at,
        )


class AccidentView(BaseModel):
    id: UUID
    happened_at: OfficeDateTime = Field(description="When the accident happened, as reported")
    township: str
    village: str
    place: str
    unit_id: str | None
    unit_name: str | None
    kind: AccidentKind
    severity: Severity = Field(description="The grade the figures make (条例 art. 3)")
    major: bool = Field(description="major or especially_major: strips the unit's title")
    investigated_by: InvestigatingBody = Field(
        description="Who investigates (art. 19): district 一般, city 较大, province 重大, "
        "state_council 特别重大"
    )
    deaths: int
    serious_injuries: int
    direct_loss_yuan: Decimal
    description: str
    reported_by: str
    status: AccidentStatus
    reclassifications: int = Field(description="How often revised figures changed the grade")
    reclassification_reason: str | None = Field(description="The reason of the last revision")
    received_at: OfficeDateTime | None = Field(description="When the district received the report")
    report_due_at: OfficeDateTime = Field(description="An hour after the accident (art. 9)")
    report_late: bool = Field(description="Received after report_due_at (迟报)")
    onward_reported: list[ReportLevel] = Field(description="Levels reported to, in order")
    onward_next_level: ReportLevel | None = Field(
        description="The level the report must reach next (art. 11), if any"
    )
    onward_due_at: OfficeDateTime | None = Field(description="By when (2 hours per level)")
    onward_overdue: bool = Field(description="The next level's time has run out")
    casualties_final_at: OfficeDateTime = Field(
        description="Casualty changes are taken until then (art. 13: 30 days, 7 for road "
        "traffic and fire)"
    )
    investigation_due_at: OfficeDateTime = Field(
        description="The investigation report is due (art. 29: 60 days, extendable once by "
        "at most 60)"
    )
    investigation_extended_days: int | None
    investigation_overdue: bool = Field(
        description="The investigation's time ran out before its conclusion"
    )
    cause: str | None
    responsibility: str | None
    conclusion_on: date | None
    closed_by: str | None
    reported_at: OfficeDateTime = Field(description="When the report was recorded")
    closed_on: date | None = Field(description="业务日期: the day the accident was closed")
    closed_at: OfficeDateTime | None = Field(description="When the closing was recorded")
    position: int


@dataclass(frozen=True)
class AccidentFilter:
    """`occurred_from` and `occurred_to` are local dates, both inclusive."""

    township: str | None = None
    severity: Severity | None = None
    major: bool | None = None
    unit_id: str | None = None
    kind: AccidentKind | None = None
    status: AccidentStatus | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    overdue: bool | None = None


OVERDUE = "(onward_overdue OR (investigation_overdue AND status = 'reported'))"

#: $9 is the office's time zone, in which the local dates $7 and $8 are counted.
FILTERS = f"""
WHERE ($1::text IS NULL OR township = $1)
  AND ($2::text IS NULL OR severity = $2)
  AND ($3::boolean IS NULL OR major = $3)
  AND ($4::text IS NULL OR unit_id = $4)
  AND ($5::text IS NULL OR kind = $5)
  AND ($6::text IS NULL OR status = $6)
  AND ($7::date IS NULL OR (happened_at AT TIME ZONE $9::text)::date >= $7)
  AND ($8::date IS NULL OR (happened_at AT TIME ZONE $9::text)::date <= $8)
  AND ($10::boolean IS NULL OR (status <> 'closed' AND {OVERDUE}) = $10)
"""


async def get_accident(conn: asyncpg.Connection, accident_id: UUID) -> AccidentView | None:
    row = await conn.fetchrow("SELECT * FROM accident_register WHERE id = $1", accident_id)
    return None if row is None else AccidentView.model_validate(dict(row))


async def list_accidents(
    conn: asyncpg.Connection, flt: AccidentFilter, timezone: str, limit: int, offset: int
) -> tuple[list[AccidentView], int]:
    """The latest accident first."""
    args: list[Any] = [
        flt.township,
        flt.severity,
        flt.major,
        flt.unit_id,
        flt.kind,
        flt.status,
        flt.occurred_from,
        flt.occurred_to,
        timezone,
        flt.overdue,
    ]
    total = await conn.fetchval(f"SELECT count(*) FROM accident_register {FILTERS}", *args)  # noqa: S608
    rows = await conn.fetch(
        f"SELECT * FROM accident_register {FILTERS}"  # noqa: S608
        " ORDER BY happened_at DESC, id LIMIT $11 OFFSET $12",
        *args,
        limit,
        offset,
    )
    return [AccidentView.model_validate(dict(r)) for r in rows], int(total)


async def clock_check_candidates(conn: asyncpg.Connection, now: datetime) -> list[UUID]:
    """Open accidents whose onward report or investigation may have run out by `now` and
    is not yet marked; each decides on its own events."""
    rows = await conn.fetch(
        "SELECT id FROM accident_register WHERE status <> 'closed' AND ("
        " (onward_due_at < $1 AND onward_next_level IS NOT NULL AND NOT onward_overdue)"
        " OR (status = 'reported' AND investigation_due_at < $1 AND NOT investigation_overdue)"
        ") ORDER BY happened_at, id",
        now,
    )
    return [r["id"] for r in rows]
