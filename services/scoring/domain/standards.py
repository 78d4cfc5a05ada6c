"""Creation standards (创建标准) and the verdict an assessment gets under one of them.

A standard is data, versioned (`id` and `version`), for one title and the unit kinds it may
be conferred on: criteria with maximum points, deduction rules, veto items (一票否决), the
pass threshold, the household-survey bars and how a survey share is judged, the
re-inspection schedule (复查), the notice period (公示) and the bar period before a failed or
stripped unit may apply again.

**Survey shares.** A share of households that feel safe (安全感) or are satisfied (满意度)
is judged either as measured (`point`) or by the lower bound of its 95% Wilson score interval
(`wilson`): with the bound, 18 of 20 households (90%) do not clear a 90% bar (the bound is
69.9%), and neither do 95 of 100 (88.8%), where 97 of 100 do (91.5%). A standard that asks for
a survey also names the smallest sample it accepts.

**Consultation.** Where a standard asks for them, the assessment also brings a public-opinion
evaluation (民意测评: how many took part, how many are in favour; the share judged like a survey
share, against its own bar) and a residents' or villagers' representative meeting (村(居)民代表会议:
held on, representatives, attending, votes for). The meeting passes when its attendance reaches
the standard's quorum and its votes for exceed the standard's majority of those attending,
counted in exact fractions. The shipped rules are the laws': a villagers' representative meeting
is held with two thirds of its members and decides by more than half of those attending (村民委员会
组织法); a residents' meeting is held with more than half and decides by more than half of those
attending (城市居民委员会组织法).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction

from pingan.write.domain import Label, RuleViolation
from scoring.domain.kinds import UnitKind

#: The normal quantile of a two-sided 95% interval.
Z_95 = 1.959963984540054


class Verdict(StrEnum):
    PASS = "pass"  # noqa: S105 (达标)
    FAIL = "fail"  # 未达标
    VETOED = "vetoed"  # 一票否决


class ShareRule(StrEnum):
    POINT = "point"
    WILSON = "wilson"


class Cause(StrEnum):
    """What strips a title (摘牌制): the source's 重大治安案件, 安全生产事故, 群体性事件."""

    MAJOR_CASE = "major_case"
    SAFETY_ACCIDENT = "safety_accident"
    MASS_INCIDENT = "mass_incident"


class VetoScope(StrEnum):
    UNIT = "unit"  # in the unit itself
    AREA = "area"  # anywhere in the unit's area: the units it contains


def wilson_lower_bound(successes: int, n: int, z: float = Z_95) -> float:
    """The lower end of the Wilson score interval of `successes` out of `n`."""
    if n <= 0:
        raise RuleViolation("a survey has at least one household")
    if not 0 <= successes <= n:
        raise RuleViolation("a survey count lies between 0 and the sample size")
    p = successes / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return (centre - spread) / (1 + z2 / n)


@dataclass(frozen=True)
class Criterion:
    code: str
    label: Label
    max_points: int


@dataclass(frozen=True)
class Deduction:
    code: str
    label: Label
    points: int


@dataclass(frozen=True)
class Veto:
    code: str
    label: Label
    #: Upstream causes that make this veto strike a named unit's title by themselves.
    causes: frozenset[Cause] = frozenset()
    scope: VetoScope = VetoScope.UNIT


@dataclass(frozen=True)
class SurveyRule:
    min_sample: int
    security_min: float
    satisfaction_min: float
    rule: ShareRule

    def share(self, successes: int, n: int) -> float:
        if self.rule is ShareRule.WILSON:
            return wilson_lower_bound(successes, n)
        if n <= 0:
            raise RuleViolation("a survey has at least one household")
        return successes / n


@dataclass(frozen=True)
class OpinionRule:
    """民意测评: the smallest number taking part and the bar of the share in favour."""

    min_respondents: int
    favour_min: float
    rule: ShareRule

    def share(self, in_favour: int, respondents: int) -> float:
        return SurveyRule(self.min_respondents, 0, 0, self.rule).share(in_favour, respondents)


@dataclass(frozen=True)
class MeetingRule:
    """代表会议: held with at least `quorum` of the representatives attending (more than it,
    with `quorum_exceeded`), and passed by more than `majority` of those attending."""

    quorum: Fraction
    majority: Fraction
    quorum_exceeded: bool = False

    def passes(self, meeting: Meeting) -> bool:
        attending = Fraction(meeting.attending)
        needed = self.quorum * meeting.representatives
        held = attending > needed if self.quorum_exceeded else attending >= needed
        return held and meeting.votes_for > self.majority * attending


@dataclass(frozen=True)
class Level:
    """A level of the title (升级达标): its name and the points it asks."""

    label: Label
    pass_points: int


