"""The accident register: one row per safety accident with its current grade, from the HAZARDS
stream."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from hazards.contracts.accident import (
    AccidentClosedV1,
    AccidentReclassifiedV1,
    AccidentReportedV1,
    InvestigationConcludedV1,
)
from pingan.bus.envelope import Envelope
from pingan.consume.views import Projection, handles

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
    conn: asyncpg.Connection, accident_id: UUID, env: Envelope, **columns: Any
) -> None:
    names = list(columns)
    assignments = "".join(f", {name} = ${i}" for i, name in enumerate(names, start=4))
    result = await conn.execute(
        f"UPDATE accident_register SET updated_at = $2, position = $3{assignments} "  # noqa: S608
        "WHERE id = $1",
        accident_id,
        env.time,
        env.position,
        *columns.values(),
    )
    if result != "UPDATE 1":
        raise LookupError(f"accident {accident_id} is not in the register")


class AccidentRegister(Projection):
    """Every safety accident with its current grade and investigation."""

    name = "accident_register"
    source = "HAZARDS"

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(ACCIDENTS_DDL)

    async def clear(self, conn: asyncpg.Connection) -> None:
        await conn.execute("TRUNCATE accident_register")

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
            closed_at=e.occurred_at,
        )
