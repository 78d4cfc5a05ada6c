"""The investigation rounds: one row per round with its findings count, and the counts by
category that it was closed with; its table, its handlers and the queries run on it. The
hazards a round found are in the register by `round_id`. Opening and closing keep their
business dates (`*_on`) beside their recording times (`*_at`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from hazards.contracts.round import RoundClosedV1, RoundFindingRecordedV1, RoundOpenedV1
from hazards.domain.round import RoundStatus
from hazards.domain.vocabulary import Category
from hazards.projections.business_dates import DatedView
from pingan.api.times import OfficeDateTime
from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import handles, update_row

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
    opened_on date NOT NULL,
    opened_at timestamptz NOT NULL,
    closed_on date,
    closed_at timestamptz,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS investigation_rounds_starts ON investigation_rounds (starts_on);
CREATE INDEX IF NOT EXISTS investigation_rounds_areas ON investigation_rounds USING gin (areas);
"""


async def update(
    conn: ViewWriter,
    round_id: UUID,
    env: Envelope,
    *,
    add: Mapping[str, int] | None = None,
    **columns: Any,
) -> None:
    await update_row(conn, "investigation_rounds", round_id, env, add=add, **columns)


class InvestigationRounds(DatedView):
    """Every investigation round with its current state."""

    name = "investigation_rounds"
    sources = ("HAZARDS",)
    version = 2
    tables = ("investigation_rounds",)

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(ROUNDS_DDL)

    @handles(RoundOpenedV1)
    async def opened(self, conn: asyncpg.Connection, e: RoundOpenedV1, env: Envelope) -> None:
        await conn.execute(
            "INSERT INTO investigation_rounds (id, name, areas, starts_on, ends_on, organiser,"
            " status, opened_on, opened_at, updated_at, position)"
            " VALUES ($1,$2,$3,$4,$5,$6,'open',$7,$8,$8,$9)",
            e.round_id,
            e.name,
            e.areas,
            e.starts_on,
            e.ends_on,
            e.organiser,
            self.day(e),
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
            closed_on=self.day(e),
            closed_at=e.occurred_at,
        )


class RoundView(BaseModel):
    id: UUID
    name: str
    areas: list[str]
    starts_on: date
    ends_on: date
    organiser: str
    status: RoundStatus
    findings: int = Field(description="Hazards the round has found so far")
    found_by_category: dict[Category, int] | None = Field(
        description="Hazards found by the category they were reported in, once closed"
    )
    total: int | None = Field(description="Hazards found, once closed")
    summary: str | None
    closed_by: str | None
    opened_on: date = Field(description="业务日期: the day the round was opened")
    opened_at: OfficeDateTime = Field(description="When the opening was recorded")
    closed_on: date | None = Field(description="业务日期: the day the round was closed")
    closed_at: OfficeDateTime | None = Field(description="When the closing was recorded")
    position: int


def round_view(row: asyncpg.Record) -> RoundView:
    data = dict(row)
    if data["found_by_category"] is not None:
        data["found_by_category"] = json.loads(data["found_by_category"])
    return RoundView.model_validate(data)


@dataclass(frozen=True)
class RoundFilter:
    status: RoundStatus | None = None
    area: str | None = None


#: $1 status, $2 an area the round swept, each ignored when NULL.
WHERE = """
WHERE ($1::text IS NULL OR status = $1)
  AND ($2::text IS NULL OR areas @> ARRAY[$2::text])
"""


async def get_round(conn: asyncpg.Connection, round_id: UUID) -> RoundView | None:
    row = await conn.fetchrow("SELECT * FROM investigation_rounds WHERE id = $1", round_id)
    return None if row is None else round_view(row)


async def list_rounds(
    conn: asyncpg.Connection, flt: RoundFilter, limit: int, offset: int
) -> tuple[list[RoundView], int]:
    """The latest first."""
    args: list[Any] = [flt.status, flt.area]
    total = await conn.fetchval(f"SELECT count(*) FROM investigation_rounds {WHERE}", *args)  # noqa: S608
    rows = await conn.fetch(
        f"SELECT * FROM investigation_rounds {WHERE}"  # noqa: S608
        " ORDER BY starts_on DESC, opened_on DESC, opened_at DESC, id LIMIT $3 OFFSET $4",
        *args,
        limit,
        offset,
    )
    return [round_view(r) for r in rows], int(total)
