"""The creation standards (创建标准) the units are assessed by."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from scoring.api.deps import ScoringApp
from scoring.domain.standards import Standard

router = APIRouter(prefix="/standards", tags=["standards"])


class Item(BaseModel):
    code: str
    zh: str
    en: str
    points: int = Field(description="Maximum points of a criterion, or points deducted")


class VetoView(BaseModel):
    code: str
    zh: str
    en: str
    causes: list[str] = Field(description="Upstream incidents that strip the title by it")
    scope: str = Field(description="unit, or area: also incidents in the units it contains")


class SurveyView(BaseModel):
    min_sample: int
    security_min: float
    satisfaction_min: float
    rule: str = Field(description="point, or wilson: judged by the 95% Wilson lower bound")


class OpinionView(BaseModel):
    min_respondents: int
    favour_min: float
    rule: str


class MeetingView(BaseModel):
    quorum: str = Field(description="The share of representatives attending, at least")
    majority: str = Field(description="The share of those attending voting for, more than")
    quorum_exceeded: bool = Field(description="Attendance must exceed the quorum")


class LevelView(BaseModel):
    level: int
    zh: str
    en: str
    pass_points: int


class StandardView(BaseModel):
    ref: str = Field(description="id@version, as assessments record it")
    id: str
    version: int
    title_zh: str
    title_en: str
    kinds: list[str]
    pass_points: int
    max_points: int
    criteria: list[Item]
    deductions: list[Item]
    vetoes: list[VetoView]
    survey: SurveyView | None
    opinion: OpinionView | None = Field(description="民意测评, where the standard asks for one")
    meeting: MeetingView | None = Field(description="代表会议, where the standard asks for one")
    levels: list[str]
    level_points: list[LevelView] = Field(description="The levels (升级达标) and their points")
    reinspect_months: int
    notice_days: int
    bar_months: int
    source: str = Field(description="The source's words the standard follows")


def _view(s: Standard) -> StandardView:
    return StandardView(
        ref=s.ref,
        id=s.id,
        version=s.version,
        title_zh=s.title.zh,
        title_en=s.title.en,
        kinds=sorted(k.value for k in s.kinds),
        pass_points=s.pass_points,
        max_points=s.max_points,
        criteria=[
            Item(code=c.code, zh=c.label.zh, en=c.label.en, points=c.max_points) for c in s.criteria
        ],
        deductions=[
            Item(code=d.code, zh=d.label.zh, en=d.label.en, points=d.points) for d in s.deductions
        ],
        vetoes=[
            VetoView(
                code=v.code,
                zh=v.label.zh,
                en=v.label.en,
                causes=sorted(c.value for c in v.causes),
                scope=v.scope.value,
            )
            for v in s.vetoes
        ],
        survey=None
        if s.survey is None
        else SurveyView(
            min_sample=s.survey.min_sample,
            security_min=s.survey.security_min,
            satisfaction_min=s.survey.satisfaction_min,
            rule=s.survey.rule.value,
        ),
        opinion=None
        if s.opinion is None
        else OpinionView(
            min_respondents=s.opinion.min_respondents,
            favour_min=s.opinion.favour_min,
            rule=s.opinion.rule.value,
        ),
        meeting=None
        if s.meeting is None
        else MeetingView(
            quorum=str(s.meeting.quorum),
            majority=str(s.meeting.majority),
            quorum_exceeded=s.meeting.quorum_exceeded,
        ),
        levels=[level.label.zh for level in s.levels],
        level_points=[
            LevelView(level=i, zh=x.label.zh, en=x.label.en, pass_points=x.pass_points)
            for i, x in enumerate(s.levels, start=1)
        ],
        reinspect_months=s.reinspect_months,
        notice_days=s.notice_days,
        bar_months=s.bar_months,
        source=s.source,
    )


@router.get("")
def list_standards(
    grant: Annotated[Grant, requires(A.SCORING_READ)], app: ScoringApp
) -> list[StandardView]:
    """Every version of every standard, loaded at start."""
    return [_view(s) for s in app.standards.all()]
