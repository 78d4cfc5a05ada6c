"""Routes of food and drug risk monitoring (食品药品安全风险监测评估预警): commands decide on the
monitoring task, queries read the monitoring views."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response, status
from pydantic import Field, StringConstraints

from hazards.api.deps import HazardsApp, HazardsRuntime, Today
from hazards.api.schemas import LongText, Stated, Text
from hazards.domain.monitoring import (
    FailedSampleAction,
    FollowUpStatus,
    MonitoringStatus,
    ProductKind,
    RiskLevel,
    RiskMonitoring,
    WarningLevel,
)
from hazards.projections import monitoring as view
from hazards.projections.monitoring import (
    ActiveWarning,
    FollowUpFilter,
    FollowUpView,
    MonitoringDetail,
    MonitoringFilter,
    MonitoringView,
)
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

router = APIRouter(prefix="/monitoring", tags=["food and drug risk monitoring"])
VIEW = "risk_monitoring"

OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Township = Annotated[str | None, Query(max_length=200)]


class StartMonitoring(Stated):
    product_kind: ProductKind = Field(description="food 食品 or drug 药品")
    product_category: Text = Field(description="The product or category monitored, e.g. 蔬菜")
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    place: LongText = Field(description="Where samples are taken, e.g. a market or pharmacy")
    starts_on: date = Field(description="The first day of the monitoring period")
    ends_on: date = Field(description="The last day of the monitoring period")
    organiser: Text = Field(description="Who organises the monitoring")


class RecordSample(Command):
    """A failed sample must name the indicator that failed. It opens a follow-up (核查处置)
    or reports a hazard, as the office configures (`MONITORING_FAILED_SAMPLE`)."""

    sample_number: Text = Field(description="Unique within the task")
    product: Text = Field(description="The product sampled")
    taken_on: date = Field(description="Within the task's period, not after today")
    passed: bool = Field(description="Whether the sample passed")
    indicator: Text | None = Field(default=None, description="检测项目, e.g. 毒死蜱")
    measured_value: Text | None = Field(default=None, description="With its unit: 0.8 mg/kg")
    limit: Text | None = Field(default=None, description="With its unit: ≤0.02 mg/kg")
    lab: Text = Field(description="The laboratory that tested it")
    result_on: date | None = Field(
        default=None,
        description="A failed sample: when its result was received (today if left out); the "
        "follow-up is due a set number of days later",
    )
    village: VillageName | None = Field(
        default=None,
        description="A failed sample: the village or community (村/社区) where it was taken; "
        "needed when failed samples report hazards",
    )


class RecordDisposal(Command):
    measures: LongText = Field(description="What was done: 下架, 召回, 立案查处...")
    disposed_on: date = Field(description="When it was done, a local date")
    recorded_by: Text = Field(description="Who records it")


class CloseFollowUp(Command):
    """Once a disposal is recorded; on time when closed by the due day."""

    outcome: LongText = Field(description="How the follow-up ended (核查处置结果)")
    closed_by: Text = Field(description="Who closes it")
    closed_on: date = Field(description="When it was closed, a local date")


class AssessRisk(Stated):
    level: RiskLevel = Field(description="The risk assessed: low, medium, high or severe")
    assessor: Text = Field(description="Who assessed it")
    basis: LongText = Field(description="What the assessment rests on (评估依据)")


class IssueWarning(Stated):
    """Needs a risk assessed at medium or above; medium supports up to yellow, high up to
    orange, severe red."""

    level: WarningLevel = Field(
        description="blue, yellow, orange or red; no louder than the assessed risk allows"
    )
    message: LongText = Field(description="The text of the warning")
    scope: Text = Field(description="Whom or where the warning addresses, e.g. 全区")
    issued_by: Text = Field(description="Who issues it")


class LiftWarning(Stated):
    lifted_by: Text = Field(description="Who lifts it")
    reason: LongText = Field(description="Why it is lifted")


class CloseMonitoring(Stated):
    closed_by: Text = Field(description="Who closes the task")
    summary: OptionalText = Field(default="", description="A summary of the monitoring")


@router.post("", status_code=status.HTTP_201_CREATED)
def start_monitoring(
    grant: Annotated[Grant, requires(A.MONITORING_RECORD)],
    body: StartMonitoring,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
    claim: Idempotent,
    request: Request,
    response: Response,
) -> Accepted:
    """Open a monitoring task over a product category, a place and a period (风险监测)."""
    grant.within(body.township)
    recorded = app.create_once(
        claim, lambda: app.start_monitoring(**body.model_dump(), today=today, metadata=meta)
    )
    location = str(request.url_for("get_monitoring", monitoring_id=recorded.id))
    created(response, recorded, location)
    return Accepted.of(recorded)


@router.post("/{monitoring_id}/samples")
def record_sample(
    grant: Annotated[Grant, requires(A.MONITORING_RECORD)],
    monitoring_id: UUID,
    body: RecordSample,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
    runtime: HazardsRuntime,
) -> Accepted:
    """Record a sampling result (抽检结果); a failed one is followed up or reported as a hazard."""
    grant.within(app.get_monitoring(monitoring_id).township)
    settings = runtime.settings
    return Accepted.of(
        app.record_monitoring_sample(
            monitoring_id,
            **body.model_dump(),
            on_failure=FailedSampleAction(settings.monitoring_failed_sample),
            follow_up_days=settings.monitoring_follow_up_days,
            today=today,
            metadata=meta,
        )
    )


@router.post("/{monitoring_id}/follow-ups/{sample_number}/disposal")
def record_disposal(
    grant: Annotated[Grant, requires(A.MONITORING_RECORD)],
    monitoring_id: UUID,
    sample_number: Annotated[str, Path(max_length=200)],
    body: RecordDisposal,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record a step of a failed sample's follow-up (核查处置)."""
    grant.within(app.get_monitoring(monitoring_id).township)
    return Accepted.of(
        app.record_follow_up_disposal(
            monitoring_id,
            sample_number=sample_number,
            **body.model_dump(),
            today=today,
            metadata=meta,
        )
    )


