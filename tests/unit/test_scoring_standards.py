"""The shipped creation standards and the verdicts they compute: pass, fail and veto for each,
and the survey share judged by its Wilson lower bound."""

from __future__ import annotations

from pathlib import Path

import pytest

from pingan.write.domain import RuleViolation
from scoring.application.standards import read_standards, shipped_standards
from scoring.domain.kinds import UnitKind
from scoring.domain.standards import (
    Cause,
    Scores,
    ShareRule,
    Standard,
    Survey,
    SurveyRule,
    Verdict,
    VetoScope,
    wilson_lower_bound,
)

STANDARDS = shipped_standards()
SHIPPED = [
    "community",
    "compound_old",
    "compound_new",
    "village",
    "township",
    "school",
    "enterprise",
    "family",
]


def full_marks(standard: Standard) -> dict[str, int]:
    return {c.code: c.max_points for c in standard.criteria}


def good_survey(standard: Standard) -> Survey | None:
    if standard.survey is None:
        return None
    n = max(standard.survey.min_sample, 100)
    return Survey(households=n, feel_safe=n, satisfied=n)


def test_the_source_standards_are_shipped_with_their_criteria() -> None:
    refs = {s.ref for s in STANDARDS.all()}
    assert {f"{name}@1" for name in SHIPPED} <= refs
    community = STANDARDS.current("community")
    assert [c.label.zh for c in community.criteria] == [
        "一个警务室",
        "一个流动人口管理站",
        "一个矛盾纠纷排查调处中心",
        "一支治安综治员队伍",
    ]
    old = {c.label.zh for c in STANDARDS.current("compound_old").criteria}
    new = {c.label.zh for c in STANDARDS.current("compound_new").criteria}
    five = {
        "一个治安保卫室",
        "一个矛盾纠纷调委会",
        "一支治安看护巡逻队",
        "一个法制宣传栏",
        "一名信息联络员",
    }
    assert five <= old and five <= new
    assert {"门卫", "保安", "楼长、单元长", "义务看楼护院人员"} <= old
    assert "红外线报警装置" in new and "电视闭路监控系统" in new and "门卫" not in new
    village = STANDARDS.current("village")
    assert {"村民议事会", "村务监事会", "村调委会", "村治保会", "护村联防队伍", "四议工作法"} <= {
        c.label.zh for c in village.criteria
    }
    assert [level.zh for level in village.levels] == ["无邪教村", "零犯罪村", "安全文明村"]
    stars = [c.label.zh for c in STANDARDS.current("family").criteria]
    assert stars == [f"{s}星" for s in "法纪 团结 学习 安全 关爱 致富 科技 环保 节俭 健康".split()]
    assert STANDARDS.current("enterprise").kinds == {
        UnitKind.ORGANISATION,
        UnitKind.ENTERPRISE,
        UnitKind.INDUSTRY,
        UnitKind.HOSPITAL,
        UnitKind.MARKET,
    }


@pytest.mark.parametrize("name", SHIPPED)
def test_full_marks_pass(name: str) -> None:
    standard = STANDARDS.current(name)
    judged = standard.judge(Scores(full_marks(standard), survey=good_survey(standard)))
    assert judged.verdict is Verdict.PASS
    assert judged.points == standard.max_points == 100


@pytest.mark.parametrize("name", SHIPPED)
def test_points_below_the_threshold_fail(name: str) -> None:
    standard = STANDARDS.current(name)
    scores = full_marks(standard)
    shortfall = standard.max_points - standard.pass_points + 1
    for criterion in standard.criteria:
        taken = min(shortfall, scores[criterion.code])
        scores[criterion.code] -= taken
        shortfall -= taken
    judged = standard.judge(Scores(scores, survey=good_survey(standard)))
    assert judged.verdict is Verdict.FAIL
    assert judged.missed[0] == "points"


