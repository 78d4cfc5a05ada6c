"""Routes of the families' ten stars (十星级平安家庭): commands decide on the family's star
rating, queries read the family_stars view."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query
from pydantic import Field

from pingan.api.accepted import Accepted
from pingan.api.commands import Command
from pingan.api.deps import After, CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.idempotency import Idempotent
from pingan.api.pagination import Page, PageParams
from pingan.api.problems import not_found
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from scoring.api.deps import ScoringApp, Today
from scoring.api.schemas import Code, LongText
from scoring.projections import stars as view
from scoring.projections.stars import FamilyStarsView, FamilyView

router = APIRouter(prefix="/families", tags=["families"])
VIEW = "family_stars"
Year = Annotated[
    int | None,
    Query(ge=2000, le=2100, description="The rating year (年度), this year unless given"),
]


class AwardStar(Command):
    star: Code = Field(
        description="law, unity, learning, safety, care, prosperity, science, "
        "environment, thrift or health; or its Chinese name, e.g. 法纪星"
    )
    reason: LongText = Field(description="Why it is awarded, e.g. 村民评议通过")
    awarded_on: date | None = Field(default=None, description="评星日期, today unless given")


class WithdrawStar(Command):
    reason: LongText = Field(description="Why it is withdrawn (撤星原因)")
    withdrawn_on: date | None = Field(default=None, description="撤星日期, today unless given")


@router.post("/{family_id}/stars")
def award_star(
    grant: Annotated[Grant, requires(A.SCORING_STARS)],
    family_id: UUID,
    body: AwardStar,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
    claim: Idempotent,
) -> Accepted:
    """Award a star (评星) to a family in the rating cycle of its date; the first one opens
    the family's rating (Idempotency-Key)."""
    grant.within(app.family(family_id).township)
    return Accepted.of(
        app.create_once(
            claim,
            lambda: app.award_star(family_id, **body.model_dump(), today=today, metadata=meta),
        )
    )


@router.post("/{family_id}/stars/{star}/withdrawal")
def withdraw_star(
    grant: Annotated[Grant, requires(A.SCORING_STARS)],
    family_id: UUID,
    star: Annotated[str, Path(max_length=100, description="The star, e.g. law or 法纪星")],
    body: WithdrawStar,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Withdraw a star (撤星) the family holds in the current cycle."""
    grant.within(app.family(family_id).township)
    return Accepted.of(
        app.withdraw_star(family_id, star=star, **body.model_dump(), today=today, metadata=meta)
    )


@router.get("/{family_id}/stars")
async def family_stars(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    family_id: UUID,
    runtime: Runtime,
    after: After,
    today: Today,
    year: Year = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> FamilyStarsView:
    """A family's stars and tier in a year, and every award and withdrawal."""
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        found = await view.get_family_stars(conn, family_id, year or today.year)
    if found is None:
        raise not_found("family", family_id)
    grant.within(found.township)
    return found


@router.get("")
async def list_families(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: Runtime,
    after: After,
    today: Today,
    page: PageParams,
    township: Annotated[str | None, Query(max_length=200)] = None,
    tier: Annotated[int | None, Query(ge=0, le=10, description="The number of stars")] = None,
    year: Year = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[FamilyView]:
    """The families with their tier (星级) in a year, the most stars first."""
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_families(
            conn,
            year=year or today.year,
            township=grant.township_filter(township),
            tier=tier,
            limit=page.limit,
            offset=page.offset,
        )
    return Page.of(items, total, page)
