"""Routes of safety accidents (安全事故): commands decide on the accident, queries read the
accident register."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from hazards.api.deps import HazardsApp, Today
from hazards.api.schemas import Accepted, LongText, Text
from hazards.domain.accident import AccidentKind, AccidentStatus, Severity
from pingan.api.commands import Command
from pingan.api.deps import CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.problems import Problem, not_found
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
    "general 一般 / larger 较大 / major 重大 / especially_major 特别重大; at least the grade the "
    "casualties and loss imply: deaths 3/10/30, serious injuries 10/50/100, "
    "loss 10M/50M/100M yuan"
)


class ReportAccident(Command):
    happened_at: AwareDatetime = Field(description="When it happened, with its UTC offset")
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    village: VillageName = Field(description="Village or community (村/社区)")
    place: LongText
    unit_id: Text | None = Field(
        default=None, description="The creation unit (scoring) it happened in: 摘牌制 if major"
    )
    unit_name: Text | None = None
    kind: AccidentKind
    severity: Severity = Field(description=SEVERITY_HELP)
    deaths: Count
    serious_injuries: Count = Field(description="Acute industrial poisoning included")
    direct_loss_yuan: Yuan
    description: OptionalText = ""
    reported_by: Text


class ReclassifyAccident(Command):
    """Figures left out stay as recorded."""

    severity: Severity = Field(description=SEVERITY_HELP)
    reason: LongText
    deaths: Count | None = None
    serious_injuries: Count | None = None
    direct_loss_yuan: Yuan | None = None


class ConcludeInvestigation(Command):
    cause: LongText
    responsibility: LongText
    conclusion_on: date


class CloseAccident(Command):
    closed_by: Text


class AccidentView(BaseModel):
    id: UUID
    happened_at: datetime
    township: str
    village: str
    place: str
    unit_id: str | None
    unit_name: str | None
    kind: AccidentKind
    severity: Severity
    major: bool = Field(description="major or especially_major: strips the unit's title")
    deaths: int
    serious_injuries: int
    direct_loss_yuan: Decimal
    description: str
    reported_by: str
    status: AccidentStatus
    reclassifications: int
    reclassification_reason: str | None
    cause: str | None
    responsibility: str | None
    conclusion_on: date | None
    closed_by: str | None
    reported_at: datetime
    closed_at: datetime | None
    position: int


class AccidentPage(BaseModel):
    items: list[AccidentView]
    total: int
    limit: int
    offset: int


@router.post("", status_code=status.HTTP_201_CREATED)
def report_accident(
    body: ReportAccident,
    app: HazardsApp,
    meta: CommandMeta,
    now: Now,
    request: Request,
    response: Response,
) -> Accepted:
    """Report a safety accident, graded at least as its casualties and loss require."""
    recorded = app.report_accident(**body.model_dump(), now=now, metadata=meta)
    response.headers["Location"] = str(request.url_for("get_accident", accident_id=recorded.id))
    return Accepted.of(recorded)


@router.post("/{accident_id}/reclassification")
def reclassify_accident(
    accident_id: UUID, body: ReclassifyAccident, app: HazardsApp, meta: CommandMeta
) -> Accepted:
    """Change the grade, with revised figures if they changed (补报)."""
    return Accepted.of(app.reclassify_accident(accident_id, **body.model_dump(), metadata=meta))


@router.post("/{accident_id}/investigation")
def conclude_investigation(
    accident_id: UUID, body: ConcludeInvestigation, app: HazardsApp, meta: CommandMeta, today: Today
) -> Accepted:
    """Record the investigation's conclusion (调查结论): cause and responsibility."""
    return Accepted.of(
        app.conclude_accident_investigation(
            accident_id, **body.model_dump(), today=today, metadata=meta
        )
    )


@router.post("/{accident_id}/close")
def close_accident(
    accident_id: UUID, body: CloseAccident, app: HazardsApp, meta: CommandMeta
) -> Accepted:
    """Close the case (结案) once the investigation has concluded."""
    return Accepted.of(app.close_accident(accident_id, **body.model_dump(), metadata=meta))


@router.get("/{accident_id}")
async def get_accident(
    accident_id: UUID,
    runtime: Runtime,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> AccidentView:
    """One accident as the register shows it."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM accident_register WHERE id = $1", accident_id)
    if row is None:
        raise not_found("accident", accident_id)
    return AccidentView.model_validate(dict(row))


FILTERS = """
WHERE ($1::text IS NULL OR township = $1)
  AND ($2::text IS NULL OR severity = $2)
  AND ($3::boolean IS NULL OR major = $3)
  AND ($4::text IS NULL OR unit_id = $4)
  AND ($5::text IS NULL OR kind = $5)
  AND ($6::text IS NULL OR status = $6)
  AND ($7::date IS NULL OR (happened_at AT TIME ZONE $9::text)::date >= $7)
  AND ($8::date IS NULL OR (happened_at AT TIME ZONE $9::text)::date <= $8)
"""


@router.get("")
async def list_accidents(
    runtime: Runtime,
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
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> AccidentPage:
    """The accident register, filtered and paginated: the latest accident first."""
    if occurred_from is not None and occurred_to is not None and occurred_from > occurred_to:
        raise Problem(
            422,
            "invalid-request",
            "occurred_from is after occurred_to",
            errors=[{"loc": ["query", "occurred_from"], "msg": "after occurred_to", "type": ""}],
        )
    await runtime.wait_for(VIEW, min_position, wait)
    args: list[Any] = [
        township,
        severity,
        major,
        unit_id,
        kind,
        status,
        occurred_from,
        occurred_to,
        runtime.settings.timezone,
    ]
    async with runtime.pool.acquire() as conn:
        total = await conn.fetchval(f"SELECT count(*) FROM accident_register {FILTERS}", *args)  # noqa: S608
        rows = await conn.fetch(
            f"SELECT * FROM accident_register {FILTERS}"  # noqa: S608
            " ORDER BY happened_at DESC, id LIMIT $10 OFFSET $11",
            *args,
            limit,
            offset,
        )
    items = [AccidentView.model_validate(dict(r)) for r in rows]
    return AccidentPage(items=items, total=int(total), limit=limit, offset=offset)
