"""The case events the campaigns service publishes (subjects `campaigns.case.<event>`).

**Major public-order case (重大治安案件), for `scoring`'s plaque removal (摘牌制).** A case is
major from its registration (`CaseRegisteredV1.major`), from a reclassification that makes it
major (`CaseReclassifiedV1.major`), or by an officer's flag (`CaseFlaggedMajorV1`). Each of
these carries `township` and `unit_id`, so a consumer applies the rule without tracking the
case. A case never stops being major. The rule is in `campaigns.domain.major` and the README:
a 命案, a death, three or more serious injuries, or a direct loss of 500,000 yuan or more;
`major_basis` says which (or `officer`).

`category` keeps criminal cases (刑事, registered 立案) apart from public-order cases (治安,
accepted 受理): never add them up. `registered_on` is the business date of registration or
acceptance: a case counts in that month.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import Field

from campaigns.contracts.common import UNIT_ID, CampaignsEvent, Part, SeizureItem
from campaigns.domain.case import Case
from campaigns.domain.kinds import CaseCategory
from campaigns.domain.major import MajorBasis
from pingan.bus.contracts import IntegrationEvent, translator

SEALED = (
    "{what}, sealed under the person's own key (pd1:<algorithm>:<person>:<key version>:...); "
    "opened only through the people registry"
)
HOMICIDE = Field(
    description="A 命案: one of the eight kinds that count as homicide in police statistics "
    "when they cause a death (故意杀人 always)"
)


class CaseEvent(CampaignsEvent):
    case_id: UUID


class CaseRegisteredV1(CaseEvent):
    """A case was registered (刑事立案) or accepted (治安受理)."""

    event_type = "pingan.campaigns.case.registered.v1"
    subject = "campaigns.case.registered"

    category: CaseCategory
    kind: str = Field(description="The case kind's code (configuration)")
    kind_name: str
    homicide: bool = HOMICIDE
    township: str
    village: str
    place: str
    place_tags: list[str] = Field(description="Tags of the place, e.g. campus (校园周边)")
    happened_at: datetime = Field(
        description="When the case happened (occurred_at is when the registration was recorded)"
    )
    registered_on: date = Field(description="立案/受理日期: the month it counts in")
    case_number: str | None = None
    unit_id: str | None = UNIT_ID
    unit_name: str | None = None
    deaths: int
    serious_injuries: int
    loss_yuan: Decimal
    major: bool = Field(description="重大治安案件: with unit_id set, scoring strips its title")
    major_basis: MajorBasis | None = None
    summary: str = ""
    registered_by: str


class CaseReclassifiedV1(CaseEvent):
    """The case's kind or figures changed, with the reason (a public-order case may become
    criminal); the values are those now on record."""

    event_type = "pingan.campaigns.case.reclassified.v1"
    subject = "campaigns.case.reclassified"

    category: CaseCategory
    kind: str
    kind_name: str
    previous_kind: str
    homicide: bool = HOMICIDE
    deaths: int
    serious_injuries: int
    loss_yuan: Decimal
    major: bool
    major_basis: MajorBasis | None = None
    reason: str
    township: str
    unit_id: str | None = UNIT_ID


class CaseFlaggedMajorV1(CaseEvent):
    """An officer found the case to be a major public-order case (重大治安案件)."""

    event_type = "pingan.campaigns.case.flagged_major.v1"
    subject = "campaigns.case.flagged_major"

    reason: str
    category: CaseCategory
    kind: str
    township: str
    unit_id: str | None = UNIT_ID


class CaseWithdrawnV1(CaseEvent):
    """The case was withdrawn (撤案): it no longer counts."""

    event_type = "pingan.campaigns.case.withdrawn.v1"
    subject = "campaigns.case.withdrawn"

    withdrawn_on: date
    reason: str


class CaseSolvedV1(CaseEvent):
    """The case was solved (破案; 查结 for a public-order case)."""

    event_type = "pingan.campaigns.case.solved.v1"
    subject = "campaigns.case.solved"

    solved_on: date
    registered_on: date


class SealedSuspect(Part):
    person_id: UUID = Field(description="The suspect as a person of the people registry")
    name: str = Field(description=SEALED.format(what="The suspect's name"))
    id_number: str | None = Field(
        default=None, description=SEALED.format(what="The suspect's identity number")
    )


class SuspectsApprehendedV1(CaseEvent):
    """Suspects were apprehended (抓获): `count` of them, `suspects` those named."""

    event_type = "pingan.campaigns.case.suspects_apprehended.v1"
    subject = "campaigns.case.suspects_apprehended"

    count: int
    apprehended_on: date
    suspects: list[SealedSuspect]


class GangsDismantledV1(CaseEvent):
    """Criminal gangs were dismantled (打掉团伙)."""

    event_type = "pingan.campaigns.case.gangs_dismantled.v1"
    subject = "campaigns.case.gangs_dismantled"

    count: int
    dismantled_on: date
    description: str = ""


class SeizuresRecordedV1(CaseEvent):
    """Seizures (缴获) were recorded, as typed quantities."""

    event_type = "pingan.campaigns.case.seizures_recorded.v1"
    subject = "campaigns.case.seizures_recorded"

    seized_on: date
    seizures: list[SeizureItem]


class CaseTransferredV1(CaseEvent):
    """The criminal case was transferred for prosecution (移送审查起诉)."""

    event_type = "pingan.campaigns.case.transferred.v1"
    subject = "campaigns.case.transferred"

    transferred_on: date
    suspects: int
    prosecutor: str


class CaseClosedV1(CaseEvent):
    """The case was closed (结案)."""

    event_type = "pingan.campaigns.case.closed.v1"
    subject = "campaigns.case.closed"

    closed_on: date


PUBLISHED: dict[type[Any], type[CaseEvent]] = {
    Case.Registered: CaseRegisteredV1,
    Case.Reclassified: CaseReclassifiedV1,
    Case.FlaggedMajor: CaseFlaggedMajorV1,
    Case.Withdrawn: CaseWithdrawnV1,
    Case.Solved: CaseSolvedV1,
    Case.SuspectsApprehended: SuspectsApprehendedV1,
    Case.GangsDismantled: GangsDismantledV1,
    Case.SeizuresRecorded: SeizuresRecordedV1,
    Case.Transferred: CaseTransferredV1,
    Case.Closed: CaseClosedV1,
}

CONTRACTS: tuple[type[IntegrationEvent], ...] = tuple(PUBLISHED.values())
translate = translator(PUBLISHED, "case_id")
