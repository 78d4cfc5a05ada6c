"""Routes of special campaigns (专项行动): commands decide on the campaign, queries read the
campaign dashboard view."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import Field

from campaigns.api.deps import CampaignsApp, Today
from campaigns.api.schemas import KindName, LongText, Stated, TargetsBody, Text
from campaigns.domain.campaign import Campaign, CampaignStatus
from campaigns.projections import dashboard as view
from campaigns.projections.dashboard import CampaignSummary, Dashboard
from pingan.api.accepted import Accepted
from pingan.api.commands import Command
from pingan.api.deps import CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.history import add_history_route
from pingan.api.idempotency import Idempotent, created
from pingan.api.pagination import Page, PageParams
from pingan.api.problems import not_found
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from pingan.reference import TownshipName

router = APIRouter(prefix="/campaigns", tags=["campaigns"])
VIEW = "campaign_dashboard"


class PlanCampaign(Stated):
    kind: KindName = Field(description="e.g. organised_crime, 常态化扫黑除恶 or 打黑除恶")
    name: Text = Field(description="The campaign's name (行动名称)")
    townships: list[TownshipName] = Field(
        default_factory=list, max_length=50, description="管辖范围: empty for the whole district"
    )
    starts_on: date = Field(description="The first day of its period (开始日期)")
    ends_on: date = Field(description="The last day of its period (结束日期), not before the first")
    lead_unit: Text = Field(description="牵头单位, e.g. 区公安分局")
    targets: TargetsBody = Field(default_factory=TargetsBody)
    planned_by: Text = Field(description="Who plans it (部署人)")


class LaunchCampaign(Command):
    launched_on: date = Field(
        description="The day it is launched (启动日期): not after today, nor after its period ends"
    )


class AdjustCampaign(Stated):
    """What is left out stays as it is."""

    reason: LongText = Field(description="Why the period or targets change (调整理由)")
    starts_on: date | None = Field(
        default=None, description="The new first day; a running campaign keeps its start"
    )
    ends_on: date | None = Field(default=None, description="The new last day, not before the first")
    targets: TargetsBody | None = None


class LinkCase(Command):
    case_id: UUID = Field(description="The case of the ledger (案件台账) to count towards it")
    reason: LongText = Field(
        description="Why it belongs to the campaign though its kind, jurisdiction or period "
        "do not match"
    )


class ConcludeCampaign(Command):
    concluded_on: date = Field(
        description="The day it concludes (结束日期): not after today, nor before its launch"
    )
    summary: LongText = Field(description="总结: results, experience, what remains")


@router.post("", status_code=status.HTTP_201_CREATED)
def plan_campaign(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_PLAN)],
    body: PlanCampaign,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
    claim: Idempotent,
    request: Request,
    response: Response,
) -> Accepted:
    """Plan a special campaign with its kind, jurisdiction, period, lead unit and targets."""
    fields = body.model_dump(exclude={"targets"})
    recorded = app.create_once(
        claim,
        lambda: app.plan_campaign(
            **fields, targets=body.targets.targets(), today=today, metadata=meta
        ),
    )
    created(response, recorded, str(request.url_for("get_campaign", campaign_id=recorded.id)))
    return Accepted.of(recorded)


@router.post("/{campaign_id}/launch")
def launch_campaign(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_PLAN)],
    campaign_id: UUID,
    body: LaunchCampaign,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Launch the campaign (启动)."""
    return Accepted.of(
        app.launch_campaign(campaign_id, **body.model_dump(), today=today, metadata=meta)
    )


@router.post("/{campaign_id}/adjustments")
def adjust_campaign(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_PLAN)],
    campaign_id: UUID,
    body: AdjustCampaign,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Adjust the period or targets of a planned or running campaign, with the reason."""
    return Accepted.of(
        app.adjust_campaign(
            campaign_id,
            reason=body.reason,
            starts_on=body.starts_on,
            ends_on=body.ends_on,
            targets=None if body.targets is None else body.targets.targets(),
            business_date=body.business_date,
            today=today,
            metadata=meta,
        )
    )


@router.post("/{campaign_id}/links")
def link_case(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_PLAN)],
    campaign_id: UUID,
    body: LinkCase,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Count a case towards the campaign by hand, with the reason."""
    return Accepted.of(app.link_case(campaign_id, **body.model_dump(), today=today, metadata=meta))


@router.post("/{campaign_id}/conclude")
def conclude_campaign(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_PLAN)],
    campaign_id: UUID,
    body: ConcludeCampaign,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Conclude the campaign with its summary (总结)."""
    return Accepted.of(
        app.conclude_campaign(campaign_id, **body.model_dump(), today=today, metadata=meta)
    )


add_history_route(router, Campaign, "campaign", A.CAMPAIGNS_READ)


@router.get("/{campaign_id}/dashboard")
async def get_dashboard(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)],
    campaign_id: UUID,
    runtime: Runtime,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Dashboard:
    """The campaign's results against its targets: cases, clearance, arrests, seizures."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        found = await view.dashboard(conn, campaign_id)
    if found is None:
        raise not_found("campaign", campaign_id)
    return found


@router.get("/{campaign_id}")
async def get_campaign(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)],
    campaign_id: UUID,
    runtime: Runtime,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> CampaignSummary:
    """One campaign: its kind, jurisdiction, period, targets and state."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        found = await view.get_campaign(conn, campaign_id)
    if found is None:
        raise not_found("campaign", campaign_id)
    return found


@router.get("")
async def list_campaigns(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)],
    runtime: Runtime,
    app: CampaignsApp,
    page: PageParams,
    status: CampaignStatus | None = None,
    kind: Annotated[
        str | None, Query(max_length=100, description="A campaign kind's code, name or alias")
    ] = None,
    active_on: Annotated[date | None, Query(description="Running on this date")] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[CampaignSummary]:
    """The campaigns, the latest start first."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_campaigns(
            conn,
            status=status,
            kind=None if kind is None else app.vocabulary.campaign_kind(kind).code,
            active_on=active_on,
            limit=page.limit,
            offset=page.offset,
        )
    return Page.of(items, total, page)
