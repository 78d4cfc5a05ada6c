"""Routes of the hazard resource: commands decide on the aggregate, queries read the register
through its own query functions."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status

from hazards.api.deps import HazardsApp, Today
from hazards.api.reporters import shown
from hazards.api.schemas import (
    AssessForResumption,
    AssignResponsibility,
    CloseHazard,
    DecideExtension,
    FileHazard,
    LiftListing,
    LiftSuspension,
    ListForSupervision,
    OrderSuspension,
    PlanRectification,
    RaiseListing,
    RecordInterimControl,
    RejectHazard,
    ReportHazard,
    ReportRectification,
    ReportToRegulator,
    RequestExtension,
    ScheduleRectification,
    StartRectification,
    VerifyRectification,
)
from hazards.domain.file_number import FileNumberTaken
from hazards.domain.hazard import Hazard
from hazards.domain.vocabulary import Category, Colour, Grade, HazardStatus
from hazards.projections.register import queries as register
from hazards.projections.register.queries import DeadlineHistory, HazardView
from pingan.api.accepted import Accepted
from pingan.api.deps import CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.history import add_history_route
from pingan.api.idempotency import Idempotent, created
from pingan.api.pagination import Page, PageParams
from pingan.api.problems import Problem, not_found
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires

router = APIRouter(prefix="/hazards", tags=["hazards"])
VIEW = "hazard_register"


@router.post("", status_code=status.HTTP_201_CREATED)
def report_hazard(
    grant: Annotated[Grant, requires(A.HAZARDS_REPORT)],
    body: ReportHazard,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
    claim: Idempotent,
    request: Request,
    response: Response,
) -> Accepted:
    """Report a hazard (排查发现): it enters the ledger as reported."""
    grant.within(body.township)
    recorded = app.create_once(
        claim, lambda: app.report_hazard(**body.model_dump(), today=today, metadata=meta)
    )
    created(response, recorded, str(request.url_for("get_hazard", hazard_id=recorded.id)))
    return Accepted.of(recorded)


@router.post("/{hazard_id}/reject")
def reject_hazard(
    grant: Annotated[Grant, requires(A.HAZARDS_MANAGE)],
    hazard_id: UUID,
    body: RejectHazard,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Reject a report: a duplicate of another hazard, or not a hazard."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.reject_hazard(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/file")
def file_hazard(
    grant: Annotated[Grant, requires(A.HAZARDS_MANAGE)],
    hazard_id: UUID,
    body: FileHazard,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """File a reported hazard: classify, grade, rate likelihood x severity, number it (分类建档)."""
    grant.within(app.get_hazard(hazard_id).township)
    try:
        recorded = app.file_hazard(hazard_id, **body.model_dump(), today=today, metadata=meta)
    except FileNumberTaken as taken:
        raise file_number_taken(taken) from None
    return Accepted.of(recorded)


@router.post("/{hazard_id}/plan")
def plan_rectification(
    grant: Annotated[Grant, requires(A.HAZARDS_MANAGE)],
    hazard_id: UUID,
    body: PlanRectification,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Make the rectification plan (逐项制定方案); a major hazard needs all of 五落实."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.plan_rectification(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/responsibility")
def assign_responsibility(
    grant: Annotated[Grant, requires(A.HAZARDS_MANAGE)],
    hazard_id: UUID,
    body: AssignResponsibility,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Name the responsible unit and person (落实责任)."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.assign_responsibility(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/schedule")
def schedule_rectification(
    grant: Annotated[Grant, requires(A.HAZARDS_MANAGE)],
    hazard_id: UUID,
    body: ScheduleRectification,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Put the hazard into a rectification batch (分期分批整治)."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.schedule_rectification(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/start")
def start_rectification(
    grant: Annotated[Grant, requires(A.HAZARDS_MANAGE)],
    hazard_id: UUID,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
    body: StartRectification | None = None,
) -> Accepted:
    """Start rectifying: a scheduled hazard, or a general one once responsibility is assigned."""
    grant.within(app.get_hazard(hazard_id).township)
    stated = (body or StartRectification()).model_dump()
    return Accepted.of(app.start_rectification(hazard_id, **stated, today=today, metadata=meta))


@router.post("/{hazard_id}/interim-controls")
def record_interim_control(
    grant: Annotated[Grant, requires(A.HAZARDS_MANAGE)],
    hazard_id: UUID,
    body: RecordInterimControl,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record an interim control that keeps the hazard in check until it is fixed."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.record_interim_control(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/rectification")
def report_rectification(
    grant: Annotated[Grant, requires(A.HAZARDS_MANAGE)],
    hazard_id: UUID,
    body: ReportRectification,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Report the rectification done, with evidence (on the spot for a general hazard)."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.report_rectification(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/verification")
def verify_rectification(
    grant: Annotated[Grant, requires(A.HAZARDS_VERIFY)],
    hazard_id: UUID,
    body: VerifyRectification,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Verify the rectification (验收): passed, or failed and back to rectifying (退回整改)."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.verify_rectification(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/close")
def close_hazard(
    grant: Annotated[Grant, requires(A.HAZARDS_MANAGE)],
    hazard_id: UUID,
    body: CloseHazard,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Close the verified hazard (销号); a supervised listing is lifted with it."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(app.close_hazard(hazard_id, **body.model_dump(), today=today, metadata=meta))


@router.post("/{hazard_id}/extension-request")
def request_extension(
    grant: Annotated[Grant, requires(A.HAZARDS_MANAGE)],
    hazard_id: UUID,
    body: RequestExtension,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Ask, before the deadline, for a later one."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.request_extension(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/extension-decision")
def decide_extension(
    grant: Annotated[Grant, requires(A.HAZARDS_SUPERVISE)],
    hazard_id: UUID,
    body: DecideExtension,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Approve (the requested deadline becomes the deadline) or reject the pending request."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.decide_extension(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/listing")
def list_for_supervision(
    grant: Annotated[Grant, requires(A.HAZARDS_SUPERVISE)],
    hazard_id: UUID,
    body: ListForSupervision,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Put an overdue or major hazard under supervised listing (挂牌督办)."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.list_for_supervision(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/listing/raise")
def raise_listing(
    grant: Annotated[Grant, requires(A.HAZARDS_SUPERVISE)],
    hazard_id: UUID,
    body: RaiseListing,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Raise the supervised listing to the city or the province, with the reason."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.raise_listing(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/listing/lift")
def lift_listing(
    grant: Annotated[Grant, requires(A.HAZARDS_SUPERVISE)],
    hazard_id: UUID,
    body: LiftListing,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Lift the supervised listing (摘牌) of a verified hazard."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(app.lift_listing(hazard_id, **body.model_dump(), today=today, metadata=meta))


@router.post("/{hazard_id}/regulator-report")
def report_to_regulator(
    grant: Annotated[Grant, requires(A.HAZARDS_MANAGE)],
    hazard_id: UUID,
    body: ReportToRegulator,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record the report of a major hazard to its regulator (重大隐患报告监管部门)."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.report_to_regulator(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/suspension")
def order_suspension(
    grant: Annotated[Grant, requires(A.HAZARDS_SUPERVISE)],
    hazard_id: UUID,
    body: OrderSuspension,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record an order to stop production or business (停产停业) at a major hazard."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.order_suspension(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/resumption-assessment")
def assess_for_resumption(
    grant: Annotated[Grant, requires(A.HAZARDS_VERIFY)],
    hazard_id: UUID,
    body: AssessForResumption,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record the expert assessment (专家评估) that decides whether it may resume."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.assess_for_resumption(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{hazard_id}/resumption")
def lift_suspension(
    grant: Annotated[Grant, requires(A.HAZARDS_SUPERVISE)],
    hazard_id: UUID,
    body: LiftSuspension,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Lift the suspension (复产复业) once an expert assessment has passed."""
    grant.within(app.get_hazard(hazard_id).township)
    return Accepted.of(
        app.lift_suspension(hazard_id, **body.model_dump(), today=today, metadata=meta)
    )


