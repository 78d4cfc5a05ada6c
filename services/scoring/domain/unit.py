"""The Unit aggregate: a creation unit (创建单位) and the life of its safe-unit title.

registered → applied (申报) → assessed (考评, the verdict computed by the standard) → under
public notice (公示, objections may be lodged) → named (命名, conferred by the district office)
or failed; a named unit is visited (跟踪回访) and re-inspected (复查) on its standard's schedule
and loses its title when it fails one, when the district office revokes it, or when an
incident strips it (摘牌制). A failed or stripped unit may apply again only after the
standard's bar period. A named unit may be assessed for a higher level of its standard
(升级达标) and keeps its title meanwhile, whatever the verdict.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.domain import Aggregate, event

from pingan.write.business_time import Fact, FirstFact
from pingan.write.domain import Label, RuleViolation, StateMachine, Transitions
from scoring.domain.calendar import days_after, months_after
from scoring.domain.corrections import Correction, LostTitle, RestorationGrounds
from scoring.domain.kinds import UnitKind
from scoring.domain.standards import (
    Cause,
    Judgement,
    Meeting,
    Opinion,
    Standard,
    Survey,
    Verdict,
)


class UnitStatus(StrEnum):
    REGISTERED = "registered"  # 已登记
    APPLIED = "applied"  # 已申报
    ASSESSED = "assessed"  # 考评达标
    IN_NOTICE = "in_notice"  # 公示中
    NAMED = "named"  # 已命名
    FAILED = "failed"  # 未达标
    REVOKED = "revoked"  # 已摘牌


class FollowUpForm(StrEnum):
    """The forms of a follow-up visit the source names: 采取入户调查、民意测评、召开村(居)民代表会
    等形式."""

    HOUSEHOLD_SURVEY = "household_survey"  # 入户调查
    OPINION_POLL = "opinion_poll"  # 民意测评
    REPRESENTATIVE_MEETING = "representative_meeting"  # 召开村(居)民代表会
    VISIT = "visit"  # 走访


class RevocationKind(StrEnum):
    INCIDENT = "incident"  # 摘牌制: a case, accident or mass incident
    REINSPECTION = "reinspection"  # 复查未通过
    DECISION = "decision"  # 区综治办决定


S = UnitStatus
TRANSITIONS = Transitions(
    "creation unit",
    Label("创建单位", "creation unit"),
    {
        S.REGISTERED: Label("已登记", "registered"),
        S.APPLIED: Label("已申报", "applied"),
        S.ASSESSED: Label("考评达标", "assessed"),
        S.IN_NOTICE: Label("公示中", "under public notice"),
        S.NAMED: Label("已命名", "named"),
        S.FAILED: Label("未达标", "failed"),
        S.REVOKED: Label("已摘牌", "title revoked"),
    },
    apply_for=("/applications", Label("申报创建", "apply"), (S.REGISTERED, S.FAILED, S.REVOKED)),
    assess=("/assessments", Label("考评", "assess"), (S.APPLIED,)),
    upgrade=("/upgrades", Label("升级达标考评", "assess for a higher level"), (S.NAMED,)),
    follow_up=("/follow-ups", Label("跟踪回访", "follow up"), (S.NAMED,)),
    publicise=("/notice", Label("公示", "give public notice"), (S.ASSESSED,)),
    lodge_objection=("/objections", Label("提出异议", "lodge an objection"), (S.IN_NOTICE,)),
    settle_objection=(
        "/objections/settlement",
        Label("处理异议", "settle an objection"),
        (S.IN_NOTICE,),
    ),
    confer=("/naming", Label("命名", "confer the title"), (S.IN_NOTICE,)),
    reinspect=("/reinspections", Label("复查", "re-inspect"), (S.NAMED,)),
    revoke=("/revocation", Label("摘牌", "revoke the title"), (S.NAMED,)),
    lodge_appeal=("/appeals", Label("提出申诉", "lodge an appeal"), (S.REVOKED,)),
    decide_appeal=("/appeals/decision", Label("申诉裁决", "decide an appeal"), (S.REVOKED,)),
    restore=("/restoration", Label("恢复命名", "restore the title"), (S.REVOKED,)),
)


def area_unit_id(township: str, village: str | None) -> UUID:
    """The id of the unit that stands for a township, or for a village of it (canonical
    names): an upstream event's township and village name it, and nothing else does."""
    place = township if village is None else f"{township}/{village}"
    return uuid5(NAMESPACE_URL, f"pingan:scoring:area:{place}")


