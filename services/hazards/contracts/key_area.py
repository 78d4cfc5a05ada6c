"""The key-area events the hazards service publishes (subjects `hazards.key_area.<event>`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from hazards.domain.key_area import KeyArea, KeyAreaKind
from pingan.bus.contracts import IntegrationEvent, translator


class KeyAreaEvent(IntegrationEvent):
    key_area_id: UUID
    occurred_at: datetime
    business_date: date | None = Field(
        default=None,
        description="业务日期: when the fact happened, as the user stated it (occurred_at is "
        "when it was recorded)",
    )


class KeyAreaDesignatedV1(KeyAreaEvent):
    """An area where cases cluster was designated for rectification (重点整治区域)."""

    event_type = "pingan.hazards.key_area.designated.v1"
    subject = "hazards.key_area.designated"

    name: str
    kind: KeyAreaKind
    township: str
    village: str
    description: str = ""
    designated_by: str
    villages: list[str] = Field(
        default_factory=list,
        description="Every village or community the area covers, `village` first (empty in "
        "events recorded before areas could cover several: then `village` alone)",
    )


class KeyAreaRectificationPlannedV1(KeyAreaEvent):
    """The area's rectification plan, or a revision of it after a review: measures, the
    responsible unit, a deadline, and the programme it is combined with (e.g. 城中村改造)."""

    event_type = "pingan.hazards.key_area.rectification_planned.v1"
    subject = "hazards.key_area.rectification_planned"

    measures: str
    responsible_unit: str
    deadline: date
    combined_with: str | None = None


class KeyAreaReviewedV1(KeyAreaEvent):
    """A review (复查) of the rectification, and whether the area's public order improved."""

    event_type = "pingan.hazards.key_area.reviewed.v1"
    subject = "hazards.key_area.reviewed"

    reviewer: str
    reviewed_on: date
    findings: str
    public_order_improved: bool


class KeyAreaDelistedV1(KeyAreaEvent):
    """The area was taken off the list (摘帽): its latest review found public order improved;
    with hazards still open in it, by an override whose reason it records."""

    event_type = "pingan.hazards.key_area.delisted.v1"
    subject = "hazards.key_area.delisted"

    delisted_by: str
    reason: str
    override_reason: str | None = Field(
        default=None, description="Why it was delisted with hazards still open in it"
    )
    open_hazards: int = Field(default=0, description="Hazards linked to it still open then")


PUBLISHED: dict[type[Any], type[KeyAreaEvent]] = {
    KeyArea.Designated: KeyAreaDesignatedV1,
    KeyArea.RectificationPlanned: KeyAreaRectificationPlannedV1,
    KeyArea.Reviewed: KeyAreaReviewedV1,
    KeyArea.Delisted: KeyAreaDelistedV1,
}

CONTRACTS: tuple[type[IntegrationEvent], ...] = tuple(PUBLISHED.values())
translate = translator(PUBLISHED, "key_area_id")
