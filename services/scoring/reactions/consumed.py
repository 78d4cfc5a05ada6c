"""Scoring's own trimmed copies of the upstream contracts it reacts to (checked against the
producers' snapshots in `contracts/`), read from the bus: no import of another service."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from pingan.bus.contracts import ConsumedEvent


class Dated(ConsumedEvent):
    """The business date the upstream office stated for the fact, where it stated one."""

    business_date: date | None = None


class CaseRegistered(Dated):
    event_type: ClassVar[str] = "pingan.campaigns.case.registered.v1"
    subject: ClassVar[str] = "campaigns.case.registered"

    case_id: UUID
    kind_name: str
    township: str
    village: str
    happened_at: datetime
    major: bool
    unit_id: str | None = None


class CaseReclassified(Dated):
    event_type: ClassVar[str] = "pingan.campaigns.case.reclassified.v1"
    subject: ClassVar[str] = "campaigns.case.reclassified"

    case_id: UUID
    kind_name: str
    township: str
    major: bool
    reason: str
    unit_id: str | None = None


class CaseFlaggedMajor(Dated):
    event_type: ClassVar[str] = "pingan.campaigns.case.flagged_major.v1"
    subject: ClassVar[str] = "campaigns.case.flagged_major"

    case_id: UUID
    township: str
    reason: str
    unit_id: str | None = None


class CaseWithdrawn(Dated):
    event_type: ClassVar[str] = "pingan.campaigns.case.withdrawn.v1"
    subject: ClassVar[str] = "campaigns.case.withdrawn"

    case_id: UUID
    withdrawn_on: date
    reason: str


class MassIncidentReported(Dated):
    event_type: ClassVar[str] = "pingan.campaigns.mass_incident.reported.v1"
    subject: ClassVar[str] = "campaigns.mass_incident.reported"

    incident_id: UUID
    happened_at: datetime
    township: str
    village: str
    place: str
    participants: int
    unit_id: str | None = None


class AccidentReported(Dated):
    event_type: ClassVar[str] = "pingan.hazards.accident.reported.v2"
    subject: ClassVar[str] = "hazards.accident.reported"

    accident_id: UUID
    happened_at: datetime
    township: str
    village: str
    place: str
    severity: str
    unit_id: str | None = None


class AccidentFiguresRevised(Dated):
    event_type: ClassVar[str] = "pingan.hazards.accident.figures_revised.v1"
    subject: ClassVar[str] = "hazards.accident.figures_revised"

    accident_id: UUID
    township: str
    severity: str
    previous_severity: str
    reason: str
    unit_id: str | None = None
