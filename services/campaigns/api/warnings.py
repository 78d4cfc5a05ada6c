"""Routes of early warnings (治安预警): commands decide on the warning, queries read the
warning register; the office's past monthly figures, which the warnings' baselines read."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query
from pydantic import Field, StringConstraints

from campaigns.api.deps import CampaignsApp, Today
from campaigns.api.schemas import Count, KindName, LongText, OptionalText, Text
from campaigns.application.warnings import Figure
from campaigns.domain.warning import EarlyWarning, WarningLevel, WarningStatus
from campaigns.domain.warning_rule import DISTRICT
from campaigns.projections import warnings as view
from campaigns.projections.warnings import WarningView
from pingan.api.accepted import Accepted
from pingan.api.commands import Command
from pingan.api.deps import After, CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.history import add_history_route
from pingan.api.pagination import Page, PageParams
from pingan.api.problems import not_found
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from pingan.reference import TownshipName

router = APIRouter(prefix="/warnings", tags=["warnings"])
VIEW = "warning_register"
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
Month = Annotated[str, StringConstraints(pattern=MONTH)]


class Dated(Command):
    business_date: date | None = Field(
        default=None,
        description="业务日期: when it was done, today unless given; not in the future, nor "
        "before the warning's latest fact",
    )


class AcknowledgeWarning(Dated):
    acknowledged_by: Text = Field(description="Who takes the warning on (签收单位或人)")
    note: OptionalText = Field(default="", description="签收意见: what will be done first")


class RecordResponse(Dated):
    response: LongText = Field(description="处置措施: what was done (patrols, a campaign, ...)")
    recorded_by: Text = Field(description="Who did it or records it")


class CloseWarning(Dated):
    summary: LongText = Field(description="办结情况: how the rise was dealt with or explained")
    closed_by: Text = Field(description="Who closes it (区委政法委)")


class FigureBody(Command):
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    kind: KindName
    count: Count = Field(description="Cases of the kind registered that month (立案/受理数)")


class LoadFigures(Command):
    figures: list[FigureBody] = Field(
        max_length=5000,
        description="The month's whole table by township and case kind; a cell left out is 0, "
        "and the table replaces any loaded for the month before",
    )


def _area_of(app: CampaignsApp, warning_id: UUID) -> str:
    return app.get_warning(warning_id).area


@router.post("/{warning_id}/acknowledge")
def acknowledge_warning(
    grant: Annotated[Grant, requires(A.WARNINGS_RESPOND)],
    warning_id: UUID,
    body: AcknowledgeWarning,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Acknowledge the warning (签收): the office, or the township it is about."""
    grant.within(_area_of(app, warning_id))
    return Accepted.of(
        app.acknowledge_warning(warning_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{warning_id}/response")
def record_response(
    grant: Annotated[Grant, requires(A.WARNINGS_RESPOND)],
    warning_id: UUID,
    body: RecordResponse,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record what was done about the warning (处置措施); more than once if need be."""
    grant.within(_area_of(app, warning_id))
    return Accepted.of(
        app.record_warning_response(warning_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{warning_id}/close")
def close_warning(
    grant: Annotated[Grant, requires(A.WARNINGS_CLOSE)],
    warning_id: UUID,
    body: CloseWarning,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Close the warning (办结) once a response is on record."""
    grant.within(_area_of(app, warning_id))
    return Accepted.of(
        app.close_warning(warning_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.put("/figures/{month}", dependencies=[requires(A.SITUATION_LOAD_FIGURES)])
def load_figures(
    month: Annotated[str, Path(pattern=MONTH, description="YYYY-MM, before this month")],
    body: LoadFigures,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Load the office's figures of a past month (历史数据), so that warnings have a history."""
    figures = [Figure(f.township, f.kind, f.count) for f in body.figures]
    return Accepted.of(app.load_figures(month=month, figures=figures, metadata=meta, today=today))


add_history_route(router, EarlyWarning, "warning", A.SITUATION_READ)


@router.get("/{warning_id}")
async def get_warning(
    grant: Annotated[Grant, requires(A.SITUATION_READ)],
    warning_id: UUID,
    runtime: Runtime,
    after: After,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> WarningView:
    """One warning as the register shows it."""
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        found = await view.get_warning(conn, warning_id)
    if found is None:
        raise not_found("warning", warning_id)
    if found.area != DISTRICT:
        grant.within(found.area)
    return found


@router.get("")
async def list_warnings(
    grant: Annotated[Grant, requires(A.SITUATION_READ)],
    runtime: Runtime,
    page: PageParams,
    after: After,
    area: Annotated[
        str | None, Query(max_length=200, description="A township, or 全区 for the district")
    ] = None,
    kind: Annotated[
        str | None, Query(max_length=100, description="A case kind's code, or a category")
    ] = None,
    level: WarningLevel | None = None,
    status: WarningStatus | None = None,
    month_from: Annotated[Month | None, Query(description="YYYY-MM, first month")] = None,
    month_to: Annotated[Month | None, Query(description="YYYY-MM, last month")] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[WarningView]:
    """The warnings, the latest month and the highest score first; a township's officers see
    their townships' and the district's."""
    if area is not None and area != DISTRICT:
        grant.within(area)
    areas = None if grant.townships is None else [*sorted(grant.townships), DISTRICT]
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_warnings(
            conn,
            area=area,
            areas=areas,
            kind=kind,
            level=level,
            status=status,
            month_from=month_from,
            month_to=month_to,
            limit=page.limit,
            offset=page.offset,
        )
    return Page.of(items, total, page)
