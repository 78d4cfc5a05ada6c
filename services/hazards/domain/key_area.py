"""The KeyArea aggregate: a place where cases cluster, rectified until its public order changes.

The source (深化社会治安重点整治行动) names the kinds of area, and expects each to be rectified
until "the public-order face of the disorderly area changes at the root" (从根本上改变治安混乱
区域的治安面貌): so an area is delisted only once its latest review found that change.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from pingan.write.business_time import Fact, FirstFact
from pingan.write.domain import Label, RuleViolation, StateMachine, Transitions


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
    ) -> None:
        self.name = name
        self.kind = KeyAreaKind(kind)
        self.township = township
        self.village = village
        self.description = description
        self.designated_by = designated_by
        self.status = S.DESIGNATED
        self.deadline: date | None = None
        self.plans = 0
        self.reviews = 0
        self.last_reviewed_on: date | None = None
        self.public_order_improved: bool | None = None

    # -- commands ----------------------------------------------------------------------------

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

    def delist(self, delisted_by: str, reason: str) -> None:
        """Take the area off the list (摘帽) once its latest review found public order improved."""
        self._require("delist")
        if not reason.strip():
            raise RuleViolation("a delisting must give its reason")
        if not self.public_order_improved:
            raise RuleViolation(
                "a key area is delisted only when its latest review found public order improved"
            )
        self._delisted(delisted_by=delisted_by, reason=reason)

    @event(Delisted)
    def _delisted(self, delisted_by: str, reason: str) -> None:
        self.status = S.DELISTED
