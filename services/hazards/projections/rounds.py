"""The investigation rounds: one row per round with its findings count, and the counts by
category that it was closed with; the hazards it found are in the register by `round_id`."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import asyncpg

from hazards.contracts.round import RoundClosedV1, RoundFindingRecordedV1, RoundOpenedV1
from pingan.bus.envelope import Envelope
from pingan.consume.views import Projection, handles

ROUNDS_DDL = """
CREATE TABLE IF NOT EXISTS investigation_rounds (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    areas text[] NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    organiser text NOT NULL,
    status text NOT NULL,
    findings int NOT NULL DEFAULT 0,
    found_by_category jsonb,
    total int,
    summary text,
    closed_by text,
    opened_at timestamptz NOT NULL,
    closed_at timestamptz,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS investigation_rounds_starts ON investigation_rounds (starts_on);
CREATE INDEX IF NOT EXISTS investigation_rounds_areas ON investigation_rounds USING gin (areas);
"""


async def update(conn: asyncpg.Connection, round_id: UUID, env: Envelope, **columns: Any) -> None:
    assignments = "".join(f", {name} = ${i}" for i, name in enumerate(columns, start=4))
    result = await conn.execute(
        f"UPDATE investigation_rounds SET updated_at = $2, position = $3{assignments} "  # noqa: S608
        "WHERE id = $1",
        round_id,
        env.time,
        env.position,
        *columns.values(),
    )
    if result != "UPDATE 1":
        raise LookupError(f"round {round_id} is not in the view")


class InvestigationRounds(Projection):
    """Every investigation round with its current state."""

    name = "investigation_rounds"
    source = "HAZARDS"

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(ROUNDS_DDL)

    async def clear(self, conn: asyncpg.Connection) -> None:
        await conn.execute("TRUNCATE investigation_rounds")

    @handles(RoundOpenedV1)
    async def opened(self, conn: asyncpg.Connection, e: RoundOpenedV1, env: Envelope) -> None:
        await conn.execute(
            "INSERT INTO investigation_rounds (id, name, areas, starts_on, ends_on, organiser,"
            " status, opened_at, updated_at, position)"
            " VALUES ($1,$2,$3,$4,$5,$6,'open',$7,$7,$8)",
            e.round_id,
            e.name,
            e.areas,
            e.starts_on,
            e.ends_on,
            e.organiser,
            e.occurred_at,
            env.position,
        )

    @handles(RoundFindingRecordedV1)
    async def found(
        self, conn: asyncpg.Connection, e: RoundFindingRecordedV1, env: Envelope
    ) -> None:
        await conn.execute(
            "UPDATE investigation_rounds SET findings = findings + 1 WHERE id = $1", e.round_id
        )
        await update(conn, e.round_id, env)

    @handles(RoundClosedV1)
    async def closed(self, conn: asyncpg.Connection, e: RoundClosedV1, env: Envelope) -> None:
        counts = {category.value: count for category, count in e.found_by_category.items()}
        await update(
            conn,
            e.round_id,
            env,
            status="closed",
            found_by_category=json.dumps(counts, ensure_ascii=False),
            total=e.total,
            summary=e.summary,
            closed_by=e.closed_by,
            closed_at=e.occurred_at,
        )
