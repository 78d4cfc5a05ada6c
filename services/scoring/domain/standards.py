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
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

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
    levels: tuple[Label, ...] = ()
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

    def judge(self, assessment: Scores) -> Judgement:
        """Score the assessment by this standard: vetoed before all else, then the points
        and the survey bars."""
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
        if total < self.pass_points:
            reasons.insert(0, "points")
        if assessment.vetoes:
            verdict = Verdict.VETOED
        elif reasons:
            verdict = Verdict.FAIL
        else:
            verdict = Verdict.PASS
        return Judgement(verdict, total, deducted, security, satisfaction, tuple(reasons))


@dataclass(frozen=True)
class Survey:
    """A household survey (入户调查): how many households were asked, how many feel safe
    and how many are satisfied with the work."""

    households: int
    feel_safe: int
    satisfied: int


@dataclass(frozen=True)
class Scores:
    scores: Mapping[str, int]
    deductions: Mapping[str, int] = field(default_factory=dict)
    vetoes: tuple[str, ...] = ()
    survey: Survey | None = None


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    points: int
    deducted: int
    security_share: float | None
    satisfaction_share: float | None
    #: Which bars it missed: points, security, satisfaction.
    missed: tuple[str, ...]
