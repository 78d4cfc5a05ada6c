"""The re-inspections (复查) due and overdue, from the unit register."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from pingan.api.deps import After, MinPosition, Runtime, WaitSeconds
from pingan.api.pagination import Page, PageParams
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from scoring.api.deps import Today
from scoring.projections import register as view
from scoring.projections.register import ReinspectionState, ReinspectionView

router = APIRouter(prefix="/reinspections", tags=["reinspections"])


@router.get("")
async def list_reinspections(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: Runtime,
    after: After,
    today: Today,
    page: PageParams,
    state: ReinspectionState = ReinspectionState.DUE,
    within_days: Annotated[
        int, Query(ge=0, le=366, description="due: falling due within this many days")
    ] = 30,
    township: Annotated[str | None, Query(max_length=200)] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[ReinspectionView]:
    """Named units whose re-inspection falls due soon (due) or is past due (overdue)."""
    await runtime.wait_for("unit_register", min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_reinspections(
            conn,
            today=today,
            state=state,
            within_days=within_days,
            township=grant.township_filter(township),
            limit=page.limit,
            offset=page.offset,
        )
    return Page.of(items, total, page)