@router.post("/{monitoring_id}/follow-ups/{sample_number}/close")
def close_follow_up(
    grant: Annotated[Grant, requires(A.MONITORING_RECORD)],
    monitoring_id: UUID,
    sample_number: Annotated[str, Path(max_length=200)],
    body: CloseFollowUp,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Close a failed sample's follow-up with its outcome (办结)."""
    grant.within(app.get_monitoring(monitoring_id).township)
    return Accepted.of(
        app.close_follow_up(
            monitoring_id,
            sample_number=sample_number,
            **body.model_dump(),
            today=today,
            metadata=meta,
        )
    )


@router.post("/{monitoring_id}/assessment")
def assess_risk(
    grant: Annotated[Grant, requires(A.MONITORING_RECORD)],
    monitoring_id: UUID,
    body: AssessRisk,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Assess the risk from the results so far (风险评估); it replaces any earlier assessment."""
    grant.within(app.get_monitoring(monitoring_id).township)
    return Accepted.of(
        app.assess_monitoring_risk(monitoring_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{monitoring_id}/warning")
def issue_warning(
    grant: Annotated[Grant, requires(A.MONITORING_WARN)],
    monitoring_id: UUID,
    body: IssueWarning,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Issue a risk warning (风险预警) for a risk assessed at medium or above."""
    grant.within(app.get_monitoring(monitoring_id).township)
    return Accepted.of(
        app.issue_risk_warning(monitoring_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{monitoring_id}/warning/lift")
def lift_warning(
    grant: Annotated[Grant, requires(A.MONITORING_WARN)],
    monitoring_id: UUID,
    body: LiftWarning,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Lift the active warning (解除预警)."""
    grant.within(app.get_monitoring(monitoring_id).township)
    return Accepted.of(
        app.lift_risk_warning(monitoring_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{monitoring_id}/close")
def close_monitoring(
    grant: Annotated[Grant, requires(A.MONITORING_RECORD)],
    monitoring_id: UUID,
    body: CloseMonitoring,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """End the task once its risk is assessed and no warning is active."""
    grant.within(app.get_monitoring(monitoring_id).township)
    return Accepted.of(
        app.close_monitoring(monitoring_id, **body.model_dump(), today=today, metadata=meta)
    )


add_history_route(router, RiskMonitoring, "monitoring task", A.HAZARDS_READ)


@router.get("/warnings")
async def active_warnings(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    township: Township = None,
    product_kind: ProductKind | None = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> list[ActiveWarning]:
    """The risk warnings in force, the most severe first."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        return await view.active_warnings(conn, grant.township_filter(township), product_kind)


@router.get("/follow-ups")
async def list_follow_ups(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    today: Today,
    page: PageParams,
    township: Township = None,
    status: FollowUpStatus | None = None,
    overdue: bool | None = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[FollowUpView]:
    """The failed samples' follow-ups (核查处置): overdue first, then open by due day."""
    await runtime.wait_for(VIEW, min_position, wait)
    flt = FollowUpFilter(township=grant.township_filter(township), status=status, overdue=overdue)
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_follow_ups(conn, flt, today, page.limit, page.offset)
    return Page.of(items, total, page)


@router.get("/{monitoring_id}")
async def get_monitoring(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    monitoring_id: UUID,
    runtime: Runtime,
    today: Today,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> MonitoringDetail:
    """One monitoring task with its sampling results, warnings and follow-ups."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        found = await view.get_monitoring(conn, monitoring_id, today)
    if found is None:
        raise not_found("monitoring task", monitoring_id)
    grant.within(found.township)
    return found


@router.get("")
async def list_monitoring(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    page: PageParams,
    township: Township = None,
    product_kind: ProductKind | None = None,
    status: MonitoringStatus | None = None,
    risk_level: RiskLevel | None = None,
    warning_active: bool | None = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[MonitoringView]:
    """The monitoring tasks, filtered and paginated: those under warning first, then the
    latest started."""
    await runtime.wait_for(VIEW, min_position, wait)
    flt = MonitoringFilter(
        township=grant.township_filter(township),
        product_kind=product_kind,
        status=status,
        risk_level=risk_level,
        warning_active=warning_active,
    )
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_monitoring(conn, flt, page.limit, page.offset)
    return Page.of(items, total, page)
