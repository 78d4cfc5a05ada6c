"""Routes of the key-area resource (重点整治区域): commands decide on the aggregate, queries
read the key-area view, and progress joins it with the hazard register."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import Field, StringConstraints

from hazards.api.deps import HazardsApp, Today
from hazards.api.schemas import LongText, Stated, Text
from hazards.domain.key_area import KeyArea, KeyAreaKind, KeyAreaStatus
from hazards.projections import key_areas as view
from hazards.projections.key_areas import KeyAreaFilter, KeyAreaProgress, KeyAreaView
from pingan.api.accepted import Accepted
from pingan.api.commands import Command
from pingan.api.deps import CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.history import add_history_route
from pingan.api.idempotency import Idempotent, created
from pingan.api.pagination import Page, PageParams
from pingan.api.problems import not_found
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from pingan.reference import TownshipName, VillageName

router = APIRouter(prefix="/key-areas", tags=["key areas"])
VIEW = "key_areas"
REGISTER = "hazard_register"
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
TextQuery = Annotated[str | None, Query(max_length=200)]


class DesignateKeyArea(Stated):
    name: Text = Field(description="The area's name, unique in its township")
    kind: KeyAreaKind = Field(
        description="urban_rural_fringe 城乡结合部, urban_village 城中村, "
        "industrial_mining 工矿区, rental_housing 出租房屋集中区域"
    )
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    village: VillageName = Field(description="Village or community (村/社区) it is named by")
    villages: list[VillageName] = Field(
        default_factory=list,
        max_length=50,
        description="Further villages or communities of the township the area covers; a "
        "hazard linked to the area lies in one of them or in `village`",
    )
    description: OptionalText = Field(default="", description="More detail, if any")
    designated_by: Text = Field(description="Who designates it")


class PlanKeyAreaRectification(Stated):
    measures: LongText = Field(description="The rectification measures")
    responsible_unit: Text = Field(description="The unit responsible")
    deadline: date = Field(description="The rectification deadline, a local date")
    combined_with: Text | None = Field(
        default=None, description="A programme the rectification is combined with, e.g. 城中村改造"
    )


class RecordKeyAreaReview(Command):
    reviewer: Text = Field(description="Who reviewed")
    reviewed_on: date = Field(
        description="The day of the review, not after today nor before the last"
    )
    findings: LongText = Field(description="What the review found")
    public_order_improved: bool = Field(
        description="Whether public order has improved (needed to delist)"
    )


class DelistKeyArea(Stated):
    delisted_by: Text = Field(description="Who delists it (摘帽销号)")
    reason: LongText = Field(description="Why it is delisted")
    override_reason: LongText | None = Field(
        default=None,
        description="Required while hazards linked to the area are still open: why it is "
        "delisted anyway (仍有未销号隐患时摘帽的理由)",
    )


@router.post("", status_code=status.HTTP_201_CREATED)
def designate_key_area(
    grant: Annotated[Grant, requires(A.KEY_AREAS_DESIGNATE)],
    body: DesignateKeyArea,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
    claim: Idempotent,
    request: Request,
    response: Response,
) -> Accepted:
    """Designate a key area (确定重点整治区域); its name is unique in its township."""
    grant.within(body.township)
    recorded = app.create_once(
        claim, lambda: app.designate_key_area(**body.model_dump(), today=today, metadata=meta)
    )
    created(response, recorded, str(request.url_for("get_key_area", key_area_id=recorded.id)))
    return Accepted.of(recorded)


@router.post("/{key_area_id}/plan")
def plan_key_area_rectification(
    grant: Annotated[Grant, requires(A.KEY_AREAS_RECTIFY)],
    key_area_id: UUID,
    body: PlanKeyAreaRectification,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Plan the area's rectification (逐项制定方案, 落实责任), or revise it after a review."""
    grant.within(app.get_key_area(key_area_id).township)
    return Accepted.of(
        app.plan_key_area_rectification(
            key_area_id, **body.model_dump(), today=today, metadata=meta
        )
    )


@router.post("/{key_area_id}/reviews")
def record_key_area_review(
    grant: Annotated[Grant, requires(A.KEY_AREAS_REVIEW)],
    key_area_id: UUID,
    body: RecordKeyAreaReview,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record a review (复查) of the rectification: has the area's public order improved?"""
    grant.within(app.get_key_area(key_area_id).township)
    return Accepted.of(
        app.record_key_area_review(key_area_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{key_area_id}/delist")
def delist_key_area(
    grant: Annotated[Grant, requires(A.KEY_AREAS_DESIGNATE)],
    key_area_id: UUID,
    body: DelistKeyArea,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Delist the area (摘帽) once its latest review found public order improved."""
    grant.within(app.get_key_area(key_area_id).township)
    return Accepted.of(
        app.delist_key_area(key_area_id, **body.model_dump(), today=today, metadata=meta)
    )


add_history_route(router, KeyArea, "key area", A.HAZARDS_READ)


CASES_STREAM = "CAMPAIGNS"
CasesPosition = Annotated[
    int | None,
    Query(
        ge=0,
        description="Wait until the view includes this position of the campaigns stream (the "
        "`position` a case's registration answered with)",
    ),
]


@router.get("/progress")
async def key_area_progress(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    today: Today,
    township: TextQuery = None,
    kind: KeyAreaKind | None = None,
    status: KeyAreaStatus | None = None,
    min_position: MinPosition = None,
    cases_position: CasesPosition = None,
    wait: WaitSeconds = None,
) -> list[KeyAreaProgress]:
    """Per key area: its status, the hazards found, closed, open and overdue in it, and the
    cases registered in its villages month by month."""
    await runtime.wait_for(VIEW, min_position, wait)
    await runtime.wait_for(REGISTER, min_position, wait)
    await runtime.wait_for(VIEW, cases_position, wait, source=CASES_STREAM)
    flt = KeyAreaFilter(township=grant.township_filter(township), kind=kind, status=status)
    async with runtime.pool.acquire() as conn:
        return await view.key_area_progress(conn, flt, today)


@router.get("/{key_area_id}")
async def get_key_area(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    key_area_id: UUID,
    runtime: Runtime,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> KeyAreaView:
    """One key area as the view shows it."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        found = await view.get_key_area(conn, key_area_id)
    if found is None:
        raise not_found("key area", key_area_id)
    grant.within(found.township)
    return found


@router.get("")
async def list_key_areas(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    page: PageParams,
    township: TextQuery = None,
    kind: KeyAreaKind | None = None,
    status: KeyAreaStatus | None = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[KeyAreaView]:
    """The key areas, filtered by township, kind and status, by township then name."""
    await runtime.wait_for(VIEW, min_position, wait)
    flt = KeyAreaFilter(township=grant.township_filter(township), kind=kind, status=status)
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_key_areas(conn, flt, page.limit, page.offset)
    return Page.of(items, total, page)
