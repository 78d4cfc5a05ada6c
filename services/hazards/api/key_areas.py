"""Routes of the key-area resource (重点整治区域): commands decide on the aggregate, queries
read the key-area view, and progress joins it with the hazard register."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, Field, StringConstraints

from hazards.api.deps import HazardsApp, Today
from hazards.api.register import DEADLINE_OPEN, OPEN
from hazards.api.schemas import Accepted, LongText, Text
from hazards.domain.key_area import KeyAreaKind, KeyAreaStatus
from pingan.api.commands import Command
from pingan.api.deps import CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.problems import not_found
from pingan.reference import TownshipName, VillageName

router = APIRouter(prefix="/key-areas", tags=["key areas"])
VIEW = "key_areas"
REGISTER = "hazard_register"
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
TextQuery = Annotated[str | None, Query(max_length=200)]


class DesignateKeyArea(Command):
    name: Text
    kind: KeyAreaKind = Field(
        description="urban_rural_fringe 城乡结合部, urban_village 城中村, "
        "industrial_mining 工矿区, rental_housing 出租房屋集中区域"
    )
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    village: VillageName = Field(description="Village or community (村/社区)")
    description: OptionalText = ""
    designated_by: Text


class PlanKeyAreaRectification(Command):
    measures: LongText
    responsible_unit: Text
    deadline: date
    combined_with: Text | None = Field(
        default=None, description="A programme the rectification is combined with, e.g. 城中村改造"
    )


class RecordKeyAreaReview(Command):
    reviewer: Text
    reviewed_on: date
    findings: LongText
    public_order_improved: bool


class DelistKeyArea(Command):
    delisted_by: Text
    reason: LongText


class DemoKeyAreasLoaded(BaseModel):
    ids: list[UUID] = Field(description="The five demo areas, designated now or before.")
    designated: list[UUID] = Field(description="Those this call designated; empty when loaded.")
    position: int = Field(description="Pass as min_position to read your own write (0: none).")


class KeyAreaView(BaseModel):
    id: UUID
    name: str
    kind: KeyAreaKind
    township: str
    village: str
    description: str
    designated_by: str
    status: KeyAreaStatus
    measures: str | None
    responsible_unit: str | None
    deadline: date | None
    combined_with: str | None
    plans: int
    reviews: int
    last_reviewer: str | None
    last_reviewed_on: date | None
    last_findings: str | None
    public_order_improved: bool | None = Field(description="As the latest review found it")
    delisted_by: str | None
    delisting_reason: str | None
    designated_at: datetime
    planned_at: datetime | None
    delisted_at: datetime | None
    position: int


class KeyAreaPage(BaseModel):
    items: list[KeyAreaView]
    total: int
    limit: int
    offset: int


class KeyAreaProgress(BaseModel):
    id: UUID
    name: str
    kind: KeyAreaKind
    township: str
    village: str
    status: KeyAreaStatus
    deadline: date | None
    hazards_found: int = Field(description="Hazards reported in the area, rejected ones aside")
    hazards_closed: int = Field(description="Of those, closed (销号)")
    open_hazards: int = Field(description="Neither closed, verified nor rejected")
    overdue_hazards: int = Field(description="Open past their deadline")


@router.post("", status_code=status.HTTP_201_CREATED)
def designate_key_area(
    body: DesignateKeyArea,
    app: HazardsApp,
    meta: CommandMeta,
    request: Request,
    response: Response,
) -> Accepted:
    """Designate a key area for rectification (确定重点整治区域)."""
    recorded = app.designate_key_area(**body.model_dump(), metadata=meta)
    response.headers["Location"] = str(request.url_for("get_key_area", key_area_id=recorded.id))
    return Accepted.of(recorded)


@router.post("/demo")
def load_demo_key_areas(app: HazardsApp, meta: CommandMeta) -> DemoKeyAreasLoaded:
    """Designate the five urban villages of Yuquan town the source names; idempotent."""
    loaded = app.load_demo_key_areas(meta)
    return DemoKeyAreasLoaded(
        ids=loaded.ids, designated=loaded.designated, position=loaded.position
    )


@router.post("/{key_area_id}/plan")
def plan_key_area_rectification(
    key_area_id: UUID,
    body: PlanKeyAreaRectification,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Plan the area's rectification (逐项制定方案, 落实责任), or revise it after a review."""
    return Accepted.of(
        app.plan_key_area_rectification(
            key_area_id, **body.model_dump(), today=today, metadata=meta
        )
    )


