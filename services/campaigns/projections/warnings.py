"""The warning register (预警台账): one row per early warning, from the CAMPAIGNS stream; its
table, its handlers and the queries run on it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from campaigns.contracts.warning import (
    WarningAcknowledgedV1,
    WarningClosedV1,
    WarningRaisedV1,
    WarningResponseRecordedV1,
)
from campaigns.domain.warning import WarningLevel, WarningStatus
from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import Projection, handles, update_row

WARNINGS_DDL = """
CREATE TABLE IF NOT EXISTS warning_register (
    id uuid PRIMARY KEY,
    area text NOT NULL,
    kind text NOT NULL,
    kind_name text NOT NULL,
    level text NOT NULL,
    month text NOT NULL,
    count int NOT NULL,
    baseline double precision NOT NULL,
    score double precision NOT NULL,
    z double precision NOT NULL,
    threshold int NOT NULL,
    case_id uuid NOT NULL,
    status text NOT NULL,
    raised_at timestamptz NOT NULL,
    acknowledged_by text,
    acknowledgement_note text,
    acknowledged_at timestamptz,
    responses jsonb NOT NULL DEFAULT '[]',
    closed_by text,
    summary text,
    closed_at timestamptz,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS warning_register_month ON warning_register (month, area);
"""


class WarningRegister(Projection):
    name = "warning_register"
    sources = ("CAMPAIGNS",)
    version = 1
    tables = ("warning_register",)

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(WARNINGS_DDL)

    @handles(WarningRaisedV1)
    async def raised(self, conn: ViewWriter, e: WarningRaisedV1, env: Envelope) -> None:
        await conn.insert(
            "warning_register",
            {
                "id": e.warning_id,
                "area": e.area,
                "kind": e.kind,
                "kind_name": e.kind_name,
                "level": e.level.value,
                "month": e.month,
                "count": e.count,
                "baseline": e.baseline,
                "score": e.score,
                "z": e.z,
                "threshold": e.threshold,
                "case_id": e.case_id,
                "status": WarningStatus.RAISED.value,
                "raised_at": e.occurred_at,
                "updated_at": env.time,
                "position": env.position,
            },
        )

    @handles(WarningAcknowledgedV1)
    async def acknowledged(self, conn: ViewWriter, e: WarningAcknowledgedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "warning_register",
            e.warning_id,
            env,
            status=WarningStatus.ACKNOWLEDGED.value,
            acknowledged_by=e.acknowledged_by,
            acknowledgement_note=e.note,
            acknowledged_at=e.occurred_at,
        )

    @handles(WarningResponseRecordedV1)
    async def responded(
        self, conn: ViewWriter, e: WarningResponseRecordedV1, env: Envelope
    ) -> None:
        response = {
            "response": e.response,
            "recorded_by": e.recorded_by,
            "recorded_at": e.occurred_at.isoformat(),
        }
        await conn.execute(
            "UPDATE warning_register SET status = $2, responses = responses || $3::jsonb,"
            " updated_at = $4, position = $5 WHERE id = $1",
            e.warning_id,
            WarningStatus.RESPONDED.value,
            json.dumps([response]),
            env.time,
            env.position,
        )

    @handles(WarningClosedV1)
    async def closed(self, conn: ViewWriter, e: WarningClosedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "warning_register",
            e.warning_id,
            env,
            status=WarningStatus.CLOSED.value,
            closed_by=e.closed_by,
            summary=e.summary,
            closed_at=e.occurred_at,
        )


class WarningResponse(BaseModel):
    response: str = Field(description="What was done (处置措施)")
    recorded_by: str
    recorded_at: datetime


class WarningView(BaseModel):
    id: UUID
    area: str = Field(description="The township, or 全区")
    kind: str = Field(description="A case kind's code, or a category for a total")
    kind_name: str
    level: WarningLevel
    month: str = Field(description="YYYY-MM")
    count: int = Field(description="The month's count when it was raised")
    baseline: float = Field(description="What the month was expected to hold")
    score: float = Field(description="2(sqrt(count) - sqrt(baseline))")
    z: float
    threshold: int
    case_id: UUID = Field(description="The case whose registration raised it")
    status: WarningStatus
    raised_at: datetime
    acknowledged_by: str | None
    acknowledgement_note: str | None
    acknowledged_at: datetime | None
    responses: list[WarningResponse]
    closed_by: str | None
    summary: str | None
    closed_at: datetime | None
    position: int


def _view(row: asyncpg.Record) -> WarningView:
    data: dict[str, Any] = dict(row)
    data.pop("updated_at")
    data["responses"] = json.loads(data["responses"])
    return WarningView.model_validate(data)


async def get_warning(conn: asyncpg.Connection, warning_id: UUID) -> WarningView | None:
    row = await conn.fetchrow("SELECT * FROM warning_register WHERE id = $1", warning_id)
    return None if row is None else _view(row)


async def list_warnings(
    conn: asyncpg.Connection,
    *,
    area: str | None,
    areas: list[str] | None,
    kind: str | None,
    level: WarningLevel | None,
    status: WarningStatus | None,
    month_from: str | None,
    month_to: str | None,
    limit: int,
    offset: int,
) -> tuple[list[WarningView], int]:
    """The latest month first, then the highest score. `areas` keeps to those areas (a
    caller's townships), `area` to one."""
    where = """
    WHERE ($1::text IS NULL OR area = $1) AND ($2::text[] IS NULL OR area = ANY($2))
      AND ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR level = $4)
      AND ($5::text IS NULL OR status = $5) AND ($6::text IS NULL OR month >= $6)
      AND ($7::text IS NULL OR month <= $7)
    """
    args = (area, areas, kind, level, status, month_from, month_to)
    total = await conn.fetchval(f"SELECT count(*) FROM warning_register {where}", *args)  # noqa: S608
    rows = await conn.fetch(
        f"SELECT * FROM warning_register {where}"  # noqa: S608
        " ORDER BY month DESC, score DESC, id LIMIT $8 OFFSET $9",
        *args,
        limit,
        offset,
    )
    return [_view(r) for r in rows], int(total)
