"""Rule violations read in plain words in both languages: no identifier of the API or the
code (`especially_major`) and the right English article."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from hazards.application import HazardsApplication
from hazards.domain.accident import AccidentKind, Severity
from hazards.messages import MESSAGES
from pingan.api.messages import PLATFORM
from pingan.api.problems import problem_texts, to_problem
from pingan.write.domain import RuleViolation
from pingan.write.metadata import EventMetadata

CATALOGUE = MESSAGES.over(PLATFORM)


def texts(error: RuleViolation) -> tuple[str, str]:
    problem = to_problem(error)
    chinese = problem_texts(problem, CATALOGUE, "zh-CN")[1]
    english = problem_texts(problem, CATALOGUE, "en")[1]
    assert chinese is not None and english is not None
    return chinese, english


def test_a_grade_below_the_figures_is_refused_in_words(app: HazardsApplication) -> None:
    with pytest.raises(RuleViolation) as refused:
        app.report_accident(
            happened_at=datetime(2026, 5, 18, 6, 30, tzinfo=UTC),
            township="玉泉镇",
            village="莲亭村",
            place="warehouse 2",
            kind=AccidentKind.FIRE,
            severity=Severity.MAJOR,
            deaths=30,
            serious_injuries=0,
            direct_loss_yuan=Decimal(0),
            reported_by="town safety office",
            now=datetime(2026, 5, 20, 1, tzinfo=UTC),
            metadata=EventMetadata(correlation_id="c", causation_id="c", actor="a"),
        )

    chinese, english = texts(refused.value)
    assert english == (
        "30 deaths, 0 serious injuries and a direct loss of 0 yuan make an especially major "
        "accident, not major; the figures set the grade (条例 art. 3)"
    )
    assert chinese == (
        "死亡 30 人、重伤 0 人、直接经济损失 0 元,为特别重大事故,不是重大事故;"
        "事故等级由伤亡和损失确定 (条例第三条)"
    )
    assert not re.search(r"[a-z]+_[a-z]+", english + chinese)
