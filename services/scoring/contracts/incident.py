"""Incidents as scoring recorded them (subjects `scoring.incident.<event>`): each upstream case,
mass incident or accident once, with the unit it matched, if any."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import Field

from pingan.bus.contracts import IntegrationEvent, translator
from scoring.contracts.common import ScoringEvent
from scoring.domain.incident import Incident


class IncidentEvent(ScoringEvent):
    incident_id: UUID


class IncidentNotedV1(IncidentEvent):
    """An upstream case, mass incident or accident, matched to a unit or not."""

    event_type = "pingan.scoring.incident.noted.v1"
    subject = "scoring.incident.noted"

    source: str = Field(description="The upstream stream")
    upstream_id: UUID = Field(description="The case, incident or accident id upstream")
    cause: str = Field(description="major_case, mass_incident or safety_accident")
    strips: bool = Field(description="Whether it strips a title (摘牌制)")
    happened_on: date
    township: str
    village: str | None
    unit_id: str | None = Field(description="The unit id the upstream event named")
    matched_unit_id: UUID | None
    match: str = Field(description="unit_id, area or none")
    unmatched_reason: str | None
    upstream_type: str = Field(description="The upstream message's ce-type")
    upstream_event_id: str = Field(description="The upstream message's ce-id")
    summary: str


class IncidentMatchedV1(IncidentEvent):
    """The district office matched an unmatched incident to a unit, with its reason."""

    event_type = "pingan.scoring.incident.matched.v1"
    subject = "scoring.incident.matched"

    unit_id: UUID
    reason: str


class IncidentEscalatedV1(IncidentEvent):
    """A later upstream event made the incident strip a title."""

    event_type = "pingan.scoring.incident.escalated.v1"
    subject = "scoring.incident.escalated"

    upstream_type: str
    upstream_event_id: str
    reason: str


class IncidentCorrectedV1(IncidentEvent):
    """A later upstream event took the ground away: the incident strips no title any more
    (a case withdrawn, 撤案, or found below major; an accident regraded below the bar)."""

    event_type = "pingan.scoring.incident.corrected.v1"
    subject = "scoring.incident.corrected"

    correction: str = Field(description="withdrawn or downgraded")
    upstream_type: str
    upstream_event_id: str
    reason: str


PUBLISHED: dict[type[Any], type[IncidentEvent]] = {
    Incident.Noted: IncidentNotedV1,
    Incident.Matched: IncidentMatchedV1,
    Incident.Escalated: IncidentEscalatedV1,
    Incident.Corrected: IncidentCorrectedV1,
}

CONTRACTS: tuple[type[IntegrationEvent], ...] = tuple(PUBLISHED.values())
translate = translator(PUBLISHED, "incident_id")
