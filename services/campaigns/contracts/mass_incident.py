"""The mass incident events the campaigns service publishes (subjects
`campaigns.mass_incident.<event>`).

**Plaque removal (摘牌制), for `scoring`.** "对发生…群体性事件的, 严格实行摘牌制": when
`MassIncidentReportedV1.unit_id` is set, scoring strips that unit's safe-unit title, once per
incident, recording this event's `incident_id` as the cause. Resolving the incident gives no
title back.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from campaigns.contracts.common import UNIT_ID, CampaignsEvent
from campaigns.domain.mass_incident import MassIncident
from pingan.bus.contracts import IntegrationEvent, translator


class IncidentEvent(CampaignsEvent):
    incident_id: UUID


class MassIncidentReportedV1(IncidentEvent):
    """A mass incident (群体性事件) was reported, with its scale, cause and handling."""

    event_type = "pingan.campaigns.mass_incident.reported.v1"
    subject = "campaigns.mass_incident.reported"

    happened_at: datetime = Field(description="When the incident happened")
    township: str
    village: str
    place: str
    unit_id: str | None = UNIT_ID
    unit_name: str | None = None
    participants: int = Field(description="How many took part (its scale)")
    cause: str
    handling: str
    reported_by: str


class MassIncidentResolvedV1(IncidentEvent):
    """The mass incident was resolved (平息处置)."""

    event_type = "pingan.campaigns.mass_incident.resolved.v1"
    subject = "campaigns.mass_incident.resolved"

    resolved_on: date
    outcome: str
    township: str
    unit_id: str | None = UNIT_ID


PUBLISHED: dict[type[Any], type[IncidentEvent]] = {
    MassIncident.Reported: MassIncidentReportedV1,
    MassIncident.Resolved: MassIncidentResolvedV1,
}

CONTRACTS: tuple[type[IntegrationEvent], ...] = tuple(PUBLISHED.values())
translate = translator(PUBLISHED, "incident_id")