def file_number_taken(taken: FileNumberTaken) -> Problem:
    return Problem(
        409,
        "file-number-taken",
        str(taken),
        params={"number": taken.number, "holder": taken.holder},
        file_number=taken.number,
        held_by=taken.holder,
    )


add_history_route(router, Hazard, "hazard", A.HAZARDS_READ)


@router.get("/{hazard_id}/deadlines")
async def get_deadline_history(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    hazard_id: UUID,
    runtime: Runtime,
    today: Today,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> DeadlineHistory:
    """The hazard's deadlines (the plan's, each extension, the reminder, the overdue mark) and
    its supervised listings (listed, raised, lifted), in the order recorded."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        found = await register.get_hazard(conn, hazard_id, today)
        if found is None:
            raise not_found("hazard", hazard_id)
        grant.within(found.township)
        return await register.deadline_history(conn, hazard_id)


@router.get("/{hazard_id}")
async def get_hazard(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    hazard_id: UUID,
    runtime: Runtime,
    today: Today,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> HazardView:
    """One hazard as the register shows it."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        found = await register.get_hazard(conn, hazard_id, today)
    if found is None:
        raise not_found("hazard", hazard_id)
    grant.within(found.township)
    (answer,) = await shown(runtime.people, grant.principal, "GET /hazards/{hazard_id}", [found])
    return answer


@router.get("")
async def list_hazards(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    today: Today,
    page: PageParams,
    status: HazardStatus | None = None,
    category: Category | None = None,
    grade: Grade | None = None,
    colour: Colour | None = None,
    township: Annotated[str | None, Query(max_length=200)] = None,
    village: Annotated[str | None, Query(max_length=200)] = None,
    key_area_id: UUID | None = None,
    round_id: UUID | None = None,
    overdue: bool | None = None,
    listed: bool | None = None,
    open_only: Annotated[bool, Query(alias="open")] = False,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[HazardView]:
    """The hazard register, filtered and paginated: overdue first, then the oldest deadline."""
    await runtime.wait_for(VIEW, min_position, wait)
    flt = register.RegisterFilter(
        status=status,
        category=category,
        grade=grade,
        colour=colour,
        township=grant.township_filter(township),
        village=village,
        key_area_id=key_area_id,
        round_id=round_id,
        overdue=overdue,
        listed=listed,
        open_only=open_only,
    )
    async with runtime.pool.acquire() as conn:
        items, total = await register.list_hazards(conn, flt, today, page.limit, page.offset)
    items = await shown(runtime.people, grant.principal, "GET /hazards", items)
    return Page.of(items, total, page)
