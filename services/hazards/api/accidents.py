"""Routes of safety accidents (安全事故): commands decide on the accident, queries read the
accident register."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import Field, StringConstraints

from hazards.api.deps import HazardsApp, Today
from hazards.api.schemas import LongText, Stated, Text
from hazards.domain.accident import (
    LONGEST_EXTENSION_DAYS,
    AccidentKind,
    AccidentStatus,
    ReportLevel,
    SafetyAccident,
    Severity,
)
from hazards.projections import accidents as view
from hazards.projections.accidents import AccidentFilter, AccidentView
from pingan.api.accepted import Accepted
from pingan.api.commands import Command
from pingan.api.deps import CommandMeta, MinPosition, Runtime, Timezone, WaitSeconds
from pingan.api.history import add_history_route
from pingan.api.idempotency import Idempotent, created
from pingan.api.pagination import Page, PageParams
from pingan.api.problems import Problem, not_found
from pingan.api.times import OfficeDateTime
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from pingan.reference import TownshipName, VillageName

router = APIRouter(prefix="/accidents", tags=["safety accidents"])
VIEW = "accident_register"


def get_now(runtime: Runtime) -> datetime:
    return runtime.clock.now()


Now = Annotated[datetime, Depends(get_now)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]
Yuan = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
SEVERITY_HELP = (
    "Optional check: general 一般 / larger 较大 / major 重大 / especially_major 特别重大. The "
    "figures set the grade (deaths 3/10/30, serious injuries 10/50/100, loss 10M/50M/100M "
    "yuan); a grade given that differs is refused"
)


class ReportAccident(Command):
    happened_at: OfficeDateTime = Field(
        description="When it happened: office time (TIMEZONE) unless it carries an offset"
    )
    received_at: OfficeDateTime | None = Field(
        default=None,
        description="When the district received the report (now if left out); more than an "
        "hour after the accident is late (迟报, art. 9)",
    )
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    village: VillageName = Field(description="Village or community (村/社区)")
    place: LongText = Field(description="Where it happened")
    unit_id: Text | None = Field(
        default=None, description="The creation unit (scoring) it happened in: 摘牌制 if major"
    )
    unit_name: Text | None = Field(default=None, description="The name of the unit it happened in")
    kind: AccidentKind = Field(description="The kind of accident")
    severity: Severity | None = Field(default=None, description=SEVERITY_HELP)
    deaths: Count = Field(description="Deaths (死亡人数)")
    serious_injuries: Count = Field(description="Acute industrial poisoning included")
    direct_loss_yuan: Yuan = Field(description="Direct economic loss in yuan (直接经济损失)")
    description: OptionalText = Field(default="", description="What happened")
    reported_by: Text = Field(description="Who reports it")


class ReviseFigures(Stated):
    """Figures left out stay as recorded; the grade follows the figures. Casualties change
    within 30 days of the accident (7 for road traffic and fire, art. 13)."""

    reason: LongText = Field(description="Why the figures change")
    deaths: Count | None = Field(
        default=None, description="Deaths now known; left out, as recorded"
    )
    serious_injuries: Count | None = Field(
        default=None, description="Serious injuries now known; left out, as recorded"
    )
    direct_loss_yuan: Yuan | None = Field(
        default=None, description="Direct loss now known, in yuan; left out, as recorded"
    )


class ReportOnward(Command):
    """Levels in order: city, then province (较大 and above), then state_council (重大 and
    above); each within 2 hours of the one before (art. 11)."""

    level: ReportLevel = Field(description="city, province or state_council, in order")
    reported_at: OfficeDateTime = Field(
        description="When it was reported: office time (TIMEZONE) unless it carries an offset"
    )


class ExtendInvestigation(Command):
    """Once, before the 60 days run out (art. 29)."""

    days: Annotated[int, Field(ge=1, le=LONGEST_EXTENSION_DAYS)] = Field(
        description="Days added to the investigation's time, at most 60"
    )
    approved_by: Text = Field(description="The government that approved it")
    reason: LongText = Field(description="Why it needs longer")


class ConcludeInvestigation(Command):
    cause: LongText = Field(description="The cause found (事故原因)")
    responsibility: LongText = Field(description="Who is responsible and how (责任认定)")
    conclusion_on: date = Field(description="The day of the conclusion, not after today")


class CloseAccident(Stated):
    closed_by: Text = Field(description="Who closes the case (结案)")


@router.post("", status_code=status.HTTP_201_CREATED)
def report_accident(
    grant: Annotated[Grant, requires(A.ACCIDENTS_REPORT)],
    body: ReportAccident,
    app: HazardsApp,
    meta: CommandMeta,
    now: Now,
    claim: Idempotent,
    request: Request,
    response: Response,
) -> Accepted:
    """Report a safety accident, graded by its casualties and loss."""
    grant.within(body.township)
    recorded = app.create_once(
        claim, lambda: app.report_accident(**body.model_dump(), now=now, metadata=meta)
    )
    created(response, recorded, str(request.url_for("get_accident", accident_id=recorded.id)))
    return Accepted.of(recorded)


@router.post("/{accident_id}/figures")
def revise_figures(
    grant: Annotated[Grant, requires(A.ACCIDENTS_REPORT)],
    accident_id: UUID,
    body: ReviseFigures,
    app: HazardsApp,
    meta: CommandMeta,
    now: Now,
    today: Today,
) -> Accepted:
    """Revise the casualties or the loss (补报); the grade follows the figures."""
    grant.within(app.get_accident(accident_id).township)
    return Accepted.of(
        app.revise_accident_figures(
            accident_id, **body.model_dump(), now=now, today=today, metadata=meta
        )
    )


@router.post("/{accident_id}/onward-reports")
def report_onward(
    grant: Annotated[Grant, requires(A.ACCIDENTS_REPORT)],
    accident_id: UUID,
    body: ReportOnward,
    app: HazardsApp,
    meta: CommandMeta,
    now: Now,
    today: Today,
) -> Accepted:
    """Record the report to the next level (逐级上报)."""
    grant.within(app.get_accident(accident_id).township)
    return Accepted.of(
        app.report_accident_onward(
            accident_id, **body.model_dump(), now=now, today=today, metadata=meta
        )
    )


@router.post("/{accident_id}/investigation/extension")
def extend_investigation(
    grant: Annotated[Grant, requires(A.ACCIDENTS_INVESTIGATE)],
    accident_id: UUID,
    body: ExtendInvestigation,
    app: HazardsApp,
    meta: CommandMeta,
    now: Now,
    today: Today,
) -> Accepted:
    """Extend the investigation's time, once, by at most 60 days."""
    grant.within(app.get_accident(accident_id).township)
    return Accepted.of(
        app.extend_accident_investigation(
            accident_id, **body.model_dump(), now=now, today=today, metadata=meta
        )
    )


