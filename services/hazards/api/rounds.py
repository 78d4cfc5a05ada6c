"""Routes of the investigation-round resource (滚动式排查摸底): open a round, record what it
finds (each finding a new hazard), close it with a summary; queries read the rounds view."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, Field, StringConstraints

from hazards.api.deps import HazardsApp, Today
from hazards.api.schemas import Accepted, LongText, Text
from hazards.domain.round import RoundStatus
from hazards.domain.vocabulary import Category, Source
from pingan.api.commands import Command
from pingan.api.deps import CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.problems import not_found
from pingan.reference import TownshipName, VillageName

router = APIRouter(prefix="/rounds", tags=["investigation rounds"])
VIEW = "investigation_rounds"
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]


class OpenRound(Command):
    name: Text = Field(description="e.g. 2026 年第二轮滚动排查")
    areas: list[Text] = Field(
        min_length=1, max_length=200, description="The townships, villages or communities swept"
    )
    starts_on: date
    ends_on: date
    organiser: Text


class RecordFinding(Command):
    title: LongText
    category: Category
    source: Source = Field(default=Source.INSPECTION, description="inspection 排查 unless given")
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    village: VillageName = Field(description="Village or community (村/社区)")
    address: LongText
    reporter: Text
    description: OptionalText = ""
    key_area_id: UUID | None = None
    unit_id: Text | None = Field(default=None, description="The creation unit it lies in (scoring)")


class CloseRound(Command):
    summary: LongText
    closed_by: Text


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
    opened_at: datetime
    closed_at: datetime | None
    position: int


class RoundPage(BaseModel):
    items: list[RoundView]
    total: int
    limit: int
    offset: int


def round_view(row: Any) -> RoundView:
    data = dict(row)
    if data["found_by_category"] is not None:
        data["found_by_category"] = json.loads(data["found_by_category"])
    return RoundView.model_validate(data)


@router.post("", status_code=status.HTTP_201_CREATED)
def open_round(
    body: OpenRound, app: HazardsApp, meta: CommandMeta, request: Request, response: Response
) -> Accepted:
    """Open a rolling investigation round over areas for a period (滚动式排查摸底)."""
    recorded = app.open_round(**body.model_dump(), metadata=meta)
    response.headers["Location"] = str(request.url_for("get_round", round_id=recorded.id))
    return Accepted.of(recorded)


@router.post("/{round_id}/findings", status_code=status.HTTP_201_CREATED)
def record_finding(
    round_id: UUID,
    body: RecordFinding,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
    request: Request,
    response: Response,
) -> Accepted:
    """Record a finding of the open round: it is reported as a new hazard, whose id answers."""
    recorded = app.record_finding(round_id, **body.model_dump(), today=today, metadata=meta)
    response.headers["Location"] = str(request.url_for("get_hazard", hazard_id=recorded.id))
    return Accepted.of(recorded)


@router.post("/{round_id}/close")
def close_round(round_id: UUID, body: CloseRound, app: HazardsApp, meta: CommandMeta) -> Accepted:
    """Close the round with its summary (总结); its findings are counted by category."""
    return Accepted.of(app.close_round(round_id, **body.model_dump(), metadata=meta))


@router.get("/{round_id}")
async def get_round(
    round_id: UUID,
    runtime: Runtime,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> RoundView:
    """One round: its status, findings so far and, once closed, the counts by category."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM investigation_rounds WHERE id = $1", round_id)
    if row is None:
        raise not_found("round", round_id)
    return round_view(row)


WHERE = """
WHERE ($1::text IS NULL OR status = $1)
  AND ($2::text IS NULL OR areas @> ARRAY[$2::text])
"""


@router.get("")
async def list_rounds(
    runtime: Runtime,
    status: RoundStatus | None = None,
    area: Annotated[str | None, Query(max_length=200, description="Rounds that swept it")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> RoundPage:
    """The investigation rounds, the latest first, filtered by status and area."""
    await runtime.wait_for(VIEW, min_position, wait)
    args: list[Any] = [status, area]
    async with runtime.pool.acquire() as conn:
        total = await conn.fetchval(
            f"SELECT count(*) FROM investigation_rounds {WHERE}",  # noqa: S608
            *args,
        )
        rows = await conn.fetch(
            f"SELECT * FROM investigation_rounds {WHERE}"  # noqa: S608
            " ORDER BY starts_on DESC, opened_at DESC, id LIMIT $3 OFFSET $4",
            *args,
            limit,
            offset,
        )
    return RoundPage(
        items=[round_view(r) for r in rows], total=int(total), limit=limit, offset=offset
    )
