"""The incidents scoring has noted, and among them the list of unmatched incidents (未匹配事件):
those that strip a title but match no registered unit, for the district office to resolve by
registering the unit or correcting the upstream record."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from pingan.bus.envelope import Envelope
from pingan.consume.rows import ViewWriter
from pingan.consume.views import Projection, handles, update_row
from scoring.contracts.incident import (
    IncidentCorrectedV1,
    IncidentEscalatedV1,
    IncidentMatchedV1,
    IncidentNotedV1,
)
from scoring.domain.incident import Match

DDL = """
CREATE TABLE IF NOT EXISTS scoring_incidents (
    id uuid PRIMARY KEY,
    source text NOT NULL,
    upstream_id uuid NOT NULL,
    cause text NOT NULL,
    strips boolean NOT NULL,
    happened_on date NOT NULL,
    township text NOT NULL,
    village text,
    unit_id text,
    matched_unit_id uuid,
    match text NOT NULL,
    unmatched_reason text,
    upstream_type text NOT NULL,
    upstream_event_id text NOT NULL,
    summary text NOT NULL,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS scoring_incidents_unmatched
    ON scoring_incidents (happened_on) WHERE strips AND matched_unit_id IS NULL;
"""


class IncidentList(Projection):
    name = "incident_list"
    sources = ("SCORING",)
    version = 1
    tables = ("scoring_incidents",)

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(DDL)

    @handles(IncidentNotedV1)
    async def noted(self, conn: ViewWriter, e: IncidentNotedV1, env: Envelope) -> None:
        await conn.insert(
            "scoring_incidents",
            {
                "id": e.incident_id,
                "source": e.source,
                "upstream_id": e.upstream_id,
                "cause": e.cause,
                "strips": e.strips,
                "happened_on": e.happened_on,
                "township": e.township,
                "village": e.village,
                "unit_id": e.unit_id,
                "matched_unit_id": e.matched_unit_id,
                "match": e.match,
                "unmatched_reason": e.unmatched_reason,
                "upstream_type": e.upstream_type,
                "upstream_event_id": e.upstream_event_id,
                "summary": e.summary,
                "updated_at": env.time,
                "position": env.position,
            },
        )

    @handles(IncidentMatchedV1)
    async def matched(self, conn: ViewWriter, e: IncidentMatchedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "scoring_incidents",
            e.incident_id,
            env,
            matched_unit_id=e.unit_id,
            match=Match.OFFICE.value,
            unmatched_reason=None,
        )

    @handles(IncidentEscalatedV1)
    async def escalated(self, conn: ViewWriter, e: IncidentEscalatedV1, env: Envelope) -> None:
        await update_row(
            conn,
            "scoring_incidents",
            e.incident_id,
            env,
            strips=True,
            upstream_type=e.upstream_type,
            upstream_event_id=e.upstream_event_id,
        )

    @handles(IncidentCorrectedV1)
    async def corrected(self, conn: ViewWriter, e: IncidentCorrectedV1, env: Envelope) -> None:
        # Withdrawn or below the bar, it strips nothing and leaves the unmatched list.
        await update_row(conn, "scoring_incidents", e.incident_id, env, strips=False)


class IncidentView(BaseModel):
    id: UUID
    source: str = Field(description="The upstream stream: CAMPAIGNS or HAZARDS")
    upstream_id: UUID
    cause: str
    strips: bool
    happened_on: date
    township: str
    village: str | None
    unit_id: str | None
    matched_unit_id: UUID | None
    match: str
    unmatched_reason: str | None
    upstream_type: str
    upstream_event_id: str
    summary: str
    position: int


async def list_incidents(
    conn: asyncpg.Connection,
    *,
    unmatched: bool,
    township: str | None,
    limit: int,
    offset: int,
    unit_id: UUID | None = None,
) -> tuple[list[IncidentView], int]:
    """The latest first; `unmatched` keeps those that strip a title and match no unit,
    `unit_id` those matched to that unit."""
    where = """
    WHERE ($1::text IS NULL OR township = $1)
      AND (NOT $2::bool OR (strips AND matched_unit_id IS NULL))
      AND ($3::uuid IS NULL OR matched_unit_id = $3)
    """
    args = (township, unmatched, unit_id)
    total = await conn.fetchval(f"SELECT count(*) FROM scoring_incidents {where}", *args)  # noqa: S608
    rows = await conn.fetch(
        f"SELECT * FROM scoring_incidents {where}"  # noqa: S608
        " ORDER BY happened_on DESC, position DESC LIMIT $4 OFFSET $5",
        *args,
        limit,
        offset,
    )
    views = []
    for row in rows:
        data = dict(row)
        data.pop("updated_at")
        views.append(IncidentView.model_validate(data))
    return views, int(total)
