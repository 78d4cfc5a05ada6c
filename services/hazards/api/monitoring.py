"""Routes of food and drug risk monitoring (食品药品安全风险监测评估预警): commands decide on the
monitoring task, queries read the monitoring views."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, Field, StringConstraints

from hazards.api.deps import HazardsApp, Today
from hazards.api.schemas import Accepted, LongText, Text
from hazards.domain.monitoring import (
    MonitoringStatus,
    ProductKind,
    RiskLevel,
    WarningLevel,
)
from pingan.api.commands import Command
from pingan.api.deps import CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.problems import not_found
from pingan.reference import TownshipName

router = APIRouter(prefix="/monitoring", tags=["food and drug risk monitoring"])
VIEW = "risk_monitoring"

OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Township = Annotated[str | None, Query(max_length=200)]


class StartMonitoring(Command):
    product_kind: ProductKind = Field(description="food 食品 or drug 药品")
    product_category: Text = Field(description="The product or category monitored, e.g. 蔬菜")
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    place: LongText = Field(description="Where samples are taken, e.g. a market or pharmacy")
    starts_on: date
    ends_on: date
    organiser: Text


class RecordSample(Command):
    """A failed sample must name the indicator that failed."""

    sample_number: Text = Field(description="Unique within the task")
    product: Text
    taken_on: date = Field(description="Within the task's period, not after today")
    passed: bool
    indicator: Text | None = Field(default=None, description="检测项目, e.g. 毒死蜱")
    measured_value: Text | None = Field(default=None, description="With its unit: 0.8 mg/kg")
    limit: Text | None = Field(default=None, description="With its unit: ≤0.02 mg/kg")
    lab: Text


class AssessRisk(Command):
    level: RiskLevel
    assessor: Text
    basis: LongText = Field(description="What the assessment rests on (评估依据)")


class IssueWarning(Command):
    """Needs a risk assessed at medium or above; medium supports up to yellow, high up to
    orange, severe red."""

    level: WarningLevel
    message: LongText
    scope: Text = Field(description="Whom or where the warning addresses, e.g. 全区")
    issued_by: Text


class LiftWarning(Command):
    lifted_by: Text
    reason: LongText


class CloseMonitoring(Command):
    closed_by: Text
    summary: OptionalText = ""


class MonitoringView(BaseModel):
    id: UUID
    product_kind: ProductKind
    product_category: str
    township: str
    place: str
    starts_on: date
    ends_on: date
    organiser: str
    status: MonitoringStatus
    samples: int = Field(description="Sampling results recorded")
    failed: int = Field(description="Of which failed (不合格)")
    risk_level: RiskLevel | None
    assessor: str | None
    assessment_basis: str | None
    assessed_at: datetime | None
    warning_active: bool
    warning_level: WarningLevel | None
    warning_no: int | None
    warnings_issued: int
    closed_by: str | None
    summary: str | None
    started_at: datetime
    closed_at: datetime | None
    position: int


class SampleView(BaseModel):
    sample_number: str
    product: str
    taken_on: date
    passed: bool
    indicator: str | None
    measured_value: str | None
    limit: str | None
    lab: str
    recorded_at: datetime


class WarningView(BaseModel):
    warning_no: int
    level: WarningLevel
    message: str
    scope: str
    issued_by: str
    risk_level: RiskLevel
    issued_at: datetime
    lifted_by: str | None
    lift_reason: str | None
    lifted_at: datetime | None


class MonitoringDetail(MonitoringView):
    results: list[SampleView] = Field(description="The sampling results, in sample-number order")
    warnings: list[WarningView] = Field(description="Every warning issued, the latest first")


class MonitoringPage(BaseModel):
    items: list[MonitoringView]
    total: int
    limit: int
    offset: int


class ActiveWarning(WarningView):
    monitoring_id: UUID
    product_kind: ProductKind
    product_category: str
    township: str
    place: str


@router.post("", status_code=status.HTTP_201_CREATED)
def start_monitoring(
    body: StartMonitoring, app: HazardsApp, meta: CommandMeta, request: Request, response: Response
) -> Accepted:
    """Open a monitoring task over a product category, a place and a period (风险监测)."""
    recorded = app.start_monitoring(**body.model_dump(), metadata=meta)
    response.headers["Location"] = str(request.url_for("get_monitoring", monitoring_id=recorded.id))
    return Accepted.of(recorded)


@router.post("/{monitoring_id}/samples")
def record_sample(
    monitoring_id: UUID, body: RecordSample, app: HazardsApp, meta: CommandMeta, today: Today
) -> Accepted:
    """Record a sampling result (抽检结果) while the task is open."""
    return Accepted.of(
        app.record_monitoring_sample(monitoring_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{monitoring_id}/assessment")
def assess_risk(
    monitoring_id: UUID, body: AssessRisk, app: HazardsApp, meta: CommandMeta
) -> Accepted:
    """Assess the risk from the results so far (风险评估); it replaces any earlier assessment."""
    return Accepted.of(
        app.assess_monitoring_risk(monitoring_id, **body.model_dump(), metadata=meta)
    )


@router.post("/{monitoring_id}/warning")
def issue_warning(
    monitoring_id: UUID, body: IssueWarning, app: HazardsApp, meta: CommandMeta
) -> Accepted:
    """Issue a risk warning (风险预警) for a risk assessed at medium or above."""
    return Accepted.of(app.issue_risk_warning(monitoring_id, **body.model_dump(), metadata=meta))


@router.post("/{monitoring_id}/warning/lift")
def lift_warning(
    monitoring_id: UUID, body: LiftWarning, app: HazardsApp, meta: CommandMeta
) -> Accepted:
    """Lift the active warning (解除预警)."""
    return Accepted.of(app.lift_risk_warning(monitoring_id, **body.model_dump(), metadata=meta))


@router.post("/{monitoring_id}/close")
def close_monitoring(
    monitoring_id: UUID, body: CloseMonitoring, app: HazardsApp, meta: CommandMeta
) -> Accepted:
    """End the task once its risk is assessed and no warning is active."""
    return Accepted.of(app.close_monitoring(monitoring_id, **body.model_dump(), metadata=meta))


ACTIVE_WARNINGS = """
SELECT w.*, m.id AS monitoring_id, m.product_kind, m.product_category, m.township, m.place
FROM risk_warnings w JOIN risk_monitoring m ON m.id = w.monitoring_id
WHERE w.lifted_at IS NULL
  AND ($1::text IS NULL OR m.township = $1)
  AND ($2::text IS NULL OR m.product_kind = $2)