@router.post("/{key_area_id}/reviews")
def record_key_area_review(
    key_area_id: UUID,
    body: RecordKeyAreaReview,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record a review (复查) of the rectification: has the area's public order improved?"""
    return Accepted.of(
        app.record_key_area_review(key_area_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{key_area_id}/delist")
def delist_key_area(
    key_area_id: UUID, body: DelistKeyArea, app: HazardsApp, meta: CommandMeta
) -> Accepted:
    """Delist the area (摘帽) once its latest review found public order improved."""
    return Accepted.of(app.delist_key_area(key_area_id, **body.model_dump(), metadata=meta))


PROGRESS = f"""
SELECT k.id, k.name, k.kind, k.township, k.village, k.status, k.deadline,
    count(h.id) FILTER (WHERE h.status <> 'rejected') AS hazards_found,
    count(h.id) FILTER (WHERE h.status = 'closed') AS hazards_closed,
    count(h.id) FILTER (WHERE h.status IN {OPEN!r}) AS open_hazards,
    count(h.id) FILTER (WHERE h.status IN {DEADLINE_OPEN!r}
                          AND (h.overdue_since IS NOT NULL OR h.deadline < $1)) AS overdue_hazards
FROM key_areas k LEFT JOIN hazard_register h ON h.key_area_id = k.id
WHERE ($2::text IS NULL OR k.township = $2)
  AND ($3::text IS NULL OR k.kind = $3)
  AND ($4::text IS NULL OR k.status = $4)
GROUP BY k.id
ORDER BY k.township, k.name, k.id
"""  # noqa: S608

WHERE = """
WHERE ($1::text IS NULL OR township = $1)
  AND ($2::text IS NULL OR kind = $2)
  AND ($3::text IS NULL OR status = $3)
"""


@router.get("/progress")
async def key_area_progress(
    runtime: Runtime,
    today: Today,
    township: TextQuery = None,
    kind: KeyAreaKind | None = None,
    status: KeyAreaStatus | None = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> list[KeyAreaProgress]:
    """Per key area: its status and the hazards found, closed, open and overdue in it."""
    await runtime.wait_for(VIEW, min_position, wait)
    await runtime.wait_for(REGISTER, min_position, wait)
    async with runtime.pool.acquire() as conn:
        rows = await conn.fetch(PROGRESS, today, township, kind, status)
    return [KeyAreaProgress.model_validate(dict(r)) for r in rows]


@router.get("/{key_area_id}")
async def get_key_area(
    key_area_id: UUID,
    runtime: Runtime,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> KeyAreaView:
    """One key area as the view shows it."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM key_areas WHERE id = $1", key_area_id)
    if row is None:
        raise not_found("key area", key_area_id)
    return KeyAreaView.model_validate(dict(row))


@router.get("")
async def list_key_areas(
    runtime: Runtime,
    township: TextQuery = None,
    kind: KeyAreaKind | None = None,
    status: KeyAreaStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> KeyAreaPage:
    """The key areas, filtered by township, kind and status, by township then name."""
    await runtime.wait_for(VIEW, min_position, wait)
    args: list[Any] = [township, kind, status]
    async with runtime.pool.acquire() as conn:
        total = await conn.fetchval(f"SELECT count(*) FROM key_areas {WHERE}", *args)  # noqa: S608
        rows = await conn.fetch(
            f"SELECT * FROM key_areas {WHERE} ORDER BY township, name, id"  # noqa: S608
            " LIMIT $4 OFFSET $5",
            *args,
            limit,
            offset,
        )
    items = [KeyAreaView.model_validate(dict(r)) for r in rows]
    return KeyAreaPage(items=items, total=int(total), limit=limit, offset=offset)
