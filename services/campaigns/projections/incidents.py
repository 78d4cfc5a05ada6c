"""The mass incident register (群体性事件登记): one row per incident, from the CAMPAIGNS stream;
its table, its handlers and the queries run on it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from campaigns.contracts.mass_incident import MassIncidentReportedV1, MassIncidentResolvedV1
from campaigns.domain.mass_incident import IncidentStatus
from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import Projection, handles, update_row

INCIDENTS_DDL = """
CREATE TABLE IF NOT EXISTS mass_incident_register (
    id uuid PRIMARY KEY,
    happened_at timestamptz NOT NULL,
    township text NOT NULL,
    village text NOT NULL,
    place text NOT NULL,
    unit_id text,
    unit_name text,
    participants int NOT NULL,
    cause text NOT NULL,
    handling text NOT NULL,
    reported_by text NOT NULL,
    status text NOT NULL,
    resolved_on date,
    outcome text,
    reported_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS mass_incident_register_township
    ON mass_incident_register (township, happened_at);
"""


class MassIncidentRegister(Projection):
    name = "mass_incident_register"
    sources = ("CAMPAIGNS",)
    version = 1
    tables = ("mass_incident_register",)

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(INCIDENTS_DDL)

    @handles(MassIncidentReportedV1)
    async def reported(self, conn: ViewWriter, e: MassIncidentReportedV1, env: Envelope) -> None:
        await conn.insert(
            "mass_incident_register",
            {
                "id": e.incident_id,
                "happened_at": e.happened_at,
                "township": e.township,
                "village": e.village,
                "place": e.place,
                "unit_id": e.unit_id,
                "unit_name": e.unit_name,
                "participants": e.participants,
                "cause": e.cause,
                "handling": e.handling,
                "reported_by": e.reported_by,
                "status": IncidentStatus.REPORTED.value,
                "reported_at": e.occurred_at,
                "updated_at": env.time,
                "position": env.position,
            },
        )

    @handles(MassIncidentResolvedV1)
    async def resolved(self, conn: ViewWriter, e: MassIncidentResolvedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "mass_incident_register",
            e.incident_id,
            env,
            status=IncidentStatus.RESOLVED.value,
            resolved_on=e.resolved_on,
            outcome=e.outcome,
        )


class MassIncidentView(BaseModel):
    id: UUID
    happened_at: datetime
    township: str
    village: str
    place: str
    unit_id: str | None
    unit_name: str | None
    participants: int
    cause: str
    handling: str
    reported_by: str
    status: IncidentStatus
    resolved_on: date | None
    outcome: str | None
    reported_at: datetime
    position: int


def _view(row: asyncpg.Record) -> MassIncidentView:
    data: dict[str, Any] = dict(row)
    data.pop("updated_at")
    return MassIncidentView.model_validate(data)


async def get_incident(conn: asyncpg.Connection, incident_id: UUID) -> MassIncidentView | None:
    row = await conn.fetchrow("SELECT * FROM mass_incident_register WHERE id = $1", incident_id)
    return None if row is None else _view(row)


async def list_incidents(
    conn: asyncpg.Connection,
    *,
    township: str | None,
    status: IncidentStatus | None,
    unit_id: str | None,
    limit: int,
    offset: int,
) -> tuple[list[MassIncidentView], int]:
    """The latest incident first."""
    where = """
    WHERE ($1::text IS NULL OR township = $1) AND ($2::text IS NULL OR status = $2)
      AND ($3::text IS NULL OR unit_id = $3)
    """
    args = (township, status, unit_id)
    total = await conn.fetchval(f"SELECT count(*) FROM mass_incident_register {where}", *args)  # noqa: S608
    rows = await conn.fetch(
        f"SELECT * FROM mass_incident_register {where}"  # noqa: S608
        " ORDER BY happened_at DESC, id LIMIT $4 OFFSET $5",
        *args,
        limit,
        offset,
    )
    return [_view(r) for r in rows], int(total)
