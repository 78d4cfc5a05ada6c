"""The Case aggregate: one case of the ledger (案件台账), criminal or public-order.

A criminal case (刑事案件) is registered (立案), a public-order case (治安案件) accepted (受理);
both are kept in one ledger but never counted together. A case counts in the month of its
registration or acceptance (its business date), towards every campaign whose kind,
jurisdiction and period it matches.

registered → solved (破案; 查结 for a public-order case) → transferred for prosecution (移送
起诉, criminal only) → closed (结案); registered or solved → withdrawn (撤案), with the reason.
Suspects apprehended, gangs dismantled and seizures are recorded while the case is open.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate, event

from campaigns.domain.kinds import CaseCategory, CaseKind
from campaigns.domain.major import MajorBasis, major_basis
from campaigns.domain.measures import Seizure
from pingan.write.business_time import Fact, FirstFact
from pingan.write.domain import Label, RuleViolation, StateMachine, Transitions


class CaseStatus(StrEnum):
    REGISTERED = "registered"  # 已立案 / 已受理
    SOLVED = "solved"  # 已破案 / 已查结
    TRANSFERRED = "transferred"  # 已移送起诉
    CLOSED = "closed"  # 已结案
    WITHDRAWN = "withdrawn"  # 已撤案


S = CaseStatus
_OPEN = (S.REGISTERED, S.SOLVED, S.TRANSFERRED)
TRANSITIONS = Transitions(
    "case",
    Label("案件", "case"),
    {
        S.REGISTERED: Label("已立案(受理)", "registered"),
        S.SOLVED: Label("已破案(查结)", "solved"),
        S.TRANSFERRED: Label("已移送起诉", "transferred for prosecution"),
        S.CLOSED: Label("已结案", "closed"),
        S.WITHDRAWN: Label("已撤案", "withdrawn"),
    },
    reclassify=(
        "/reclassification",
        Label("变更案件类别", "reclassify"),
        (S.REGISTERED, S.SOLVED),
    ),
    flag_major=("/major", Label("认定重大治安案件", "flag as major"), _OPEN),
    withdraw=("/withdraw", Label("撤案", "withdraw"), (S.REGISTERED, S.SOLVED)),
    solve=("/solve", Label("破案", "solve"), (S.REGISTERED,)),
    apprehend=("/apprehensions", Label("记录抓获", "record apprehensions"), _OPEN),
    dismantle_gangs=("/gangs", Label("记录打掉团伙", "record gangs dismantled"), _OPEN),
    record_seizures=("/seizures", Label("记录缴获", "record seizures"), _OPEN),
    transfer=("/transfer", Label("移送起诉", "transfer for prosecution"), (S.SOLVED,)),
    close=("/close", Label("结案", "close"), (S.SOLVED, S.TRANSFERRED)),
)


def _require_counts(*counts: int) -> None:
    if any(c < 0 for c in counts):
        raise RuleViolation("casualties and loss cannot be negative")


class Case(StateMachine, Aggregate):
    transitions = TRANSITIONS

    class Registered(FirstFact):
        category: str
        kind: str
        kind_name: str
        homicide: bool
        township: str
        village: str
        place: str
        place_tags: list[str]
        happened_at: datetime
        registered_on: date
        case_number: str | None
        unit_id: str | None
        unit_name: str | None
        deaths: int
        serious_injuries: int
        loss_yuan: Decimal
        major: bool
        major_basis: str | None
        summary: str
        registered_by: str

    class Reclassified(Fact):
        category: str
        kind: str
        kind_name: str
        previous_kind: str
        homicide: bool
        deaths: int
        serious_injuries: int
        loss_yuan: Decimal
        major: bool
        major_basis: str | None
        reason: str
        township: str
        unit_id: str | None

    class FlaggedMajor(Fact):
        reason: str
        category: str
        kind: str
        township: str
        unit_id: str | None

    class Withdrawn(Fact):
        withdrawn_on: date
        reason: str

    class Solved(Fact):
        solved_on: date
        registered_on: date

    class SuspectsApprehended(Fact):
        count: int
        apprehended_on: date
        suspects: list[dict[str, Any]]

    class GangsDismantled(Fact):
        count: int
        dismantled_on: date
        description: str

    class SeizuresRecorded(Fact):
        seized_on: date
        seizures: list[dict[str, Any]]

    class Transferred(Fact):
        transferred_on: date
        suspects: int
        prosecutor: str

    class Closed(Fact):
        closed_on: date

    @classmethod
    def register(
        cls,
        *,
        kind: CaseKind,
        township: str,
        village: str,
        place: str,
        happened_at: datetime,
        registered_on: date,
        registered_by: str,
        place_tags: list[str] | None = None,
        case_number: str | None = None,
        unit_id: str | None = None,
        unit_name: str | None = None,
        deaths: int = 0,
        serious_injuries: int = 0,
        loss_yuan: Decimal = Decimal(0),
        summary: str = "",
    ) -> Case:
        """Register (立案) or accept (受理) a case; its kind says which."""
        if happened_at.tzinfo is None:
            raise RuleViolation("the time of the case must carry its UTC offset")
        if registered_on < happened_at.date():
            raise RuleViolation("a case cannot be registered before it happened")
        _require_counts(deaths, serious_injuries)
        if loss_yuan < 0:
            raise RuleViolation("casualties and loss cannot be negative")
        homicide = kind.is_homicide(deaths)
        basis = major_basis(
            homicide=homicide, deaths=deaths, serious_injuries=serious_injuries, loss_yuan=loss_yuan
        )
        return cls(
            category=kind.category.value,
            kind=kind.code,
            kind_name=kind.name,
            homicide=homicide,
            township=township,
            village=village,
            place=place,
            place_tags=sorted(set(place_tags or ())),
            happened_at=happened_at,
            registered_on=registered_on,
            case_number=case_number,
            unit_id=unit_id,
            unit_name=unit_name,
            deaths=deaths,
            serious_injuries=serious_injuries,
            loss_yuan=loss_yuan,
            major=basis is not None,
            major_basis=None if basis is None else basis.value,
            summary=summary,
            registered_by=registered_by,
        )

    @event(Registered)
    def __init__(
        self,
        category: str,
        kind: str,
        kind_name: str,
        homicide: bool,
        township: str,
        village: str,
        place: str,
        place_tags: list[str],
        happened_at: datetime,
        registered_on: date,
        case_number: str | None,
        unit_id: str | None,
        unit_name: str | None,
        deaths: int,
        serious_injuries: int,
        loss_yuan: Decimal,
        major: bool,
        major_basis: str | None,
        summary: str,
        registered_by: str,
    ) -> None:
        self.category = CaseCategory(category)
        self.kind = kind
        self.homicide = homicide
        self.township = township
        self.village = village
        self.place = place
        self.place_tags = tuple(place_tags)
        self.happened_at = happened_at
        self.registered_on = registered_on
        self.unit_id = unit_id
        self.deaths = deaths
        self.serious_injuries = serious_injuries
        self.loss_yuan = loss_yuan
        self.major = major
        self.major_basis = None if major_basis is None else MajorBasis(major_basis)
        self.status = S.REGISTERED
        self.solved_on: date | None = None
        self.apprehended = 0

    def reclassify(
        self,
        kind: CaseKind,
        reason: str,
        *,
        deaths: int | None = None,
        serious_injuries: int | None = None,
        loss_yuan: Decimal | None = None,
    ) -> None:
        """Change the kind (a public-order case may become criminal, 治转刑), or revise the
        casualties and loss, with the reason; a major case stays major."""
        self._require("reclassify")
        figures = (
            self.deaths if deaths is None else deaths,
            self.serious_injuries if serious_injuries is None else serious_injuries,
            self.loss_yuan if loss_yuan is None else loss_yuan,
        )
        _require_counts(figures[0], figures[1])
        if figures[2] < 0:
            raise RuleViolation("casualties and loss cannot be negative")
        if (kind.code, *figures) == (self.kind, self.deaths, self.serious_injuries, self.loss_yuan):
            raise RuleViolation("the reclassification changes nothing")
        homicide = kind.is_homicide(figures[0])
        basis = self.major_basis or major_basis(
            homicide=homicide,
            deaths=figures[0],
            serious_injuries=figures[1],
            loss_yuan=figures[2],
        )
        self._reclassified(
            category=kind.category.value,
            kind=kind.code,
            kind_name=kind.name,
            previous_kind=self.kind,
            homicide=homicide,
            deaths=figures[0],
            serious_injuries=figures[1],
            loss_yuan=figures[2],
            major=basis is not None,
            major_basis=None if basis is None else basis.value,
            reason=reason,
            township=self.township,
            unit_id=self.unit_id,
        )

    @event(Reclassified)
    def _reclassified(
        self,
        category: str,
        kind: str,
        kind_name: str,
        previous_kind: str,
        homicide: bool,
        deaths: int,
        serious_injuries: int,
        loss_yuan: Decimal,
        major: bool,
        major_basis: str | None,
        reason: str,
        township: str,
        unit_id: str | None,
    ) -> None:
        self.category = CaseCategory(category)
        self.kind = kind
        self.homicide = homicide
        self.deaths = deaths
        self.serious_injuries = serious_injuries
        self.loss_yuan = loss_yuan
        self.major = major
        self.major_basis = None if major_basis is None else MajorBasis(major_basis)

    def flag_major(self, reason: str) -> None:
        """The officer's finding that the case is major (重大治安案件), with the reason."""
        self._require("flag_major")
        if self.major:
            raise RuleViolation("the case is already major")
        self._flagged_major(
            reason=reason,
            category=self.category.value,
            kind=self.kind,
            township=self.township,
            unit_id=self.unit_id,
        )

    @event(FlaggedMajor)
    def _flagged_major(
        self, reason: str, category: str, kind: str, township: str, unit_id: str | None
    ) -> None:
        self.major = True
        self.major_basis = MajorBasis.OFFICER

    def withdraw(self, withdrawn_on: date, reason: str) -> None:
        """Withdraw the case (撤案): no crime, or no liability to pursue."""
        self._require("withdraw")
        self._not_before_registration(withdrawn_on)
        self._withdrawn(withdrawn_on=withdrawn_on, reason=reason)

    @event(Withdrawn)
    def _withdrawn(self, withdrawn_on: date, reason: str) -> None:
        self.status = S.WITHDRAWN

    def solve(self, solved_on: date) -> None:
        """Solve the case (破案; a public-order case 查结)."""
        self._require("solve")
        self._not_before_registration(solved_on)
        self._solved(solved_on=solved_on, registered_on=self.registered_on)

    @event(Solved)
    def _solved(self, solved_on: date, registered_on: date) -> None:
        self.solved_on = solved_on
        self.status = S.SOLVED

    def apprehend(
        self, count: int, apprehended_on: date, suspects: list[dict[str, Any]] | None = None
    ) -> None:
        """Suspects apprehended (抓获犯罪嫌疑人): a count, and the sealed particulars of
        those the ledger must name."""
        self._require("apprehend")
        named = suspects or []
        if count < 1:
            raise RuleViolation("at least one suspect is apprehended")
        if len(named) > count:
            raise RuleViolation("more suspects are named than apprehended")
        self._not_before_registration(apprehended_on)
        self._apprehended(count=count, apprehended_on=apprehended_on, suspects=named)

    @event(SuspectsApprehended)
    def _apprehended(
        self, count: int, apprehended_on: date, suspects: list[dict[str, Any]]
    ) -> None:
        self.apprehended += count

    def dismantle_gangs(self, count: int, dismantled_on: date, description: str = "") -> None:
        """Criminal gangs dismantled (打掉犯罪团伙) in the course of the case."""
        self._require("dismantle_gangs")
        if count < 1:
            raise RuleViolation("at least one gang is dismantled")
        self._not_before_registration(dismantled_on)
        self._gangs(count=count, dismantled_on=dismantled_on, description=description)

    @event(GangsDismantled)
    def _gangs(self, count: int, dismantled_on: date, description: str) -> None:
        pass

    def record_seizures(self, seized_on: date, seizures: list[Seizure]) -> None:
        """What was seized (缴获), as typed quantities."""
        self._require("record_seizures")
        if not seizures:
            raise RuleViolation("a seizure record names at least one seizure")
        self._not_before_registration(seized_on)
        self._seized(seized_on=seized_on, seizures=[s.data() for s in seizures])

    @event(SeizuresRecorded)
    def _seized(self, seized_on: date, seizures: list[dict[str, Any]]) -> None:
        pass

    def transfer(self, transferred_on: date, suspects: int, prosecutor: str) -> None:
        """Transfer a solved criminal case for prosecution (移送审查起诉)."""
        self._require("transfer")
        if self.category is not CaseCategory.CRIMINAL:
            raise RuleViolation("only a criminal case is transferred for prosecution")
        if suspects < 1:
            raise RuleViolation("at least one suspect is transferred")
        if self.solved_on is not None and transferred_on < self.solved_on:
            raise RuleViolation("a case cannot be transferred before it was solved")
        self._transferred(transferred_on=transferred_on, suspects=suspects, prosecutor=prosecutor)

    @event(Transferred)
    def _transferred(self, transferred_on: date, suspects: int, prosecutor: str) -> None:
        self.status = S.TRANSFERRED

    def close(self, closed_on: date) -> None:
        """Close the case (结案)."""
        self._require("close")
        if self.solved_on is not None and closed_on < self.solved_on:
            raise RuleViolation("a case cannot be closed before it was solved")
        self._closed(closed_on=closed_on)

    @event(Closed)
    def _closed(self, closed_on: date) -> None:
        self.status = S.CLOSED

    def _not_before_registration(self, day: date) -> None:
        if day < self.registered_on:
            raise RuleViolation("a fact of a case cannot be dated before its registration")
