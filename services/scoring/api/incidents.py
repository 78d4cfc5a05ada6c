"""Routes of the incidents scoring has noted from the other services, among them the list of
unmatched incidents."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import Field

from pingan.api.accepted import Accepted
from pingan.api.commands import Command
from pingan.api.deps import After, CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.pagination import Page, PageParams
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from pingan.consume.consistency import ReadAfter
from scoring.api.deps import ScoringApp, Today
from scoring.api.schemas import LongText
from scoring.projections import incidents as view
from scoring.projections.incidents import IncidentView

router = APIRouter(prefix="/incidents", tags=["incidents"])
VIEW = "incident_list"


class MatchIncident(Command):
    unit_id: UUID = Field(description="The creation unit the incident happened in")
    reason: LongText = Field(description="How the office knows (核实情况)")


@router.post("/{incident_id}/match")
def match_incident(
    grant: Annotated[Grant, requires(A.SCORING_CONFER)],
    incident_id: UUID,
    body: MatchIncident,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Match an unmatched incident to its unit; a stripping one strips its titles now."""
    return Accepted.of(
        app.match_incident(incident_id, **body.model_dump(), today=today, metadata=meta)
    )


async def _list(
    grant: Grant,
    runtime: Runtime,
    page: PageParams,
    township: str | None,
    unmatched: bool,
    min_position: int | None,
    wait: float | None,
    after: list[ReadAfter],
) -> Page[IncidentView]:
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_incidents(
            conn,
            unmatched=unmatched,
            township=grant.township_filter(township),
            limit=page.limit,
            offset=page.offset,
        )
    return Page.of(items, total, page)


@router.get("/unmatched")
async def list_unmatched(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: Runtime,
    after: After,
    page: PageParams,
    township: Annotated[str | None, Query(max_length=200)] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[IncidentView]:
    """Incidents that strip a title but match no registered unit (未匹配事件)."""
    return await _list(grant, runtime, page, township, True, min_position, wait, after)


@router.get("")
async def list_incidents(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: Runtime,
    after: After,
    page: PageParams,
    township: Annotated[str | None, Query(max_length=200)] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[IncidentView]:
    """Every case, mass incident and accident noted from the other services."""
    return await _list(grant, runtime, page, township, False, min_position, wait, after)
