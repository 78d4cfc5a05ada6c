"""The creation unit events the scoring service publishes (subjects `scoring.unit.<event>`).

`title_revoked` is the revocation log (摘牌): `revocation` is `incident` (摘牌制, with the
upstream `cause`, `cause_event_type` and `cause_event_id`, the causing message's `ce-id`),
`reinspection` (复查未通过) or `decision` (the district office's).

`assessed` carries the public-opinion evaluation (民意测评) and the representative meeting
(代表会议) where the standard asks for them (null otherwise, and on assessments recorded before
they were kept); with `upgrade` it is an assessment of a named unit for a higher level
(升级达标), which keeps its title whatever the verdict, and an `upgraded` follows a pass.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import Field

from pingan.bus.contracts import IntegrationEvent, translator
from scoring.contracts.common import ScoringEvent
from scoring.domain.unit import Unit


class UnitEvent(ScoringEvent):
    unit_id: UUID


class UnitRegisteredV1(UnitEvent):
    """A creation unit was registered in its place of the area hierarchy."""

    event_type = "pingan.scoring.unit.registered.v1"
    subject = "scoring.unit.registered"

    kind: str = Field(description="district, street, township, community, village, …")
    name: str
    township: str
    village: str | None
    parent_id: UUID | None = Field(description="The unit that contains it")
    address: str
    registered_by: str


class UnitAppliedV1(UnitEvent):
    """The unit applied (申报) for a title under one standard version."""

    event_type = "pingan.scoring.unit.applied.v1"
    subject = "scoring.unit.applied"

    standard: str = Field(description="The standard as id@version")
    level: int
    applied_on: date


class UnitAssessedV1(UnitEvent):
    """The unit was assessed (考评) against the standard version it applied under."""

    event_type = "pingan.scoring.unit.assessed.v1"
    subject = "scoring.unit.assessed"

    standard: str
    level: int
    assessed_on: date
    scores: dict[str, int]
    deductions: dict[str, int]
    vetoes: list[str]
    households: int | None
    feel_safe: int | None
    satisfied: int | None
    security_share: float | None = Field(description="As the standard judges it")
    satisfaction_share: float | None
    points: int
    verdict: str = Field(description="pass, fail or vetoed")
    missed: list[str]
    assessors: list[str]
    barred_until: date | None = Field(
        description="Of a new application, or with upgrade of an upgrade"
    )
    opinion_respondents: int | None = Field(default=None, description="民意测评: taking part")
    opinion_in_favour: int | None = None
    opinion_share: float | None = Field(default=None, description="As the standard judges it")
    meeting_held_on: date | None = Field(default=None, description="代表会议: held on")
    meeting_representatives: int | None = None
    meeting_attending: int | None = None
    meeting_votes_for: int | None = None
    upgrade: bool = Field(default=False, description="An assessment for a higher level")


class UnitUpgradedV1(UnitEvent):
    """The named unit reached a higher level of its standard (升级达标)."""

    event_type = "pingan.scoring.unit.upgraded.v1"
    subject = "scoring.unit.upgraded"

    standard: str = Field(description="The standard version the upgrade was assessed under")
    title: str
    level: int
    upgraded_on: date
    reinspection_due: date


class UnitFollowedUpV1(UnitEvent):
    """A follow-up visit (跟踪回访) of the named unit."""

    event_type = "pingan.scoring.unit.followed_up.v1"
    subject = "scoring.unit.followed_up"

    number: int
    visited_on: date
    form: str = Field(description="household_survey, opinion_poll, representative_meeting or visit")
    findings: str
    visitors: list[str]
    households: int | None = Field(description="入户调查: households asked")
    feel_safe: int | None
    satisfied: int | None
    respondents: int | None = Field(description="民意测评: taking part")
    in_favour: int | None
    meeting_held_on: date | None = Field(description="代表会议: held on")
    representatives: int | None
    attending: int | None
    votes_for: int | None


class UnitPublicisedV1(UnitEvent):
    """The result is under public notice (公示)."""

    event_type = "pingan.scoring.unit.publicised.v1"
    subject = "scoring.unit.publicised"

    starts_on: date
    ends_on: date


class ObjectionLodgedV1(UnitEvent):
    event_type = "pingan.scoring.unit.objection_lodged.v1"
    subject = "scoring.unit.objection_lodged"

    number: int
    lodged_on: date
    objection: str


class ObjectionSettledV1(UnitEvent):
    event_type = "pingan.scoring.unit.objection_settled.v1"
    subject = "scoring.unit.objection_settled"

    number: int
    upheld: bool
    reason: str
    settled_on: date
    barred_until: date | None


class UnitNamedV1(UnitEvent):
    """The district office conferred the title (命名)."""

    event_type = "pingan.scoring.unit.named.v1"
    subject = "scoring.unit.named"

    standard: str
    title: str
    level: int
    named_on: date
    reinspection_due: date


class UnitReinspectedV1(UnitEvent):
    """The named unit was re-inspected (复查)."""

    event_type = "pingan.scoring.unit.reinspected.v1"
    subject = "scoring.unit.reinspected"

    passed: bool
    inspected_on: date
    findings: str
    reinspection_due: date | None


class IncidentRecordedV1(UnitEvent):
    """An incident that strips a title happened in the unit, titled or not: it vetoes the
    unit's assessments within the bar period."""

    event_type = "pingan.scoring.unit.incident_recorded.v1"
    subject = "scoring.unit.incident_recorded"

    incident_id: UUID
    cause: str = Field(description="major_case, mass_incident or safety_accident")
    happened_on: date
    upstream_type: str = Field(description="The upstream message's ce-type")
    upstream_event_id: str = Field(description="The upstream message's ce-id")


class TitleRevokedV1(UnitEvent):
    """The unit lost its title (摘牌)."""

    event_type = "pingan.scoring.unit.title_revoked.v1"
    subject = "scoring.unit.title_revoked"

    title: str
    standard: str
    revoked_on: date
    revocation: str
    reason: str
    cause: str | None
    cause_event_type: str | None
    cause_event_id: str | None
    incident_id: UUID | None
    barred_until: date


PUBLISHED: dict[type[Any], type[UnitEvent]] = {
    Unit.Registered: UnitRegisteredV1,
    Unit.Applied: UnitAppliedV1,
    Unit.Assessed: UnitAssessedV1,
    Unit.Publicised: UnitPublicisedV1,
    Unit.ObjectionLodged: ObjectionLodgedV1,
    Unit.ObjectionSettled: ObjectionSettledV1,
    Unit.Named: UnitNamedV1,
    Unit.Reinspected: UnitReinspectedV1,
    Unit.Upgraded: UnitUpgradedV1,
    Unit.FollowedUp: UnitFollowedUpV1,
    Unit.IncidentRecorded: IncidentRecordedV1,
    Unit.TitleRevoked: TitleRevokedV1,
}

CONTRACTS: tuple[type[IntegrationEvent], ...] = tuple(PUBLISHED.values())
translate = translator(PUBLISHED, "unit_id")
