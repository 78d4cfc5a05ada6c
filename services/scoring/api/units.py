"""Routes of creation units (创建单位): commands decide on the unit, queries read the unit
register and the revocation log."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status

from pingan.api.accepted import Accepted
from pingan.api.deps import After, CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.history import add_history_route
from pingan.api.idempotency import Idempotent, created
from pingan.api.pagination import Page, PageParams
from pingan.api.problems import not_found
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from scoring.api.deps import ScoringApp, Today
from scoring.api.schemas import (
    ApplyForTitle,
    AssessUnit,
    ConferTitle,
    FollowUpUnit,
    LodgeObjection,
    PubliciseResult,
    RegisterUnit,
    ReinspectUnit,
    RevokeTitle,
    SettleObjection,
    UpgradeUnit,
)
from scoring.domain.kinds import UnitKind
from scoring.domain.unit import Unit, UnitStatus
from scoring.projections import incidents as incident_view
from scoring.projections import register as view
from scoring.projections.incidents import IncidentView
from scoring.projections.register import FollowUpView, RevocationView, TitleView, UnitView

router = APIRouter(prefix="/units", tags=["units"])
revocations = APIRouter(prefix="/revocations", tags=["revocations"])
VIEW = "unit_register"


@router.post("", status_code=status.HTTP_201_CREATED)
def register_unit(
    grant: Annotated[Grant, requires(A.SCORING_REGISTER)],
    body: RegisterUnit,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
    claim: Idempotent,
    request: Request,
    response: Response,
) -> Accepted:
    """Register a creation unit in its place of the area hierarchy."""
    if body.township is not None:
        grant.within(body.township)
    recorded = app.create_once(
        claim, lambda: app.register_unit(**body.model_dump(), today=today, metadata=meta)
    )
    created(response, recorded, str(request.url_for("get_unit", unit_id=recorded.id)))
    return Accepted.of(recorded)


@router.post("/{unit_id}/applications")
def apply_for_title(
    grant: Annotated[Grant, requires(A.SCORING_REGISTER)],
    unit_id: UUID,
    body: ApplyForTitle,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Apply (申报) for a title under a standard."""
    grant.within(app.get_unit(unit_id).township)
    return Accepted.of(
        app.apply_for_title(unit_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{unit_id}/assessments")
def assess_unit(
    grant: Annotated[Grant, requires(A.SCORING_ASSESS)],
    unit_id: UUID,
    body: AssessUnit,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record an assessment (考评); the standard computes its verdict."""
    grant.within(app.get_unit(unit_id).township)
    return Accepted.of(
        app.assess_unit(
            unit_id,
            **_assessment(body),
            today=today,
            metadata=meta,
            assessor_township=grant.principal.township,
        )
    )


def _assessment(body: AssessUnit) -> dict[str, Any]:
    survey, opinion, meeting = body.survey, body.opinion, body.meeting
    return {
        **body.model_dump(exclude={"survey", "opinion", "meeting"}),
        "survey": None
        if survey is None
        else (survey.households, survey.feel_safe, survey.satisfied),
        "opinion": None if opinion is None else opinion.to_domain(),
        "meeting": None if meeting is None else meeting.to_domain(),
    }


@router.post("/{unit_id}/upgrades")
def upgrade_unit(
    grant: Annotated[Grant, requires(A.SCORING_ASSESS)],
    unit_id: UUID,
    body: UpgradeUnit,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Assess a named unit for a higher level (升级达标); it keeps its title meanwhile."""
    grant.within(app.get_unit(unit_id).township)
    return Accepted.of(
        app.upgrade_unit(
            unit_id,
            **_assessment(body),
            today=today,
            metadata=meta,
            assessor_township=grant.principal.township,
        )
    )


@router.post("/{unit_id}/follow-ups")
def follow_up_unit(
    grant: Annotated[Grant, requires(A.SCORING_ASSESS)],
    unit_id: UUID,
    body: FollowUpUnit,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record a follow-up visit (跟踪回访) of a named unit."""
    grant.within(app.get_unit(unit_id).township)
    survey, opinion, meeting = body.survey, body.opinion, body.meeting
    return Accepted.of(
        app.follow_up_unit(
            unit_id,
            **body.model_dump(exclude={"survey", "opinion", "meeting"}),
            survey=None
            if survey is None
            else (survey.households, survey.feel_safe, survey.satisfied),
            opinion=None if opinion is None else opinion.to_domain(),
            meeting=None if meeting is None else meeting.to_domain(),
            today=today,
            metadata=meta,
        )
    )


@router.post("/{unit_id}/notice")
def publicise_result(
    grant: Annotated[Grant, requires(A.SCORING_CONFER)],
    unit_id: UUID,
    body: PubliciseResult,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Put a passing result under public notice (公示)."""
    return Accepted.of(
        app.publicise_result(unit_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{unit_id}/objections")
def lodge_objection(
    grant: Annotated[Grant, requires(A.SCORING_REGISTER)],
    unit_id: UUID,
    body: LodgeObjection,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Lodge an objection during the public notice."""
    return Accepted.of(
        app.lodge_objection(unit_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{unit_id}/objections/settlement")
def settle_objection(
    grant: Annotated[Grant, requires(A.SCORING_CONFER)],
    unit_id: UUID,
    body: SettleObjection,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Settle an objection: upheld, the unit fails."""
    return Accepted.of(
        app.settle_objection(unit_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{unit_id}/naming")
def confer_title(
    grant: Annotated[Grant, requires(A.SCORING_CONFER)],
    unit_id: UUID,
    body: ConferTitle,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Confer the title (命名) after the notice period."""
    return Accepted.of(app.confer_title(unit_id, **body.model_dump(), today=today, metadata=meta))


@router.post("/{unit_id}/reinspections")
def reinspect_unit(
    grant: Annotated[Grant, requires(A.SCORING_ASSESS)],
    unit_id: UUID,
    body: ReinspectUnit,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record a re-inspection (复查); a fail revokes the title."""
    return Accepted.of(app.reinspect_unit(unit_id, **body.model_dump(), today=today, metadata=meta))


@router.post("/{unit_id}/revocation")
def revoke_title(
    grant: Annotated[Grant, requires(A.SCORING_CONFER)],
    unit_id: UUID,
    body: RevokeTitle,
    app: ScoringApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Revoke the title (摘牌) by decision of the district office."""
    return Accepted.of(app.revoke_title(unit_id, **body.model_dump(), today=today, metadata=meta))


add_history_route(router, Unit, "creation unit", A.SCORING_READ)


@router.get("/{unit_id}")
async def get_unit(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    unit_id: UUID,
    runtime: Runtime,
    after: After,
    today: Today,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> UnitView:
    """One creation unit as the register shows it."""
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        found = await view.get_unit(conn, unit_id, today)
    if found is None:
        raise not_found("creation unit", unit_id)
    grant.within(found.township)
    return found


@router.get("/{unit_id}/revocations")
async def unit_revocations(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    unit_id: UUID,
    runtime: Runtime,
    after: After,
    today: Today,
    page: PageParams,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[RevocationView]:
    """The unit's revocation log, the latest first."""
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        found = await view.get_unit(conn, unit_id, today)
        if found is None:
            raise not_found("creation unit", unit_id)
        grant.within(found.township)
        items, total = await view.list_revocations(
            conn, unit_id=unit_id, township=None, limit=page.limit, offset=page.offset
        )
    return Page.of(items, total, page)


@router.get("/{unit_id}/titles")
async def unit_titles(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    unit_id: UUID,
    runtime: Runtime,
    after: After,
    today: Today,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> list[TitleView]:
    """Every title the unit has held, and how each was lost, the latest first."""
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        found = await view.get_unit(conn, unit_id, today)
        if found is None:
            raise not_found("creation unit", unit_id)
        grant.within(found.township)
        return await view.list_titles(conn, unit_id)


@router.get("/{unit_id}/follow-ups")
async def unit_follow_ups(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    unit_id: UUID,
    runtime: Runtime,
    after: After,
    today: Today,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> list[FollowUpView]:
    """The unit's follow-up visits (跟踪回访), the latest first."""
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        found = await view.get_unit(conn, unit_id, today)
        if found is None:
            raise not_found("creation unit", unit_id)
        grant.within(found.township)
        return await view.list_follow_ups(conn, unit_id)


@router.get("/{unit_id}/incidents")
async def unit_incidents(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    unit_id: UUID,
    runtime: Runtime,
    after: After,
    today: Today,
    page: PageParams,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[IncidentView]:
    """Cases, mass incidents and accidents matched to the unit, titled or not."""
    await runtime.wait_for("incident_list", min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        found = await view.get_unit(conn, unit_id, today)
        if found is None:
            raise not_found("creation unit", unit_id)
        grant.within(found.township)
        items, total = await incident_view.list_incidents(
            conn,
            unmatched=False,
            township=None,
            unit_id=unit_id,
            limit=page.limit,
            offset=page.offset,
        )
    return Page.of(items, total, page)


@router.get("")
async def list_units(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: Runtime,
    after: After,
    today: Today,
    page: PageParams,
    township: Annotated[str | None, Query(max_length=200)] = None,
    kind: UnitKind | None = None,
    status: UnitStatus | None = None,
    overdue: Annotated[bool, Query(description="Only re-inspections past due")] = False,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[UnitView]:
    """The unit register: overdue re-inspections first."""
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_units(
            conn,
            today=today,
            township=grant.township_filter(township),
            kind=None if kind is None else kind.value,
            status=status,
            overdue=overdue,
            limit=page.limit,
            offset=page.offset,
        )
    return Page.of(items, total, page)


@revocations.get("")
async def list_revocations(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: Runtime,
    after: After,
    page: PageParams,
    township: Annotated[str | None, Query(max_length=200)] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[RevocationView]:
    """The revocation log (摘牌记录) with causes, the latest first."""
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_revocations(
            conn,
            unit_id=None,
            township=grant.township_filter(township),
            limit=page.limit,
            offset=page.offset,
        )
    return Page.of(items, total, page)
