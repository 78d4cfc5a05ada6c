"""The shipped creation standards, read from `scoring/standards/*.yaml` at start.

Each file is one version of one standard; a later version is a new file with the same `id`
and a higher `version`, and the older one stays, since assessments made against it name it.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from pingan.write.domain import Label, RuleViolation
from scoring.domain.kinds import UnitKind
from scoring.domain.standards import (
    Cause,
    Criterion,
    Deduction,
    Level,
    MeetingRule,
    OpinionRule,
    ShareRule,
    Standard,
    SurveyRule,
    Veto,
    VetoScope,
)

SHIPPED = Path(__file__).resolve().parents[1] / "standards"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LabelEntry(_Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class CriterionEntry(_Strict):
    code: str
    zh: str
    en: str
    max_points: int = Field(gt=0)


class DeductionEntry(_Strict):
    code: str
    zh: str
    en: str
    points: int = Field(gt=0)


class VetoEntry(_Strict):
    code: str
    zh: str
    en: str
    causes: list[Cause] = Field(default_factory=list)
    scope: VetoScope = VetoScope.UNIT


class SurveyEntry(_Strict):
    min_sample: int = Field(gt=0)
    security_min: float = Field(ge=0, le=1)
    satisfaction_min: float = Field(ge=0, le=1)
    rule: ShareRule


class OpinionEntry(_Strict):
    min_respondents: int = Field(gt=0)
    favour_min: float = Field(ge=0, le=1)
    rule: ShareRule


def _fraction(text: str) -> Fraction:
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError) as e:
        raise ValueError(f"{text!r} is not a fraction such as 2/3") from e
    if not 0 <= value <= 1:
        raise ValueError(f"{text} lies outside 0 to 1")
    return value


class MeetingEntry(_Strict):
    quorum: str = Field(description="The share of representatives attending, at least: 2/3")
    majority: str = Field(description="The share of those attending voting for, more than: 1/2")
    quorum_exceeded: bool = Field(
        default=False, description="Attendance must exceed the quorum, not only reach it"
    )

    @model_validator(mode="after")
    def _fractions(self) -> MeetingEntry:
        _fraction(self.quorum)
        _fraction(self.majority)
        return self


class LevelEntry(_Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    pass_points: int | None = Field(default=None, ge=0)


class StandardEntry(_Strict):
    id: str
    version: int = Field(ge=1)
    title: LabelEntry
    kinds: list[UnitKind] = Field(min_length=1)
    source: str = ""
    pass_points: int = Field(ge=0)
    criteria: list[CriterionEntry] = Field(min_length=1)
    deductions: list[DeductionEntry] = Field(default_factory=list)
    vetoes: list[VetoEntry] = Field(default_factory=list)
    survey: SurveyEntry | None = None
    opinion: OpinionEntry | None = None
    meeting: MeetingEntry | None = None
    levels: list[LevelEntry] = Field(default_factory=list)
    reinspect_months: int = Field(gt=0)
    notice_days: int = Field(gt=0)
    bar_months: int = Field(ge=0)

    @model_validator(mode="after")
    def _sound(self) -> StandardEntry:
        codes = [c.code for c in self.criteria]
        if len(set(codes)) != len(codes):
            raise ValueError("a criterion code appears twice")
        if self.pass_points > sum(c.max_points for c in self.criteria):
            raise ValueError("the pass threshold is above the maximum points")
        asked = [x.pass_points or self.pass_points for x in self.levels]
        if asked != sorted(asked) or any(
            p > sum(c.max_points for c in self.criteria) for p in asked
        ):
            raise ValueError("a higher level asks no fewer points, and no more than the maximum")
        return self

    def to_standard(self) -> Standard:
        return Standard(
            id=self.id,
            version=self.version,
            title=Label(self.title.zh, self.title.en),
            kinds=frozenset(self.kinds),
            pass_points=self.pass_points,
            criteria=tuple(
                Criterion(c.code, Label(c.zh, c.en), c.max_points) for c in self.criteria
            ),
            deductions=tuple(
                Deduction(d.code, Label(d.zh, d.en), d.points) for d in self.deductions
            ),
            vetoes=tuple(
                Veto(v.code, Label(v.zh, v.en), frozenset(v.causes), v.scope) for v in self.vetoes
            ),
            survey=None
            if self.survey is None
            else SurveyRule(
                self.survey.min_sample,
                self.survey.security_min,
                self.survey.satisfaction_min,
                self.survey.rule,
            ),
            opinion=None
            if self.opinion is None
            else OpinionRule(
                self.opinion.min_respondents, self.opinion.favour_min, self.opinion.rule
            ),
            meeting=None
            if self.meeting is None
            else MeetingRule(
                _fraction(self.meeting.quorum),
                _fraction(self.meeting.majority),
                self.meeting.quorum_exceeded,
            ),
            levels=tuple(
                Level(Label(x.zh, x.en), x.pass_points or self.pass_points) for x in self.levels
            ),
            reinspect_months=self.reinspect_months,
            notice_days=self.notice_days,
            bar_months=self.bar_months,
            source=self.source,
        )


class UnknownStandard(RuleViolation):
    pass


class Standards:
    """Every version of every standard, by `id@version`."""

    def __init__(self, standards: Iterable[Standard]) -> None:
        self._by_ref: dict[str, Standard] = {}
        for standard in standards:
            if standard.ref in self._by_ref:
                raise ValueError(f"standard {standard.ref} is defined twice")
            self._by_ref[standard.ref] = standard

    def all(self) -> list[Standard]:
        return sorted(self._by_ref.values(), key=lambda s: (s.id, s.version))

    def get(self, ref: str) -> Standard:
        found = self._by_ref.get(ref)
        if found is None:
            raise UnknownStandard(f"unknown standard {ref}")
        return found

    def current(self, standard_id: str) -> Standard:
        """The latest version of the standard: the one a new application is made under."""
        versions = [s for s in self._by_ref.values() if s.id == standard_id]
        if not versions:
            raise UnknownStandard(f"unknown standard {standard_id}")
        return max(versions, key=lambda s: s.version)


def read_standards(directory: Path) -> Standards:
    found = []
    for path in sorted(directory.glob("*.yaml")):
        entry = StandardEntry.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        found.append(entry.to_standard())
    return Standards(found)


@cache
def shipped_standards() -> Standards:
    return read_standards(SHIPPED)
