"""Routes of the investigation-round resource (滚动式排查摸底): open a round, record what it
finds (each finding a new hazard), close it with a summary; queries read the rounds view."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import Field, StringConstraints

from hazards.api.deps import HazardsApp, Today
from hazards.api.schemas import LongText, Stated, Text
from hazards.domain.round import InvestigationRound, RoundStatus
from hazards.domain.vocabulary import Category, Source
from hazards.projections import rounds as view
from hazards.projections.rounds import RoundFilter, RoundView
from pingan.api.accepted import Accepted
from pingan.api.deps import CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.history import add_history_route
from pingan.api.idempotency import Idempotent, created
from pingan.api.pagination import Page, PageParams
from pingan.api.problems import not_found
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from pingan.reference import AreaName, TownshipName, VillageName

router = APIRouter(prefix="/rounds", tags=["investigation rounds"])
VIEW = "investigation_rounds"
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]


class OpenRound(Stated):
    name: Text = Field(description="e.g. 2026 年第二轮滚动排查")
    areas: list[AreaName] = Field(
        min_length=1,
        max_length=200,
        description="The townships, villages or communities swept, stored under their "
        "canonical names; a village named in more than one township as 'township village'",
    )
    starts_on: date = Field(description="The first day of the round")
    ends_on: date = Field(description="The last day of the round")
    organiser: Text = Field(description="Who organises the round")


class RecordFinding(Stated):
    title: LongText = Field(description="What the hazard is, in a line")
    category: Category = Field(description="What kind of hazard")
    source: Source = Field(default=Source.INSPECTION, description="inspection 排查 unless given")
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    village: VillageName = Field(description="Village or community (村/社区)")
    address: LongText = Field(description="Where it is, within the village")
    reporter: Text = Field(description="Who found it")
    description: OptionalText = Field(default="", description="More detail, if any")
    key_area_id: UUID | None = Field(
        default=None, description="The key area (重点整治区域) it lies in, if any"
    )
    unit_id: Text | None = Field(default=None, description="The creation unit it lies in (scoring)")


class CloseRound(Stated):
    summary: LongText = Field(description="The round's summary (总结)")
    closed_by: Text = Field(description="Who closes the round")


@router.post("", status_code=status.HTTP_201_CREATED)
def open_round(
    grant: Annotated[Grant, requires(A.ROUNDS_MANAGE)],
    body: OpenRound,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
    claim: Idempotent,
    request: Request,
    response: Response,
) -> Accepted:
    """Open a rolling investigation round over areas for a period (滚动式排查摸底)."""
    recorded = app.create_once(
        claim, lambda: app.open_round(**body.model_dump(), today=today, metadata=meta)
    )
    created(response, recorded, str(request.url_for("get_round", round_id=recorded.id)))
    return Accepted.of(recorded)


@router.post("/{round_id}/findings", status_code=status.HTTP_201_CREATED)
def record_finding(
    grant: Annotated[Grant, requires(A.HAZARDS_REPORT)],
    round_id: UUID,
    body: RecordFinding,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
    claim: Idempotent,
    request: Request,
    response: Response,
) -> Accepted:
    """Record a finding of the open round: it is reported as a new hazard, whose id answers."""
    grant.within(body.township)
    recorded = app.create_once(
        claim,
        lambda: app.record_finding(round_id, **body.model_dump(), today=today, metadata=meta),
    )
    created(response, recorded, str(request.url_for("get_hazard", hazard_id=recorded.id)))
    return Accepted.of(recorded)


@router.post("/{round_id}/close")
def close_round(
    grant: Annotated[Grant, requires(A.ROUNDS_MANAGE)],
    round_id: UUID,
    body: CloseRound,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Close the round with its summary (总结); its findings are counted by category."""
    return Accepted.of(app.close_round(round_id, **body.model_dump(), today=today, metadata=meta))


add_history_route(router, InvestigationRound, "round", A.HAZARDS_READ)


@router.get("/{round_id}")
async def get_round(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    round_id: UUID,
    runtime: Runtime,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> RoundView:
    """One round: its status, findings so far and, once closed, the counts by category."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        found = await view.get_round(conn, round_id)
    if found is None:
        raise not_found("round", round_id)
    return found


@router.get("")
async def list_rounds(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    page: PageParams,
    status: RoundStatus | None = None,
    area: Annotated[str | None, Query(max_length=200, description="Rounds that swept it")] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[RoundView]:
    """The investigation rounds, the latest first, filtered by status and area."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_rounds(
            conn, RoundFilter(status=status, area=area), page.limit, page.offset
        )
    return Page.of(items, total, page)
