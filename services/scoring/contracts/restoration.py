"""Corrections, appeals and restorations of a revoked title (subjects `scoring.unit.<event>`).

A revocation is never erased: `incident_corrected` says that an incident kept on the unit was
corrected upstream (`correction`: `withdrawn`, 撤案, or `downgraded`, below major or below the
accident grade that strips) and, with `restorable`, that the revocation it caused may be set
right; `title_restored` gives the title back with its earlier title, level and re-inspection
due date, on `grounds` `correction` (the district office's decision after a correction) or
`appeal` (an appeal upheld, `appeal` its number). The bar period of the revocation goes.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import Field

from pingan.bus.contracts import IntegrationEvent, translator
from scoring.contracts.unit import UnitEvent
from scoring.domain.unit import Unit


class UnitIncidentCorrectedV1(UnitEvent):
    """An incident kept on the unit, or the one that stripped its title, was corrected
    upstream: it vetoes no assessment any more."""

    event_type = "pingan.scoring.unit.incident_corrected.v1"
    subject = "scoring.unit.incident_corrected"

    incident_id: UUID
    correction: str = Field(description="withdrawn (撤案) or downgraded")
    corrected_on: date
    reason: str
    upstream_type: str = Field(description="The correcting upstream message's ce-type")
    upstream_event_id: str = Field(description="The correcting upstream message's ce-id")
    restorable: bool = Field(description="The unit's current revocation was this incident's")


class AppealLodgedV1(UnitEvent):
    """The unit appealed (申诉) against the revocation of its title."""

    event_type = "pingan.scoring.unit.appeal_lodged.v1"
    subject = "scoring.unit.appeal_lodged"

    number: int
    lodged_on: date
    reason: str


class AppealDecidedV1(UnitEvent):
    """The district office decided the appeal: upheld, a `title_restored` follows."""

    event_type = "pingan.scoring.unit.appeal_decided.v1"
    subject = "scoring.unit.appeal_decided"

    number: int
    upheld: bool
    reason: str
    decided_on: date


class TitleRestoredV1(UnitEvent):
    """The revoked title was given back (恢复命名); the revocation stays in the log."""

    event_type = "pingan.scoring.unit.title_restored.v1"
    subject = "scoring.unit.title_restored"

    title: str
    standard: str
    level: int
    named_on: date | None = Field(description="The day it was first conferred")
    reinspection_due: date
    restored_on: date
    grounds: str = Field(description="correction or appeal")
    reason: str
    incident_id: UUID | None = Field(description="The incident of the revocation set right")
    appeal: int | None = Field(description="The upheld appeal's number")


PUBLISHED: dict[type[Any], type[UnitEvent]] = {
    Unit.IncidentCorrected: UnitIncidentCorrectedV1,
    Unit.AppealLodged: AppealLodgedV1,
    Unit.AppealDecided: AppealDecidedV1,
    Unit.TitleRestored: TitleRestoredV1,
}

CONTRACTS: tuple[type[IntegrationEvent], ...] = tuple(PUBLISHED.values())
translate = translator(PUBLISHED, "unit_id")