ORDER BY array_position(ARRAY['blue', 'yellow', 'orange', 'red'], w.level) DESC,
         w.issued_at DESC, m.id
"""


@router.get("/warnings")
async def active_warnings(
    runtime: Runtime,
    township: Township = None,
    product_kind: ProductKind | None = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> list[ActiveWarning]:
    """The risk warnings in force, the most severe first."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        rows = await conn.fetch(ACTIVE_WARNINGS, township, product_kind)
    return [ActiveWarning.model_validate(dict(r)) for r in rows]


SELECTED = "SELECT *, (warning_level IS NOT NULL) AS warning_active FROM risk_monitoring"
FILTERS = """
WHERE ($1::text IS NULL OR township = $1)
  AND ($2::text IS NULL OR product_kind = $2)
  AND ($3::text IS NULL OR status = $3)
  AND ($4::text IS NULL OR risk_level = $4)
  AND ($5::boolean IS NULL OR (warning_level IS NOT NULL) = $5)
"""


@router.get("/{monitoring_id}")
async def get_monitoring(
    monitoring_id: UUID,
    runtime: Runtime,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> MonitoringDetail:
    """One monitoring task with its sampling results and warnings."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        row = await conn.fetchrow(f"{SELECTED} WHERE id = $1", monitoring_id)
        if row is None:
            raise not_found("monitoring task", monitoring_id)
        samples = await conn.fetch(
            'SELECT *, limit_value AS "limit" FROM monitoring_samples WHERE monitoring_id = $1'
            " ORDER BY sample_number",
            monitoring_id,
        )
        warnings = await conn.fetch(
            "SELECT * FROM risk_warnings WHERE monitoring_id = $1 ORDER BY warning_no DESC",
            monitoring_id,
        )
    return MonitoringDetail.model_validate(
        {
            **dict(row),
            "results": [dict(s) for s in samples],
            "warnings": [dict(w) for w in warnings],
        }
    )


@router.get("")
async def list_monitoring(
    runtime: Runtime,
    township: Township = None,
    product_kind: ProductKind | None = None,
    status: MonitoringStatus | None = None,
    risk_level: RiskLevel | None = None,
    warning_active: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> MonitoringPage:
    """The monitoring tasks, filtered and paginated: those under warning first, then the
    latest started."""
    await runtime.wait_for(VIEW, min_position, wait)
    args: list[Any] = [township, product_kind, status, risk_level, warning_active]
    async with runtime.pool.acquire() as conn:
        total = await conn.fetchval(f"SELECT count(*) FROM ({SELECTED}) AS m {FILTERS}", *args)  # noqa: S608
        rows = await conn.fetch(
            f"SELECT * FROM ({SELECTED}) AS m {FILTERS}"  # noqa: S608
            " ORDER BY warning_active DESC, started_at DESC, id LIMIT $6 OFFSET $7",
            *args,
            limit,
            offset,
        )
    items = [MonitoringView.model_validate(dict(r)) for r in rows]
    return MonitoringPage(items=items, total=int(total), limit=limit, offset=offset)
