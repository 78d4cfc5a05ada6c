"""The hazards and campaigns events the standings view reads (streams HAZARDS and CAMPAIGNS):
only what a township's figures need. Scoring's own trimmed copies, checked against the
producers' snapshots by a test."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from pingan.bus.contracts import ConsumedEvent


class Dated(ConsumedEvent):
    occurred_at: datetime
    business_date: date | None = None


class HazardReported(Dated):
    event_type: ClassVar[str] = "pingan.hazards.hazard.reported.v1"
    subject: ClassVar[str] = "hazards.hazard.reported"

    hazard_id: UUID
    township: str


class HazardPlanned(Dated):
    event_type: ClassVar[str] = "pingan.hazards.hazard.planned.v1"
    subject: ClassVar[str] = "hazards.hazard.planned"

    hazard_id: UUID
    deadline: date


class HazardExtensionApproved(Dated):
    event_type: ClassVar[str] = "pingan.hazards.hazard.extension_approved.v1"
    subject: ClassVar[str] = "hazards.hazard.extension_approved"

    hazard_id: UUID
    new_deadline: date


class HazardBecameOverdue(Dated):
    event_type: ClassVar[str] = "pingan.hazards.hazard.became_overdue.v1"
    subject: ClassVar[str] = "hazards.hazard.became_overdue"

    hazard_id: UUID
    deadline: date


class HazardClosed(Dated):
    event_type: ClassVar[str] = "pingan.hazards.hazard.closed.v2"
    subject: ClassVar[str] = "hazards.hazard.closed"

    hazard_id: UUID
    township: str
    on_time: bool


class CaseRegistered(Dated):
    event_type: ClassVar[str] = "pingan.campaigns.case.registered.v1"
    subject: ClassVar[str] = "campaigns.case.registered"

    case_id: UUID
    category: str
    township: str
    registered_on: date


class CaseReclassified(Dated):
    event_type: ClassVar[str] = "pingan.campaigns.case.reclassified.v1"
    subject: ClassVar[str] = "campaigns.case.reclassified"

    case_id: UUID
    category: str
    township: str


class CaseSolved(Dated):
    event_type: ClassVar[str] = "pingan.campaigns.case.solved.v1"
    subject: ClassVar[str] = "campaigns.case.solved"

    case_id: UUID
    solved_on: date


class CaseWithdrawn(Dated):
    event_type: ClassVar[str] = "pingan.campaigns.case.withdrawn.v1"
    subject: ClassVar[str] = "campaigns.case.withdrawn"

    case_id: UUID


class WarningRaised(Dated):
    event_type: ClassVar[str] = "pingan.campaigns.warning.raised.v1"
    subject: ClassVar[str] = "campaigns.warning.raised"

    warning_id: UUID
    area: str
    month: str
