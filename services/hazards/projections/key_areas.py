"""The key areas: one row per area with its plan, its latest review and its status.

Progress per area is a query joining this view with the hazard register.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from hazards.contracts.key_area import (
    KeyAreaDelistedV1,
    KeyAreaDesignatedV1,
    KeyAreaRectificationPlannedV1,
    KeyAreaReviewedV1,
)
from pingan.bus.envelope import Envelope
from pingan.consume.views import Projection, handles

KEY_AREAS_DDL = """
CREATE TABLE IF NOT EXISTS key_areas (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL,
    township text NOT NULL,
    village text NOT NULL,
    description text NOT NULL DEFAULT '',
    designated_by text NOT NULL,
    status text NOT NULL,
    measures text,
    responsible_unit text,
    deadline date,
    combined_with text,
    plans int NOT NULL DEFAULT 0,
    reviews int NOT NULL DEFAULT 0,
    last_reviewer text,
    last_reviewed_on date,
    last_findings text,
    public_order_improved boolean,
    delisted_by text,
    delisting_reason text,
    designated_at timestamptz NOT NULL,
    planned_at timestamptz,
    delisted_at timestamptz,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS key_areas_township ON key_areas (township, name);
"""


async def update(
    conn: asyncpg.Connection, key_area_id: UUID, env: Envelope, **columns: Any
) -> None:
    assignments = "".join(f", {name} = ${i}" for i, name in enumerate(columns, start=4))
    result = await conn.execute(
        f"UPDATE key_areas SET updated_at = $2, position = $3{assignments} "  # noqa: S608
        "WHERE id = $1",
        key_area_id,
        env.time,
        env.position,
        *columns.values(),
    )
    if result != "UPDATE 1":
        raise LookupError(f"key area {key_area_id} is not in the view")


class KeyAreas(Projection):
    """Every key area with its current state."""

    name = "key_areas"
    source = "HAZARDS"

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(KEY_AREAS_DDL)

    async def clear(self, conn: asyncpg.Connection) -> None:
        await conn.execute("TRUNCATE key_areas")

    @handles(KeyAreaDesignatedV1)
    async def designated(
        self, conn: asyncpg.Connection, e: KeyAreaDesignatedV1, env: Envelope
    ) -> None:
        await conn.execute(
            "INSERT INTO key_areas (id, name, kind, township, village, description,"
            " designated_by, status, designated_at, updated_at, position)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,'designated',$8,$8,$9)",
            e.key_area_id,
            e.name,
            e.kind.value,
            e.township,
            e.village,
            e.description,
            e.designated_by,
            e.occurred_at,
            env.position,
        )

    @handles(KeyAreaRectificationPlannedV1)
    async def planned(
        self, conn: asyncpg.Connection, e: KeyAreaRectificationPlannedV1, env: Envelope
    ) -> None:
        await conn.execute("UPDATE key_areas SET plans = plans + 1 WHERE id = $1", e.key_area_id)
        await update(
            conn,
            e.key_area_id,
            env,
            status="under_rectification",
            measures=e.measures,
            responsible_unit=e.responsible_unit,
            deadline=e.deadline,
            combined_with=e.combined_with,
            planned_at=e.occurred_at,
        )

    @handles(KeyAreaReviewedV1)
    async def reviewed(self, conn: asyncpg.Connection, e: KeyAreaReviewedV1, env: Envelope) -> None:
        await conn.execute(
            "UPDATE key_areas SET reviews = reviews + 1 WHERE id = $1", e.key_area_id
        )
        await update(
            conn,
            e.key_area_id,
            env,
            status="reviewed",
            last_reviewer=e.reviewer,
            last_reviewed_on=e.reviewed_on,
            last_findings=e.findings,
            public_order_improved=e.public_order_improved,
        )

    @handles(KeyAreaDelistedV1)
    async def delisted(self, conn: asyncpg.Connection, e: KeyAreaDelistedV1, env: Envelope) -> None:
        await update(
            conn,
            e.key_area_id,
            env,
            status="delisted",
            delisted_by=e.delisted_by,
            delisting_reason=e.reason,
            delisted_at=e.occurred_at,
        )
