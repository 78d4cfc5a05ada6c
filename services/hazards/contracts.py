"""The events the hazards service publishes: its integration contracts."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from hazards.domain.hazard import Hazard
from hazards.domain.vocabulary import Category, Grade
from pingan.contracts import IntegrationEvent


class HazardReportedV1(IntegrationEvent):
    """A hazard was reported and entered the ledger."""

    event_type = "pingan.hazards.hazard.reported.v1"
    subject = "hazards.hazard.reported"

    hazard_id: UUID
    title: str
    category: Category
    township: str
    village: str
    address: str
    reporter: str
    reported_at: datetime


class HazardFiledV1(IntegrationEvent):
    """A reported hazard was classified and given a file number (分类建档)."""

    event_type = "pingan.hazards.hazard.filed.v1"
    subject = "hazards.hazard.filed"

    hazard_id: UUID
    category: Category
    grade: Grade
    file_number: str = Field(min_length=1)
    filed_at: datetime


CONTRACTS: tuple[type[IntegrationEvent], ...] = (HazardReportedV1, HazardFiledV1)


def to_integration_event(domain_event: Any) -> IntegrationEvent | None:
    """Translate a stored domain event into what the service publishes (None: private)."""
    if isinstance(domain_event, Hazard.Reported):
        return HazardReportedV1(
            hazard_id=domain_event.originator_id,
            title=domain_event.title,
            category=Category(domain_event.category),
            township=domain_event.township,
            village=domain_event.village,
            address=domain_event.address,
            reporter=domain_event.reporter,
            reported_at=domain_event.timestamp,
        )
    if isinstance(domain_event, Hazard.Filed):
        return HazardFiledV1(
            hazard_id=domain_event.originator_id,
            category=Category(domain_event.category),
            grade=Grade(domain_event.grade),
            file_number=domain_event.file_number,
            filed_at=domain_event.timestamp,
        )
    return None
