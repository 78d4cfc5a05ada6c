"""The investigation-round events the hazards service publishes (subjects
`hazards.round.<event>`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from hazards.domain.round import InvestigationRound
from hazards.domain.vocabulary import Category
from pingan.bus.contracts import IntegrationEvent, translator


class RoundEvent(IntegrationEvent):
    round_id: UUID
    occurred_at: datetime
    business_date: date | None = Field(
        default=None,
        description="业务日期: when the fact happened, as the user stated it (occurred_at is "
        "when it was recorded)",
    )


class RoundOpenedV1(RoundEvent):
    """A rolling investigation round (滚动式排查摸底) was opened over areas for a period."""

    event_type = "pingan.hazards.round.opened.v1"
    subject = "hazards.round.opened"

    name: str
    areas: list[str]
    starts_on: date
    ends_on: date
    organiser: str


class RoundFindingRecordedV1(RoundEvent):
    """The round found a hazard; it was reported in the same transaction, with this round's id
    as its `round_id` and the category it was reported in."""

    event_type = "pingan.hazards.round.finding_recorded.v1"
    subject = "hazards.round.finding_recorded"

    hazard_id: UUID
    category: Category


class RoundClosedV1(RoundEvent):
    """The round was closed with its summary; it found `total` hazards, counted by the category
    they were reported in (categories it found none in are left out)."""

    event_type = "pingan.hazards.round.closed.v1"
    subject = "hazards.round.closed"

    summary: str
    closed_by: str
    found_by_category: dict[Category, int]
    total: int


PUBLISHED: dict[type[Any], type[RoundEvent]] = {
    InvestigationRound.Opened: RoundOpenedV1,
    InvestigationRound.FindingRecorded: RoundFindingRecordedV1,
    InvestigationRound.Closed: RoundClosedV1,
}

CONTRACTS: tuple[type[IntegrationEvent], ...] = tuple(PUBLISHED.values())
translate = translator(PUBLISHED, "round_id")
