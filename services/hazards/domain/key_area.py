"""The KeyArea aggregate: a place where cases cluster, rectified until its public order changes.

The source (深化社会治安重点整治行动) names the kinds of area, and expects each to be rectified
until "the public-order face of the disorderly area changes at the root" (从根本上改变治安混乱
区域的治安面貌): so an area is delisted only once its latest review found that change.

Rules on the places an area covers and the hazards found in it:

- An area lies in one township and covers one or more of its villages or communities (the
  village it is named by first). Its name is unique within the township: designating sets a
  `KeyAreaName` reservation, an aggregate whose id derives from the township and the
  normalised name (NFKC, spaces collapsed, case folded), saved in the same transaction as the
  area, so two racing designations of one name cannot both commit; the loser is told which
  area holds the name.
- A hazard linked to an area lies in one of its villages, and a delisted area takes no new
  hazards. The area itself keeps which linked hazards are open: the link is recorded on the
  area in the same transaction as the hazard's report, the strike-off in the same transaction
  as its closure (销号) or rejection. A report and a delisting racing each other therefore
  conflict on the area's version, and one of them is refused with a 409 instead of a hazard
  slipping into a delisted area unseen.
- Delisting an area that still has open hazards needs an explicit override with its reason
  (`override_reason`), recorded on the delisting.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from pingan.write.business_time import Fact, FirstFact
from pingan.write.domain import AlreadyTaken, Label, RuleViolation, StateMachine, Transitions

NAME_NAMESPACE = UUID("6a0f3d2e-8b41-4c59-a7d3-1e9b5c2f4a80")


class KeyAreaKind(StrEnum):
    URBAN_RURAL_FRINGE = "urban_rural_fringe"  # 城乡结合部
    URBAN_VILLAGE = "urban_village"  # 城中村
    INDUSTRIAL_MINING = "industrial_mining"  # 工矿区
    RENTAL_HOUSING = "rental_housing"  # 出租房屋集中区域


class KeyAreaStatus(StrEnum):
    DESIGNATED = "designated"  # 确定为重点整治区域
    UNDER_RECTIFICATION = "under_rectification"  # 整治中
    REVIEWED = "reviewed"  # 已复查
    DELISTED = "delisted"  # 摘帽销号


S = KeyAreaStatus

#: Each command's API action and the states that allow it, before the guards on arguments.
TRANSITIONS = Transitions(
    "key area",
    Label("重点整治区域", "key area"),
    {
        S.DESIGNATED: Label("已确定为重点整治区域", "designated"),
        S.UNDER_RECTIFICATION: Label("整治中", "under rectification"),
        S.REVIEWED: Label("已复查", "reviewed"),
        S.DELISTED: Label("已摘帽销号", "delisted"),
    },
    plan=("/plan", Label("制定整治方案", "plan the rectification"), (S.DESIGNATED, S.REVIEWED)),
    record_review=(
        "/reviews",
        Label("复查", "record a review"),
        (S.UNDER_RECTIFICATION, S.REVIEWED),
    ),
    delist=("/delist", Label("摘帽销号", "delist"), (S.REVIEWED,)),
)


class KeyArea(StateMachine, Aggregate):
    transitions = TRANSITIONS

    class Designated(FirstFact):
        name: str
        kind: str
        township: str
        village: str
        description: str
        designated_by: str
        villages: list[str] | None

    class HazardLinked(Aggregate.Event):
        hazard_id: UUID

    class HazardStruckOff(Aggregate.Event):
        hazard_id: UUID

    class RectificationPlanned(Fact):
        measures: str
        responsible_unit: str
        deadline: date
        combined_with: str | None

    class Reviewed(Fact):
        reviewer: str
        reviewed_on: date
        findings: str
        public_order_improved: bool

    class Delisted(Fact):
        delisted_by: str
        reason: str
        override_reason: str | None
        open_hazards: int

    @event(Designated)
    def __init__(
        self,
        name: str,
        kind: str,
        township: str,
        village: str,
        designated_by: str,
        description: str = "",
        id: UUID | None = None,
        villages: list[str] | None = None,
    ) -> None:
        self.name = name
        self.kind = KeyAreaKind(kind)
        self.township = township
        self.village = village
        # Areas designated before they could cover several villages cover the one they name.
        self.villages = list(villages or [village])
        self.open_hazards: set[UUID] = set()
        self.description = description
        self.designated_by = designated_by
        self.status = S.DESIGNATED
        self.deadline: date | None = None
        self.plans = 0
        self.reviews = 0
        self.last_reviewed_on: date | None = None
        self.public_order_improved: bool | None = None

    @classmethod
    def designate(
        cls,
        name: str,
        kind: KeyAreaKind,
        township: str,
        village: str,
        designated_by: str,
        description: str = "",
        further_villages: list[str] | None = None,
        id: UUID | None = None,
    ) -> KeyArea:
        """Designate an area of one township, covering `village` and any further villages."""
        villages = list(dict.fromkeys([village, *(further_villages or [])]))
        return cls(
            id=id,
            name=name,
            kind=kind.value,
            township=township,
            village=village,
            designated_by=designated_by,
            description=description,
            villages=villages,
        )

    # -- commands ----------------------------------------------------------------------------

    def link_hazard(self, hazard_id: UUID, township: str, village: str) -> None:
        """Take in a hazard reported in the area: it lies in one of the area's villages, and
        the area is still listed."""
        if self.status is S.DELISTED:
            raise RuleViolation(
                f"重点整治区域“{self.name}”已摘帽销号,不再接收新的隐患 "
                f"(the key area {self.name} is delisted and takes no new hazards)"
            )
        if township != self.township or village not in self.villages:
            covered = "、".join(self.villages)
            raise RuleViolation(
                f"隐患位于{township}{village},不在重点整治区域“{self.name}”"
                f"({self.township}{covered})内 (the hazard lies in {township} {village}, "
                f"outside the key area {self.name}, which covers {self.township}: "
                f"{', '.join(self.villages)})"
            )
        if hazard_id not in self.open_hazards:
            self._linked(hazard_id=hazard_id)

    @event(HazardLinked)
    def _linked(self, hazard_id: UUID) -> None:
        self.open_hazards.add(hazard_id)

    def strike_off(self, hazard_id: UUID) -> None:
        """A linked hazard was closed (销号) or rejected: it no longer holds the area open."""
        if hazard_id in self.open_hazards:
            self._struck_off(hazard_id=hazard_id)

    @event(HazardStruckOff)
    def _struck_off(self, hazard_id: UUID) -> None:
        self.open_hazards.discard(hazard_id)

    def plan(
        self,
        measures: str,
        responsible_unit: str,
        deadline: date,
        today: date,
        combined_with: str | None = None,
    ) -> None:
        """Plan the rectification (逐项制定方案, 落实责任); after a review, revise the plan."""
        self._require("plan")
        if deadline < today:
            raise RuleViolation("the deadline cannot be in the past")
        self._planned(
            measures=measures,
            responsible_unit=responsible_unit,
            deadline=deadline,
            combined_with=combined_with,
        )

    @event(RectificationPlanned)
    def _planned(
        self, measures: str, responsible_unit: str, deadline: date, combined_with: str | None
    ) -> None:
        self.deadline = deadline
        self.plans += 1
        self.status = S.UNDER_RECTIFICATION

    def record_review(
        self,
        reviewer: str,
        reviewed_on: date,
        findings: str,
        public_order_improved: bool,
        today: date,
    ) -> None:
        """Record a review (复查) of the rectification and whether public order has improved."""
        self._require("record_review")
        if reviewed_on > today:
            raise RuleViolation("a review cannot be dated in the future")
        if self.last_reviewed_on is not None and reviewed_on < self.last_reviewed_on:
            raise RuleViolation(
                "a review cannot be dated before the previous one "
                f"({self.last_reviewed_on.isoformat()})"
            )
        self._reviewed(
            reviewer=reviewer,
            reviewed_on=reviewed_on,
            findings=findings,
            public_order_improved=public_order_improved,
        )

    @event(Reviewed)
    def _reviewed(
        self, reviewer: str, reviewed_on: date, findings: str, public_order_improved: bool
    ) -> None:
        self.reviews += 1
        self.last_reviewed_on = reviewed_on
        self.public_order_improved = public_order_improved
        self.status = S.REVIEWED

    def delist(self, delisted_by: str, reason: str, override_reason: str | None = None) -> None:
        """Take the area off the list (摘帽) once its latest review found public order improved;
        with hazards still open in it, only by an override that gives its reason."""
        self._require("delist")
        if not reason.strip():
            raise RuleViolation("a delisting must give its reason")
        if not self.public_order_improved:
            raise RuleViolation(
                "a key area is delisted only when its latest review found public order improved"
            )
        override = (override_reason or "").strip() or None
        if self.open_hazards and override is None:
            raise RuleViolation(
                f"该区域仍有 {len(self.open_hazards)} 项未销号的隐患;如确需摘帽,请在 "
                f"override_reason 中说明理由 (the key area still has {len(self.open_hazards)} "
                "open hazards; delisting it anyway needs an override_reason)"
            )
        if not self.open_hazards:
            override = None
        self._delisted(
            delisted_by=delisted_by,
            reason=reason,
            override_reason=override,
            open_hazards=len(self.open_hazards),
        )

    @event(Delisted)
    def _delisted(
        self,
        delisted_by: str,
        reason: str,
        override_reason: str | None = None,
        open_hazards: int = 0,
    ) -> None:
        self.status = S.DELISTED


def normalised_name(name: str) -> str:
    """The form two names are compared in: NFKC, spaces collapsed, case folded."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().casefold()


def key_area_name_id(township: str, name: str) -> UUID:
    return uuid5(NAME_NAMESPACE, f"{township}\n{normalised_name(name)}")


class KeyAreaName(Aggregate):
    """The reservation of a key area's name in its township: which area holds it."""

    class Reserved(Aggregate.Created):
        township: str
        name: str
        key_area_id: UUID

    @staticmethod
    def create_id(township: str, name: str, key_area_id: UUID) -> UUID:
        return key_area_name_id(township, name)

    @event(Reserved)
    def __init__(self, township: str, name: str, key_area_id: UUID) -> None:
        self.township = township
        self.name = name
        self.key_area_id = key_area_id


def name_taken(township: str, name: str, holder: UUID) -> AlreadyTaken:
    return AlreadyTaken(
        "key area name",
        name,
        holder,
        f"{township}已有同名重点整治区域“{name}”(id {holder}) "
        f"(a key area named {name} already exists in {township}: {holder})",
    )
