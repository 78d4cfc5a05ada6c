"""The campaigns events the key-area view reads (stream CAMPAIGNS): only what it needs to count
an area's cases by village and month. Checked against campaigns' snapshots by a test."""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from pingan.bus.contracts import ConsumedEvent


class CaseRegistered(ConsumedEvent):
    event_type: ClassVar[str] = "pingan.campaigns.case.registered.v1"
    subject: ClassVar[str] = "campaigns.case.registered"

    case_id: UUID
    category: str
    township: str
    village: str
    registered_on: date


class CaseReclassified(ConsumedEvent):
    event_type: ClassVar[str] = "pingan.campaigns.case.reclassified.v1"
    subject: ClassVar[str] = "campaigns.case.reclassified"

    case_id: UUID
    category: str


class CaseWithdrawn(ConsumedEvent):
    event_type: ClassVar[str] = "pingan.campaigns.case.withdrawn.v1"
    subject: ClassVar[str] = "campaigns.case.withdrawn"

    case_id: UUID