@pytest.mark.parametrize("name", SHIPPED)
def test_a_veto_item_vetoes_full_marks(name: str) -> None:
    standard = STANDARDS.current(name)
    veto = standard.vetoes[0].code
    judged = standard.judge(
        Scores(full_marks(standard), vetoes=(veto,), survey=good_survey(standard))
    )
    assert judged.verdict is Verdict.VETOED


def test_deductions_count_against_the_points() -> None:
    standard = STANDARDS.current("community")
    judged = standard.judge(
        Scores(
            full_marks(standard),
            deductions={"unmediated_dispute": 3, "unregistered_migrants": 2},
            survey=good_survey(standard),
        )
    )
    assert (judged.points, judged.deducted) == (79, 21)
    assert judged.verdict is Verdict.FAIL


def test_the_wilson_bound_of_the_documented_cases() -> None:
    assert wilson_lower_bound(95, 100) == pytest.approx(0.8882, abs=1e-4)
    assert wilson_lower_bound(18, 20) == pytest.approx(0.6990, abs=1e-4)
    assert wilson_lower_bound(97, 100) == pytest.approx(0.9155, abs=1e-4)
    assert wilson_lower_bound(20, 20) < 0.9


def test_twenty_households_cannot_clear_a_ninety_per_cent_bar_by_luck() -> None:
    wilson = SurveyRule(20, 0.9, 0.0, ShareRule.WILSON)
    point = SurveyRule(20, 0.9, 0.0, ShareRule.POINT)
    assert point.share(18, 20) >= 0.9
    assert all(wilson.share(k, 20) < 0.9 for k in range(21))
    assert wilson.share(95, 100) < 0.9 <= wilson.share(97, 100)


def test_a_survey_below_the_bound_fails_full_marks() -> None:
    standard = STANDARDS.current("village")
    judged = standard.judge(
        Scores(full_marks(standard), survey=Survey(households=100, feel_safe=95, satisfied=99))
    )
    assert judged.verdict is Verdict.FAIL
    assert judged.missed == ("security",)
    assert judged.security_share == pytest.approx(0.888, abs=1e-3)


def test_a_survey_smaller_than_the_standard_asks_is_refused() -> None:
    standard = STANDARDS.current("village")
    with pytest.raises(RuleViolation, match="at least 50"):
        standard.judge(Scores(full_marks(standard), survey=Survey(20, 20, 20)))


def test_a_standard_that_asks_for_a_survey_refuses_an_assessment_without_one() -> None:
    standard = STANDARDS.current("community")
    with pytest.raises(RuleViolation, match="household survey"):
        standard.judge(Scores(full_marks(standard)))


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"police_office": 26}, "between 0 and 25"),
        ({"nonsense": 1}, "no such criterion"),
        ({}, "leaves out"),
    ],
)
def test_scores_outside_the_standard_are_refused(scores: dict[str, int], message: str) -> None:
    standard = STANDARDS.current("community")
    merged = {**full_marks(standard), **scores} if scores else {}
    with pytest.raises(RuleViolation, match=message):
        standard.judge(Scores(merged, survey=good_survey(standard)))


def test_which_titles_a_cause_strips_in_the_units_they_contain() -> None:
    village = STANDARDS.current("village")
    community = STANDARDS.current("community")
    school = STANDARDS.current("school")
    assert village.strips_on(Cause.SAFETY_ACCIDENT, VetoScope.AREA)
    assert community.strips_on(Cause.MAJOR_CASE, VetoScope.AREA)
    assert not community.strips_on(Cause.SAFETY_ACCIDENT, VetoScope.AREA)
    assert community.strips_on(Cause.SAFETY_ACCIDENT, VetoScope.UNIT)
    assert not school.strips_on(Cause.MAJOR_CASE, VetoScope.AREA)


def test_a_new_version_is_added_beside_the_old(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "services/scoring/standards/school.yaml").read_text()
    (tmp_path / "school2.yaml").write_text(text.replace("version: 1", "version: 2"))
    both = [*shipped_standards().all(), *read_standards(tmp_path).all()]
    assert {s.ref for s in both if s.id == "school"} == {"school@1", "school@2"}
