"""Routes of the incidents scoring has noted from the other services, among them the list of
unmatched incidents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from pingan.api.deps import MinPosition, Runtime, WaitSeconds
from pingan.api.pagination import Page, PageParams
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from scoring.projections import incidents as view
from scoring.projections.incidents import IncidentView

router = APIRouter(prefix="/incidents", tags=["incidents"])
VIEW = "incident_list"


async def _list(
    grant: Grant,
    runtime: Runtime,
    page: PageParams,
    township: str | None,
    unmatched: bool,
    min_position: int | None,
    wait: float | None,
) -> Page[IncidentView]:
    await runtime.wait_for(VIEW, min_position, wait)
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
    page: PageParams,
    township: Annotated[str | None, Query(max_length=200)] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[IncidentView]:
    """Incidents that strip a title but match no registered unit (未匹配事件)."""
    return await _list(grant, runtime, page, township, True, min_position, wait)


@router.get("")
async def list_incidents(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: Runtime,
    page: PageParams,
    township: Annotated[str | None, Query(max_length=200)] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[IncidentView]:
    """Every case, mass incident and accident noted from the other services."""
    return await _list(grant, runtime, page, township, False, min_position, wait)
