"""Routes of mass incidents (群体性事件): commands decide on the incident, queries read the
incident register."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import AwareDatetime, Field

from campaigns.api.deps import CampaignsApp, Now, Today
from campaigns.api.schemas import LongText, Positive, Text
from campaigns.domain.mass_incident import IncidentStatus, MassIncident
from campaigns.projections import incidents as view
from campaigns.projections.incidents import MassIncidentView
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

router = APIRouter(prefix="/mass-incidents", tags=["mass incidents"])
VIEW = "mass_incident_register"


class ReportIncident(Command):
    happened_at: AwareDatetime = Field(description="When it happened, with its UTC offset")
    township: TownshipName = Field(description="Township or street (乡镇/街道)")
    village: VillageName = Field(description="Village or community (村/社区)")
    place: LongText = Field(description="Where it happened (发生地点)")
    unit_id: Text | None = Field(
        default=None, description="The creation unit (scoring) it happened in: 摘牌制"
    )
    unit_name: Text | None = Field(
        default=None, description="The name of the creation unit it happened in"
    )
    participants: Positive = Field(description="参与人数: its scale")
    cause: LongText = Field(description="起因")
    handling: LongText = Field(description="处置情况")
    reported_by: Text = Field(description="Who reports it (报告人)")


class ResolveIncident(Command):
    resolved_on: date = Field(
        description="The day it was resolved: not after today, nor before it happened"
    )
    outcome: LongText = Field(description="How it was resolved (平息处置结果)")


@router.post("", status_code=status.HTTP_201_CREATED)
def report_incident(
    grant: Annotated[Grant, requires(A.INCIDENTS_REPORT)],
    body: ReportIncident,
    app: CampaignsApp,
    meta: CommandMeta,
    now: Now,
    claim: Idempotent,
    request: Request,
    response: Response,
) -> Accepted:
    """Report a mass incident with its place, scale, cause and handling."""
    grant.within(body.township)
    recorded = app.create_once(
        claim, lambda: app.report_incident(**body.model_dump(), now=now, metadata=meta)
    )
    created(response, recorded, str(request.url_for("get_incident", incident_id=recorded.id)))
    return Accepted.of(recorded)


@router.post("/{incident_id}/resolve")
def resolve_incident(
    grant: Annotated[Grant, requires(A.INCIDENTS_REPORT)],
    incident_id: UUID,
    body: ResolveIncident,
    app: CampaignsApp,
    meta: CommandMeta,
    today: Today,
) -> Accepted:
    """Record that the incident was resolved (平息处置)."""
    grant.within(app.get_incident(incident_id).township)
    return Accepted.of(
        app.resolve_incident(incident_id, **body.model_dump(), today=today, metadata=meta)
    )


add_history_route(router, MassIncident, "mass incident", A.CAMPAIGNS_READ)


@router.get("/{incident_id}")
async def get_incident(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)],
    incident_id: UUID,
    runtime: Runtime,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> MassIncidentView:
    """One mass incident as the register shows it."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        found = await view.get_incident(conn, incident_id)
    if found is None:
        raise not_found("mass incident", incident_id)
    grant.within(found.township)
    return found


@router.get("")
async def list_incidents(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)],
    runtime: Runtime,
    page: PageParams,
    township: Annotated[str | None, Query(max_length=200)] = None,
    status: IncidentStatus | None = None,
    unit_id: Annotated[str | None, Query(max_length=200)] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[MassIncidentView]:
    """The mass incidents, the latest first."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        items, total = await view.list_incidents(
            conn,
            township=grant.township_filter(township),
            status=status,
            unit_id=unit_id,
            limit=page.limit,
            offset=page.offset,
        )
    return Page.of(items, total, page)
