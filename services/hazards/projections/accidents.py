"""The accident register: one row per safety accident with its current grade, from the HAZARDS
stream; its table, its handlers and the queries run on it. The accident's own time is
`happened_at`; its closing keeps its business date (`closed_on`) beside its recording time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from hazards.contracts.accident import (
    AccidentClosedV1,
    AccidentReclassifiedV1,
    AccidentReportedV1,
    InvestigationConcludedV1,
)
from hazards.domain.accident import AccidentKind, AccidentStatus, Severity
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
    version = 2
    tables = ("accident_register",)

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(ACCIDENTS_DDL)

    @handles(AccidentReportedV1)
    async def reported(
        self, conn: asyncpg.Connection, e: AccidentReportedV1, env: Envelope
    ) -> None:
        await conn.execute(
            "INSERT INTO accident_register (id, happened_at, township, village, place, unit_id,"
            " unit_name, kind, severity, major, deaths, serious_injuries, direct_loss_yuan,"
            " description, reported_by, status, reported_at, updated_at, position)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,'reported',$16,$16,$17)",
            e.accident_id,
            e.happened_at,
            e.township,
            e.village,
            e.place,
            e.unit_id,
            e.unit_name,
            e.kind.value,
            e.severity.value,
            e.major,
            e.deaths,
            e.serious_injuries,
            e.direct_loss_yuan,
            e.description,
            e.reported_by,
            e.occurred_at,
            env.position,
        )

    @handles(AccidentReclassifiedV1)
    async def reclassified(
        self, conn: asyncpg.Connection, e: AccidentReclassifiedV1, env: Envelope
    ) -> None:
        await conn.execute(
            "UPDATE accident_register SET reclassifications = reclassifications + 1 WHERE id = $1",
            e.accident_id,
        )
        await update(
            conn,
            e.accident_id,
            env,
            severity=e.severity.value,
            major=e.major,
            deaths=e.deaths,
            serious_injuries=e.serious_injuries,
            direct_loss_yuan=e.direct_loss_yuan,
            reclassification_reason=e.reason,
        )

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
    severity: Severity
    major: bool = Field(description="major or especially_major: strips the unit's title")
    deaths: int
    serious_injuries: int
    direct_loss_yuan: Decimal
    description: str
    reported_by: str
    status: AccidentStatus
    reclassifications: int
    reclassification_reason: str | None
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


#: $9 is the office's time zone, in which the local dates $7 and $8 are counted.
FILTERS = """
WHERE ($1::text IS NULL OR township = $1)
  AND ($2::text IS NULL OR severity = $2)
  AND ($3::boolean IS NULL OR major = $3)
  AND ($4::text IS NULL OR unit_id = $4)
  AND ($5::text IS NULL OR kind = $5)
  AND ($6::text IS NULL OR status = $6)
  AND ($7::date IS NULL OR (happened_at AT TIME ZONE $9::text)::date >= $7)
  AND ($8::date IS NULL OR (happened_at AT TIME ZONE $9::text)::date <= $8)
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
    ]
    total = await conn.fetchval(f"SELECT count(*) FROM accident_register {FILTERS}", *args)  # noqa: S608
    rows = await conn.fetch(
        f"SELECT * FROM accident_register {FILTERS}"  # noqa: S608
        " ORDER BY happened_at DESC, id LIMIT $10 OFFSET $11",
        *args,
        limit,
        offset,
    )
    return [AccidentView.model_validate(dict(r)) for r in rows], int(total)