@router.post("/{accident_id}/investigation")
def conclude_investigation(
    grant: Annotated[Grant, requires(A.ACCIDENTS_INVESTIGATE)],
    accident_id: UUID,
    body: ConcludeInvestigation,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record the investigation's conclusion (调查结论): cause and responsibility."""
    grant.within(app.get_accident(accident_id).township)
    return Accepted.of(
        app.conclude_accident_investigation(
            accident_id, **body.model_dump(), today=today, metadata=meta
        )
    )


@router.post("/{accident_id}/close")
def close_accident(
    grant: Annotated[Grant, requires(A.ACCIDENTS_INVESTIGATE)],
    accident_id: UUID,
    body: CloseAccident,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Close the case (结案) once the investigation has concluded."""
    grant.within(app.get_accident(accident_id).township)
    return Accepted.of(
        app.close_accident(accident_id, **body.model_dump(), today=today, metadata=meta)
    )


add_history_route(router, SafetyAccident, "accident", A.HAZARDS_READ)


@router.get("/{accident_id}")
async def get_accident(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    accident_id: UUID,
    runtime: Runtime,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> AccidentView:
    """One accident as the register shows it."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        found = await view.get_accident(conn, accident_id)
    if found is None:
        raise not_found("accident", accident_id)
    grant.within(found.township)
    return found


@router.get("")
async def list_accidents(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    timezone: Timezone,
    page: PageParams,
    township: Annotated[str | None, Query(max_length=200)] = None,
    severity: Severity | None = None,
    major: bool | None = None,
    unit_id: Annotated[str | None, Query(max_length=200)] = None,
    kind: AccidentKind | None = None,
    status: AccidentStatus | None = None,
    occurred_from: Annotated[
        date | None, Query(description="First local date (inclusive) it happened on")
    ] = None,
    occurred_to: Annotated[
        date | None, Query(description="Last local date (inclusive) it happened on")
    ] = None,
    overdue: Annotated[
        bool | None,
        Query(description="An onward report or the investigation has run out of time"),
    ] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[AccidentView]:
    """The accident register, filtered and paginated: the latest accident first."""
    if occurred_from is not None and occurred_to is not None and occurred_from > occurred_to:
        raise Problem(
            422,
            "invalid-request",
            "occurred_from is after occurred_to",
            errors=[{"loc": ["query", "occurred_from"], "msg": "after occurred_to", "type": ""}],
        )
    await runtime.wait_for(VIEW, min_position, wait)
    flt = AccidentFilter(
        township=grant.township_filter(township),
        severity=severity,
        major=major,
        unit_id=unit_id,
        kind=kind,
        status=status,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        overdue=overdue,
    )
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_accidents(conn, flt, timezone, page.limit, page.offset)
    return Page.of(items, total, page)
