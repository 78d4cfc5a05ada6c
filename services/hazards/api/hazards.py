"""Routes of the hazard resource: commands decide on the aggregate, queries read the view."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status

from hazards.api.deps import HazardsApp
from hazards.api.schemas import Accepted, FileHazard, HazardPage, HazardView, ReportHazard
from hazards.domain.vocabulary import HazardStatus
from pingan.api.deps import CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.problems import not_found

router = APIRouter(prefix="/hazards", tags=["hazards"])
VIEW = "hazard_register"


@router.post("", status_code=status.HTTP_201_CREATED)
def report_hazard(
    body: ReportHazard, app: HazardsApp, meta: CommandMeta, request: Request, response: Response
) -> Accepted:
    """Report a hazard (排查发现): it enters the ledger as reported."""
    recorded = app.report_hazard(**body.model_dump(), metadata=meta)
    response.headers["Location"] = str(request.url_for("get_hazard", hazard_id=recorded.id))
    return Accepted(id=recorded.id, position=recorded.position)


@router.post("/{hazard_id}/file")
def file_hazard(hazard_id: UUID, body: FileHazard, app: HazardsApp, meta: CommandMeta) -> Accepted:
    """File a reported hazard: classify it, grade it and give it a file number (分类建档)."""
    recorded = app.file_hazard(hazard_id, **body.model_dump(), metadata=meta)
    return Accepted(id=recorded.id, position=recorded.position)


@router.get("/{hazard_id}")
async def get_hazard(
    hazard_id: UUID, runtime: Runtime, min_position: MinPosition = None, wait: WaitSeconds = None
) -> HazardView:
    """One hazard as the register shows it."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM hazard_register WHERE id = $1", hazard_id)
    if row is None:
        raise not_found("hazard", hazard_id)
    return HazardView.model_validate(dict(row))


@router.get("")
async def list_hazards(
    runtime: Runtime,
    status: HazardStatus | None = None,
    township: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> HazardPage:
    """The hazard register, filtered and paginated, newest first."""
    await runtime.wait_for(VIEW, min_position, wait)
    where: list[str] = []
    args: list[Any] = []
    if status is not None:
        args.append(status.value)
        where.append(f"status = ${len(args)}")
    if township is not None:
        args.append(township)
        where.append(f"township = ${len(args)}")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    async with runtime.pool.acquire() as conn:
        total = await conn.fetchval(f"SELECT count(*) FROM hazard_register {clause}", *args)  # noqa: S608
        rows = await conn.fetch(
            f"SELECT * FROM hazard_register {clause} "  # noqa: S608
            f"ORDER BY reported_at DESC, id LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}",
            *args,
            limit,
            offset,
        )
    return HazardPage(
        items=[HazardView.model_validate(dict(r)) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
    )