class Unit(StateMachine, Aggregate):
    transitions = TRANSITIONS

    class Registered(FirstFact):
        kind: str
        name: str
        township: str
        village: str | None
        parent_id: UUID | None
        address: str
        registered_by: str

    class Applied(Fact):
        standard: str
        level: int
        applied_on: date

    class Assessed(Fact):
        """`upgrade` marks an assessment of a named unit for a higher level (升级达标)."""

        class_version = 2

        standard: str
        level: int
        assessed_on: date
        scores: dict[str, int]
        deductions: dict[str, int]
        vetoes: list[str]
        households: int | None
        feel_safe: int | None
        satisfied: int | None
        security_share: float | None
        satisfaction_share: float | None
        points: int
        verdict: str
        missed: list[str]
        assessors: list[str]
        barred_until: date | None
        opinion_respondents: int | None
        opinion_in_favour: int | None
        opinion_share: float | None
        meeting_held_on: date | None
        meeting_representatives: int | None
        meeting_attending: int | None
        meeting_votes_for: int | None
        upgrade: bool

        _CONSULTATION: ClassVar[tuple[str, ...]] = (
            "opinion_respondents",
            "opinion_in_favour",
            "opinion_share",
            "meeting_held_on",
            "meeting_representatives",
            "meeting_attending",
            "meeting_votes_for",
        )

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(dict.fromkeys(Unit.Assessed._CONSULTATION), upgrade=False)

    class Upgraded(Fact):
        """The unit reached a higher level of its standard (升级达标)."""

        standard: str
        title: str
        level: int
        upgraded_on: date
        reinspection_due: date

    class FollowedUp(Fact):
        """A follow-up visit (跟踪回访) of a named unit, and what it found."""

        number: int
        visited_on: date
        form: str
        findings: str
        visitors: list[str]
        households: int | None
        feel_safe: int | None
        satisfied: int | None
        respondents: int | None
        in_favour: int | None
        meeting_held_on: date | None
        representatives: int | None
        attending: int | None
        votes_for: int | None

    class Publicised(Fact):
        starts_on: date
        ends_on: date

    class ObjectionLodged(Fact):
        number: int
        lodged_on: date
        objection: str

    class ObjectionSettled(Fact):
        number: int
        upheld: bool
        reason: str
        settled_on: date
        barred_until: date | None

    class Named(Fact):
        standard: str
        title: str
        level: int
        named_on: date
        reinspection_due: date

    class Reinspected(Fact):
        passed: bool
        inspected_on: date
        findings: str
        reinspection_due: date | None

    class IncidentRecorded(Fact):
        incident_id: UUID
        cause: str
        happened_on: date
        upstream_type: str
        upstream_event_id: str

    class TitleRevoked(Fact):
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

    @classmethod
    def register(
        cls,
        *,
        kind: UnitKind,
        name: str,
        township: str,
        village: str | None,
        parent: Unit | None,
        address: str,
        registered_by: str,
        parent_kinds: frozenset[UnitKind],
    ) -> Unit:
        if parent_kinds and parent is None:
            raise RuleViolation(f"a {kind.value} unit lies within a unit of its area")
        if parent is not None:
            parent_kind = UnitKind(parent.kind)
            if parent_kind not in parent_kinds:
                raise RuleViolation(f"a {kind.value} unit cannot lie within a {parent_kind.value}")
            if parent.township != township and parent_kind is not UnitKind.DISTRICT:
                raise RuleViolation("a unit lies in the township of the unit that contains it")
            if parent.village is not None and parent.village != village:
                raise RuleViolation("a unit lies in the village of the unit that contains it")
        return cls(
            kind=kind.value,
            name=name,
            township=township,
            village=village,
            parent_id=None if parent is None else parent.id,
            address=address,
            registered_by=registered_by,
        )

    @event(Registered)
    def __init__(
        self,
        kind: str,
        name: str,
        township: str,
        village: str | None,
        parent_id: UUID | None,
        address: str,
        registered_by: str,
    ) -> None:
        self.kind = kind
        self.name = name
        self.township = township
        self.village = village
        self.parent_id = parent_id
        self.status = S.REGISTERED
        self.standard: str | None = None
        self.title: str | None = None
        self.level = 0
        self.notice_ends: date | None = None
        self.open_objections: set[int] = set()
        self.objections = 0
        self.barred_until: date | None = None
        self.incidents: list[UUID] = []
        self.recorded: dict[UUID, tuple[str, date]] = {}
        self.named_on: date | None = None
        self.lost: LostTitle | None = None
        self.restorable = False
        self.appeals = 0
        self.open_appeal: int | None = None
        self.appealed = False
        self.follow_ups = 0
        self.upgrade_barred_until: date | None = None
        self.reinspection_due: date | None = None

    @staticmethod
    def create_id(kind: str, township: str, village: str | None, name: str, **_: Any) -> UUID:
        if kind == "district":
            return area_unit_id(township, None)
        if kind in ("street", "township"):
            return area_unit_id(township, None)
        if kind in ("community", "village"):
            return area_unit_id(township, village)
        # Two families or firms of one name in one village are two units.
        return uuid4()

    def apply_for(self, standard: Standard, level: int, applied_on: date) -> None:
        """Apply (申报) for the title of `standard` at `level` (1 unless it has levels)."""
        self._require("apply_for")
        if UnitKind(self.kind) not in standard.kinds:
            raise RuleViolation(f"{standard.ref} is not a standard for a {self.kind} unit")
        if not 1 <= level <= max(1, len(standard.levels)):
            raise RuleViolation(f"{standard.ref} has no level {level}")
        if self.barred_until is not None and applied_on < self.barred_until:
            raise RuleViolation(
                f"the unit may apply again from {self.barred_until.isoformat()} (bar period)"
            )
        self._applied(standard=standard.ref, level=level, applied_on=applied_on)

    @event(Applied)
    def _applied(self, standard: str, level: int, applied_on: date) -> None:
        self.standard = standard
        self.applying_level = level
        self.status = S.APPLIED

    def assess(
        self,
        standard: Standard,
        judgement: Judgement,
        *,
        assessed_on: date,
        scores: dict[str, int],
        deductions: dict[str, int],
        vetoes: list[str],
        survey: tuple[int, int, int] | None,
        assessors: list[str],
        opinion: Opinion | None = None,
        meeting: Meeting | None = None,
    ) -> None:
        """Record the assessment made against the applied standard, and its verdict."""
        self._require("assess")
        if standard.ref != self.standard:
            raise RuleViolation(f"the unit applied under {self.standard}, not {standard.ref}")
        failed = judgement.verdict is not Verdict.PASS
        self._assessed(
            **self._assessment(
                standard,
                judgement,
                self.applying_level,
                assessed_on=assessed_on,
                scores=scores,
                deductions=deductions,
                vetoes=vetoes,
                survey=survey,
                assessors=assessors,
                opinion=opinion,
                meeting=meeting,
            ),
            barred_until=months_after(assessed_on, standard.bar_months) if failed else None,
            upgrade=False,
        )

    def upgrade(
        self,
        standard: Standard,
        judgement: Judgement,
        level: int,
        *,
        assessed_on: date,
        scores: dict[str, int],
        deductions: dict[str, int],
        vetoes: list[str],
        survey: tuple[int, int, int] | None,
        assessors: list[str],
        opinion: Opinion | None = None,
        meeting: Meeting | None = None,
    ) -> None:
        """Assess the named unit for a higher `level` of its standard (升级达标), under the
        standard's current version: a pass raises the level and starts a new re-inspection
        cycle; a fail or a veto keeps the title and level, and bars another upgrade for the
        bar period."""
        self._require("upgrade")
        held = (self.standard or "").partition("@")[0]
        if standard.id != held:
            raise RuleViolation(f"the unit holds a title of {held}, not of {standard.id}")
        if not standard.levels:
            raise RuleViolation(f"{standard.ref} has no levels to upgrade to")
        if not self.level < level <= len(standard.levels):
            raise RuleViolation(
                f"the unit holds level {self.level}; {standard.ref} has levels up to "
                f"{len(standard.levels)}"
            )
        barred = self.upgrade_barred_until
        if barred is not None and assessed_on < barred:
            raise RuleViolation(
                f"the unit may be assessed for an upgrade from {barred.isoformat()}"
            )
        passed = judgement.verdict is Verdict.PASS
        self._assessed(
            **self._assessment(
                standard,
                judgement,
                level,
                assessed_on=assessed_on,
                scores=scores,
                deductions=deductions,
                vetoes=vetoes,
                survey=survey,
                assessors=assessors,
                opinion=opinion,
                meeting=meeting,
            ),
            barred_until=None if passed else months_after(assessed_on, standard.bar_months),
            upgrade=True,
        )
        if passed:
            self._upgraded(
                standard=standard.ref,
                title=self.title or standard.title.zh,
                level=level,
                upgraded_on=assessed_on,
                reinspection_due=months_after(assessed_on, standard.reinspect_months),
            )

    @event(Upgraded)
    def _upgraded(
        self, standard: str, title: str, level: int, upgraded_on: date, reinspection_due: date
    ) -> None:
        self.standard = standard
        self.level = level
        self.reinspection_due = reinspection_due
        self.upgrade_barred_until = None

    @staticmethod
    def _assessment(
        standard: Standard,
        judgement: Judgement,
        level: int,
        *,
        assessed_on: date,
        scores: dict[str, int],
        deductions: dict[str, int],
        vetoes: list[str],
        survey: tuple[int, int, int] | None,
        assessors: list[str],
        opinion: Opinion | None,
        meeting: Meeting | None,
    ) -> dict[str, Any]:
        if meeting is not None and meeting.held_on > assessed_on:
            raise RuleViolation("the representative meeting is held no later than the assessment")
        households, feel_safe, satisfied = survey if survey is not None else (None, None, None)
        return dict(
            standard=standard.ref,
            level=level,
            assessed_on=assessed_on,
            scores=scores,
            deductions=deductions,
            vetoes=vetoes,
            households=households,
            feel_safe=feel_safe,
            satisfied=satisfied,
            security_share=judgement.security_share,
            satisfaction_share=judgement.satisfaction_share,
            points=judgement.points,
            verdict=judgement.verdict.value,
            missed=list(judgement.missed),
            assessors=assessors,
            opinion_respondents=None if opinion is None else opinion.respondents,
            opinion_in_favour=None if opinion is None else opinion.in_favour,
            opinion_share=judgement.opinion_share,
            meeting_held_on=None if meeting is None else meeting.held_on,
            meeting_representatives=None if meeting is None else meeting.representatives,
            meeting_attending=None if meeting is None else meeting.attending,
            meeting_votes_for=None if meeting is None else meeting.votes_for,
        )

    @event(Assessed)
    def _assessed(
        self,
        standard: str,
        level: int,
        assessed_on: date,
        scores: dict[str, int],
        deductions: dict[str, int],
        vetoes: list[str],
        households: int | None,
        feel_safe: int | None,
        satisfied: int | None,
        security_share: float | None,
        satisfaction_share: float | None,
        points: int,
        verdict: str,
        missed: list[str],
        assessors: list[str],
        barred_until: date | None,
        opinion_respondents: int | None,
        opinion_in_favour: int | None,
        opinion_share: float | None,
        meeting_held_on: date | None,
        meeting_representatives: int | None,
        meeting_attending: int | None,
        meeting_votes_for: int | None,
        upgrade: bool,
    ) -> None:
        if upgrade:
            # The title and its points stand until the upgrade passes (Upgraded).
            self.upgrade_barred_until = barred_until
            return
        self.points = points
        if verdict == Verdict.PASS:
            self.status = S.ASSESSED
        else:
            self.status = S.FAILED
            self.barred_until = barred_until

    def publicise(self, standard: Standard, starts_on: date) -> None:
        """Put the result under public notice (公示) for the standard's notice period."""
        self._require("publicise")
        self._publicised(starts_on=starts_on, ends_on=days_after(starts_on, standard.notice_days))

    @event(Publicised)
    def _publicised(self, starts_on: date, ends_on: date) -> None:
        self.notice_ends = ends_on
        self.status = S.IN_NOTICE

    def lodge_objection(self, objection: str, lodged_on: date) -> None:
        self._require("lodge_objection")
        if self.notice_ends is not None and lodged_on > self.notice_ends:
            raise RuleViolation("the notice period is over")
        self._objection_lodged(number=self.objections + 1, lodged_on=lodged_on, objection=objection)

    @event(ObjectionLodged)
    def _objection_lodged(self, number: int, lodged_on: date, objection: str) -> None:
        self.objections = number
        self.open_objections.add(number)

    def settle_objection(
        self, standard: Standard, number: int, upheld: bool, reason: str, settled_on: date
    ) -> None:
        """Settle an objection: one upheld fails the unit (with the bar period)."""
        self._require("settle_objection")
        if number not in self.open_objections:
            raise RuleViolation(f"there is no open objection {number}")
        self._objection_settled(
            number=number,
            upheld=upheld,
            reason=reason,
            settled_on=settled_on,
            barred_until=months_after(settled_on, standard.bar_months) if upheld else None,
        )

    @event(ObjectionSettled)
    def _objection_settled(
        self, number: int, upheld: bool, reason: str, settled_on: date, barred_until: date | None
    ) -> None:
        self.open_objections.discard(number)
        if upheld:
            self.status = S.FAILED
            self.barred_until = barred_until

    def confer(self, standard: Standard, named_on: date) -> None:
        """The district office confers the title (命名) once the notice period is over and
        every objection is settled."""
        self._require("confer")
        if self.notice_ends is not None and named_on <= self.notice_ends:
            raise RuleViolation(f"the public notice runs until {self.notice_ends.isoformat()}")
        if self.open_objections:
            raise RuleViolation("an objection to the result is not settled")
        self._named(
            standard=standard.ref,
            title=standard.title.zh,
            level=self.applying_level,
            named_on=named_on,
            reinspection_due=months_after(named_on, standard.reinspect_months),
        )

    @event(Named)
    def _named(
        self, standard: str, title: str, level: int, named_on: date, reinspection_due: date
    ) -> None:
        self.named_on = named_on
        self.title = title
        self.level = level
        self.reinspection_due = reinspection_due
        self.status = S.NAMED
        self.upgrade_barred_until = None

    def reinspect(
        self, standard: Standard, passed: bool, inspected_on: date, findings: str
    ) -> None:
        """Re-inspect the named unit (复查): a pass keeps the title until the next one is
        due; a fail revokes it."""
        self._require("reinspect")
        due = months_after(inspected_on, standard.reinspect_months) if passed else None
        self._reinspected(
            passed=passed, inspected_on=inspected_on, findings=findings, reinspection_due=due
        )
        if not passed:
            self._revoke(
                standard,
                revoked_on=inspected_on,
                revocation=RevocationKind.REINSPECTION,
                reason=findings,
            )

    @event(Reinspected)
    def _reinspected(
        self, passed: bool, inspected_on: date, findings: str, reinspection_due: date | None
    ) -> None:
        self.reinspection_due = reinspection_due

    def follow_up(
        self,
        form: FollowUpForm,
        visited_on: date,
        findings: str,
        visitors: list[str],
        *,
        survey: Survey | None = None,
        opinion: Opinion | None = None,
        meeting: Meeting | None = None,
    ) -> None:
        """Record a follow-up visit (跟踪回访) of the named unit: its form, findings and, for a
        survey, an evaluation or a meeting, the figures it gathered."""
        self._require("follow_up")
        needed = {
            FollowUpForm.HOUSEHOLD_SURVEY: ("survey", survey),
            FollowUpForm.OPINION_POLL: ("opinion", opinion),
            FollowUpForm.REPRESENTATIVE_MEETING: ("meeting", meeting),
        }.get(form)
        if needed is not None and needed[1] is None:
            raise RuleViolation(f"a {form.value} follow-up gives its {needed[0]} figures")
        if meeting is not None and meeting.held_on > visited_on:
            raise RuleViolation("the representative meeting is held no later than the visit")
        self._followed_up(
            number=self.follow_ups + 1,
            visited_on=visited_on,
            form=form.value,
            findings=findings,
            visitors=visitors,
            households=None if survey is None else survey.households,
            feel_safe=None if survey is None else survey.feel_safe,
            satisfied=None if survey is None else survey.satisfied,
            respondents=None if opinion is None else opinion.respondents,
            in_favour=None if opinion is None else opinion.in_favour,
            meeting_held_on=None if meeting is None else meeting.held_on,
            representatives=None if meeting is None else meeting.representatives,
            attending=None if meeting is None else meeting.attending,
            votes_for=None if meeting is None else meeting.votes_for,
        )

    @event(FollowedUp)
    def _followed_up(
        self,
        number: int,
        visited_on: date,
        form: str,
        findings: str,
        visitors: list[str],
        households: int | None,
        feel_safe: int | None,
        satisfied: int | None,
        respondents: int | None,
        in_favour: int | None,
        meeting_held_on: date | None,
        representatives: int | None,
        attending: int | None,
        votes_for: int | None,
    ) -> None:
        self.follow_ups = number

    def revoke(self, standard: Standard, revoked_on: date, reason: str) -> None:
        """The district office revokes the title (摘牌)."""
        self._require("revoke")
        self._revoke(
            standard, revoked_on=revoked_on, revocation=RevocationKind.DECISION, reason=reason
        )

    def record_incident(
        self,
        incident_id: UUID,
        cause: Cause,
        happened_on: date,
        upstream_type: str,
        upstream_event_id: str,
    ) -> bool:
        """Keep on the unit an incident that strips a title, titled or not: it weighs on the
        unit's next assessment (`vetoes_due`). False when it is already kept."""
        if incident_id in self.recorded:
            return False
        self._incident_recorded(
            incident_id=incident_id,
            cause=cause.value,
            happened_on=happened_on,
            upstream_type=upstream_type,
            upstream_event_id=upstream_event_id,
        )
        return True

    @event(IncidentRecorded)
    def _incident_recorded(
        self,
        incident_id: UUID,
        cause: str,
        happened_on: date,
        upstream_type: str,
        upstream_event_id: str,
    ) -> None:
        self.recorded[incident_id] = (cause, happened_on)

    def vetoes_due(self, standard: Standard, assessed_on: date) -> list[str]:
        """The veto items of `standard` that incidents kept on the unit strike: those that
        happened within the standard's bar period before the assessment."""
        since = months_after(assessed_on, -standard.bar_months)
        causes = {
            Cause(cause)
            for cause, happened_on in self.recorded.values()
            if since <= happened_on <= assessed_on
        }
        return [v.code for v in standard.vetoes if v.causes & causes]

    def strip(
        self,
        standard: Standard,
        *,
        revoked_on: date,
        reason: str,
        cause: str,
        cause_event_type: str,
        cause_event_id: str,
        incident_id: UUID,
    ) -> bool:
        """An incident strips the title (摘牌制), once per incident; False when there was no
        title to strip or this incident already stripped it."""
        if self.status is not S.NAMED or incident_id in self.incidents:
            return False
        self._revoke(
            standard,
            revoked_on=revoked_on,
            revocation=RevocationKind.INCIDENT,
            reason=reason,
            cause=cause,
            cause_event_type=cause_event_type,
            cause_event_id=cause_event_id,
            incident_id=incident_id,
        )
        return True

    def _revoke(
        self,
        standard: Standard,
        *,
        revoked_on: date,
        revocation: RevocationKind,
        reason: str,
        cause: str | None = None,
        cause_event_type: str | None = None,
        cause_event_id: str | None = None,
        incident_id: UUID | None = None,
    ) -> None:
        self._title_revoked(
            title=self.title or standard.title.zh,
            standard=standard.ref,
            revoked_on=revoked_on,
            revocation=revocation.value,
            reason=reason,
            cause=cause,
            cause_event_type=cause_event_type,
            cause_event_id=cause_event_id,
            incident_id=incident_id,
            barred_until=months_after(revoked_on, standard.bar_months),
        )

    @event(TitleRevoked)
    def _title_revoked(
        self,
        title: str,
        standard: str,
        revoked_on: date,
        revocation: str,
        reason: str,
        cause: str | None,
        cause_event_type: str | None,
        cause_event_id: str | None,
        incident_id: UUID | None,
        barred_until: date,
    ) -> None:
        self.lost = LostTitle(
            title=title,
            standard=standard,
            level=self.level,
            named_on=self.named_on,
            reinspection_due=self.reinspection_due,
            incident_id=incident_id,
            revoked_on=revoked_on,
        )
        self.restorable = False
        self.appealed = False
        self.status = S.REVOKED
        self.title = None
        self.level = 0
        self.reinspection_due = None
        self.barred_until = barred_until
        if incident_id is not None:
            self.incidents.append(incident_id)

    class IncidentCorrected(Fact):
        incident_id: UUID
        correction: str
        corrected_on: date
        reason: str
        upstream_type: str
        upstream_event_id: str
        restorable: bool

    class AppealLodged(Fact):
        number: int
        lodged_on: date
        reason: str

    class AppealDecided(Fact):
        number: int
        upheld: bool
        reason: str
        decided_on: date

    class TitleRestored(Fact):
        title: str
        standard: str
        level: int
        named_on: date | None
        reinspection_due: date
        restored_on: date
        grounds: str
        reason: str
        incident_id: UUID | None
        appeal: int | None

    def correct_incident(
        self,
        incident_id: UUID,
        correction: Correction,
        *,
        corrected_on: date,
        reason: str,
        upstream_type: str,
        upstream_event_id: str,
    ) -> bool:
        """An incident kept on the unit, or the one that stripped its title, was corrected
        upstream: it vetoes no assessment any more, and the revocation it caused becomes
        restorable. False when the unit has nothing of it."""
        caused = (
            self.status is S.REVOKED
            and self.lost is not None
            and self.lost.incident_id == incident_id
        )
        if incident_id not in self.recorded and not caused:
            return False
        self._incident_corrected(
            incident_id=incident_id,
            correction=correction.value,
            corrected_on=corrected_on,
            reason=reason,
            upstream_type=upstream_type,
            upstream_event_id=upstream_event_id,
            restorable=caused,
        )
        return True

    @event(IncidentCorrected)
    def _incident_corrected(
        self,
        incident_id: UUID,
        correction: str,
        corrected_on: date,
        reason: str,
        upstream_type: str,
        upstream_event_id: str,
        restorable: bool,
    ) -> None:
        self.recorded.pop(incident_id, None)
        if restorable:
            self.restorable = True

    def lodge_appeal(self, reason: str, lodged_on: date) -> None:
        """The unit appeals (申诉) against the revocation of its title: once per revocation."""
        self._require("lodge_appeal")
        if self.open_appeal is not None:
            raise RuleViolation(f"appeal {self.open_appeal} is not decided yet")
        if self.appealed:
            raise RuleViolation("this revocation was appealed already")
        self._appeal_lodged(number=self.appeals + 1, lodged_on=lodged_on, reason=reason)

    @event(AppealLodged)
    def _appeal_lodged(self, number: int, lodged_on: date, reason: str) -> None:
        self.appeals = number
        self.open_appeal = number
        self.appealed = True

    def decide_appeal(
        self, standard: Standard, number: int, upheld: bool, reason: str, decided_on: date
    ) -> None:
        """The district office decides the appeal: upheld, the title is restored with the
        appeal as its ground; dismissed, the title stays revoked."""
        self._require("decide_appeal")
        if number != self.open_appeal:
            raise RuleViolation(f"there is no open appeal {number}")
        if upheld:
            self._check_restorable_now()
        self._appeal_decided(number=number, upheld=upheld, reason=reason, decided_on=decided_on)
        if upheld:
            self._restore(standard, RestorationGrounds.APPEAL, reason, decided_on, number)

    @event(AppealDecided)
    def _appeal_decided(self, number: int, upheld: bool, reason: str, decided_on: date) -> None:
        self.open_appeal = None

    def restore(self, standard: Standard, reason: str, restored_on: date) -> None:
        """The district office gives back a title whose revocation's cause was corrected
        upstream (撤案, or below the bar)."""
        self._require("restore")
        if not self.restorable:
            raise RuleViolation(
                "the cause of the revocation stands: only a correction or an upheld appeal "
                "restores the title"
            )
        self._check_restorable_now()
        self._restore(standard, RestorationGrounds.CORRECTION, reason, restored_on, None)

    def _check_restorable_now(self) -> None:
        lost = self.lost
        if lost is None:
            raise RuleViolation("the unit has no revoked title to restore")
        since = lost.named_on or date.min
        standing = sorted(
            d for i, (_, d) in self.recorded.items() if d >= since and i != lost.incident_id
        )
        if standing:
            raise RuleViolation(
                f"an incident of {standing[0].isoformat()} since the naming still strips the title"
            )

    def _restore(
        self,
        standard: Standard,
        grounds: RestorationGrounds,
        reason: str,
        restored_on: date,
        appeal: int | None,
    ) -> None:
        lost = self.lost
        if lost is None:
            raise RuleViolation("the unit has no revoked title to restore")
        if restored_on < lost.revoked_on:
            revoked = lost.revoked_on.isoformat()
            raise RuleViolation(f"a title is restored no earlier than its revocation ({revoked})")
        # A failed re-inspection left no due date: the next one is due a full cycle on.
        due = lost.reinspection_due or months_after(restored_on, standard.reinspect_months)
        self._title_restored(
            title=lost.title,
            standard=lost.standard,
            level=lost.level,
            named_on=lost.named_on,
            reinspection_due=due,
            restored_on=restored_on,
            grounds=grounds.value,
            reason=reason,
            incident_id=lost.incident_id,
            appeal=appeal,
        )

    @event(TitleRestored)
    def _title_restored(
        self,
        title: str,
        standard: str,
        level: int,
        named_on: date | None,
        reinspection_due: date,
        restored_on: date,
        grounds: str,
        reason: str,
        incident_id: UUID | None,
        appeal: int | None,
    ) -> None:
        # The bar period belonged to the revocation; with the revocation set right it goes.
        self.status = S.NAMED
        self.title = title
        self.standard = standard
        self.level = level
        self.named_on = named_on
        self.reinspection_due = reinspection_due
        self.barred_until = None
        self.lost = None
        self.restorable = False
        if incident_id is not None:
            # Set right, the incident vetoes nothing; graded up again, it may strip again.
            self.recorded.pop(incident_id, None)
            if incident_id in self.incidents:
                self.incidents.remove(incident_id)