@dataclass(frozen=True)
class Standard:
    id: str
    version: int
    title: Label
    kinds: frozenset[UnitKind]
    pass_points: int
    criteria: tuple[Criterion, ...]
    deductions: tuple[Deduction, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    survey: SurveyRule | None = None
    opinion: OpinionRule | None = None
    meeting: MeetingRule | None = None
    levels: tuple[Level, ...] = ()
    reinspect_months: int = 12
    notice_days: int = 7
    bar_months: int = 12
    source: str = ""
    _index: Mapping[str, Criterion] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {c.code: c for c in self.criteria})

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def max_points(self) -> int:
        return sum(c.max_points for c in self.criteria)

    def strips_on(self, cause: Cause, scope: VetoScope) -> bool:
        """Whether a `cause` in the unit (scope unit) or in an area it contains (scope area)
        vetoes this title."""
        return any(
            cause in v.causes and (v.scope is VetoScope.AREA or scope is VetoScope.UNIT)
            for v in self.vetoes
        )

    def pass_points_at(self, level: int) -> int:
        """The points the title asks at `level` (1 unless the standard has levels)."""
        if not self.levels:
            return self.pass_points
        return self.levels[level - 1].pass_points

    def judge(self, assessment: Scores, level: int = 1) -> Judgement:
        """Score the assessment by this standard at `level`: vetoed before all else, then the
        points, the survey bars and the consultation of the residents."""
        unknown = sorted(set(assessment.scores) - set(self._index))
        if unknown:
            raise RuleViolation(f"no such criterion in {self.ref}: {', '.join(unknown)}")
        missing = sorted(set(self._index) - set(assessment.scores))
        if missing:
            raise RuleViolation(f"the assessment leaves out: {', '.join(missing)}")
        for code, points in assessment.scores.items():
            if not 0 <= points <= self._index[code].max_points:
                raise RuleViolation(
                    f"{code} scores between 0 and {self._index[code].max_points} points"
                )
        deduction_index = {d.code: d for d in self.deductions}
        deducted = 0
        for code, times in assessment.deductions.items():
            if code not in deduction_index:
                raise RuleViolation(f"no such deduction in {self.ref}: {code}")
            if times < 1:
                raise RuleViolation("a deduction applies at least once")
            deducted += deduction_index[code].points * times
        veto_codes = {v.code for v in self.vetoes}
        strange = sorted(set(assessment.vetoes) - veto_codes)
        if strange:
            raise RuleViolation(f"no such veto item in {self.ref}: {', '.join(strange)}")
        total = max(0, sum(assessment.scores.values()) - deducted)
        reasons: list[str] = []
        security = satisfaction = None
        if self.survey is not None:
            survey = assessment.survey
            if survey is None:
                raise RuleViolation(f"{self.ref} asks for a household survey (入户调查)")
            if survey.households < self.survey.min_sample:
                raise RuleViolation(
                    f"the survey asked {survey.households} households; "
                    f"{self.ref} asks at least {self.survey.min_sample}"
                )
            security = self.survey.share(survey.feel_safe, survey.households)
            satisfaction = self.survey.share(survey.satisfied, survey.households)
            if security < self.survey.security_min:
                reasons.append("security")
            if satisfaction < self.survey.satisfaction_min:
                reasons.append("satisfaction")
        opinion_share = self._judge_opinion(assessment.opinion, reasons)
        self._judge_meeting(assessment.meeting, reasons)
        if total < self.pass_points_at(level):
            reasons.insert(0, "points")
        if assessment.vetoes:
            verdict = Verdict.VETOED
        elif reasons:
            verdict = Verdict.FAIL
        else:
            verdict = Verdict.PASS
        return Judgement(
            verdict, total, deducted, security, satisfaction, tuple(reasons), opinion_share
        )

    def _judge_opinion(self, opinion: Opinion | None, reasons: list[str]) -> float | None:
        if self.opinion is None:
            if opinion is not None:
                raise RuleViolation(f"{self.ref} asks for no public-opinion evaluation (民意测评)")
            return None
        if opinion is None:
            raise RuleViolation(f"{self.ref} asks for a public-opinion evaluation (民意测评)")
        if opinion.respondents < self.opinion.min_respondents:
            raise RuleViolation(
                f"the evaluation had {opinion.respondents} taking part; "
                f"{self.ref} asks at least {self.opinion.min_respondents}"
            )
        share = self.opinion.share(opinion.in_favour, opinion.respondents)
        if share < self.opinion.favour_min:
            reasons.append("opinion")
        return share

    def _judge_meeting(self, meeting: Meeting | None, reasons: list[str]) -> None:
        if self.meeting is None:
            if meeting is not None:
                raise RuleViolation(f"{self.ref} asks for no representative meeting (代表会议)")
            return
        if meeting is None:
            raise RuleViolation(f"{self.ref} asks for a representative meeting (代表会议)")
        if not self.meeting.passes(meeting):
            reasons.append("meeting")


@dataclass(frozen=True)
class Survey:
    """A household survey (入户调查): how many households were asked, how many feel safe
    and how many are satisfied with the work."""

    households: int
    feel_safe: int
    satisfied: int


@dataclass(frozen=True)
class Opinion:
    """A public-opinion evaluation (民意测评): how many took part, how many are in favour."""

    respondents: int
    in_favour: int

    def __post_init__(self) -> None:
        if not 0 <= self.in_favour <= self.respondents:
            raise RuleViolation("those in favour number between 0 and those taking part")


@dataclass(frozen=True)
class Meeting:
    """A residents' or villagers' representative meeting (村(居)民代表会议) on the result."""

    held_on: date
    representatives: int
    attending: int
    votes_for: int

    def __post_init__(self) -> None:
        if not 0 < self.representatives:
            raise RuleViolation("a representative meeting has at least one representative")
        if not 0 <= self.votes_for <= self.attending <= self.representatives:
            raise RuleViolation(
                "votes for are at most those attending, and those attending at most the "
                "representatives"
            )


@dataclass(frozen=True)
class Scores:
    scores: Mapping[str, int]
    deductions: Mapping[str, int] = field(default_factory=dict)
    vetoes: tuple[str, ...] = ()
    survey: Survey | None = None
    opinion: Opinion | None = None
    meeting: Meeting | None = None


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    points: int
    deducted: int
    security_share: float | None
    satisfaction_share: float | None
    #: Which bars it missed: points, security, satisfaction, opinion, meeting.
    missed: tuple[str, ...]
    opinion_share: float | None = None
