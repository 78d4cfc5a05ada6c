"""The shipped creation standards and the verdicts they compute: pass, fail and veto for each,
the survey share judged by its Wilson lower bound, the public-opinion evaluation and the
representative meeting, and the points each level asks."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from pingan.write.domain import RuleViolation
from scoring.application.standards import read_standards, shipped_standards
from scoring.domain.kinds import UnitKind
from scoring.domain.standards import (
    Cause,
    Meeting,
    MeetingRule,
    Opinion,
    Scores,
    ShareRule,
    Standard,
    Survey,
    SurveyRule,
    Verdict,
    VetoScope,
    wilson_lower_bound,
)
from tests.consultation import PASSING_MEETING, PASSING_OPINION, consultation

STANDARDS = shipped_standards()
SHIPPED = [
    "community",
    "compound_old",
    "compound_new",
    "village",
    "village_cult_free",
    "village_crime_free",
    "village_safe_civilised",
    "township",
    "school",
    "organisation",
    "enterprise",
    "industry",
    "hospital",
    "market",
    "family",
]
#: Every version shipped: an assessment names the one it was made under.
SHIPPED_REFS = sorted(s.ref for s in STANDARDS.all())


def full_marks(standard: Standard) -> dict[str, int]:
    return {c.code: c.max_points for c in standard.criteria}


def good_survey(standard: Standard) -> Survey | None:
    if standard.survey is None:
        return None
    n = max(standard.survey.min_sample, 100)
    return Survey(households=n, feel_safe=n, satisfied=n)


def scored(
    standard: Standard,
    scores: dict[str, int],
    deductions: dict[str, int] | None = None,
    vetoes: tuple[str, ...] = (),
) -> Scores:
    """The assessment with a good survey and consultation, where the standard asks for them."""
    return Scores(
        scores,
        deductions=deductions or {},
        vetoes=vetoes,
        survey=good_survey(standard),
        **consultation(standard),
    )


def test_the_source_standards_are_shipped_with_their_criteria() -> None:
    refs = {s.ref for s in STANDARDS.all()}
    assert {f"{name}@1" for name in SHIPPED} <= refs
    assert {"community@2", "village@2", "enterprise@2"} <= refs
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
    assert "党务、政务、财务公开" in {c.label.zh for c in village.criteria}
    assert [level.label.zh for level in STANDARDS.get("village@1").levels] == [
        "无邪教村",
        "零犯罪村",
        "安全文明村",
    ]
    beside = {STANDARDS.current(f"village_{t}").title.zh for t in ("cult_free", "crime_free")}
    assert beside | {STANDARDS.current("village_safe_civilised").title.zh} == {
        "无邪教村",
        "零犯罪村",
        "安全文明村",
    }
    assert all(
        STANDARDS.current(f"village_{t}").kinds == {UnitKind.VILLAGE}
        for t in ("cult_free", "crime_free", "safe_civilised")
    )
    township = {c.label.zh for c in STANDARDS.current("township").criteria}
    assert {"综治办专职副主任", "专职综治干部3人以上", "定期岗位培训"} <= township
    stars = [c.label.zh for c in STANDARDS.current("family").criteria]
    assert stars == [f"{s}星" for s in "法纪 团结 学习 安全 关爱 致富 科技 环保 节俭 健康".split()]
    assert STANDARDS.get("enterprise@1").kinds == {
        UnitKind.ORGANISATION,
        UnitKind.ENTERPRISE,
        UnitKind.INDUSTRY,
        UnitKind.HOSPITAL,
        UnitKind.MARKET,
    }
    for kind in ("organisation", "enterprise", "industry", "hospital", "market"):
        workplace = STANDARDS.current(kind)
        assert workplace.kinds == {UnitKind(kind)}
        items = {c.label.zh for c in workplace.criteria}
        assert {"单位内部治保会", "调委会", "保卫队伍", "防火、防盗、防水设施"} <= items
        assert any("技防" in item for item in items)


@pytest.mark.parametrize("ref", SHIPPED_REFS)
def test_full_marks_pass(ref: str) -> None:
    standard = STANDARDS.get(ref)
    judged = standard.judge(scored(standard, full_marks(standard)))
    assert judged.verdict is Verdict.PASS
    assert judged.points == standard.max_points == 100


@pytest.mark.parametrize("ref", SHIPPED_REFS)
def test_points_below_the_threshold_fail(ref: str) -> None:
    standard = STANDARDS.get(ref)
    scores = full_marks(standard)
    shortfall = standard.max_points - standard.pass_points + 1
    for criterion in standard.criteria:
        taken = min(shortfall, scores[criterion.code])
        scores[criterion.code] -= taken
        shortfall -= taken
    judged = standard.judge(scored(standard, scores))
    assert judged.verdict is Verdict.FAIL
    assert judged.missed == ("points",)


@pytest.mark.parametrize("ref", SHIPPED_REFS)
def test_every_veto_item_vetoes_full_marks(ref: str) -> None:
    standard = STANDARDS.get(ref)
    for veto in standard.vetoes:
        judged = standard.judge(scored(standard, full_marks(standard), vetoes=(veto.code,)))
        assert judged.verdict is Verdict.VETOED, veto.code


CONSULTED = [s.ref for s in STANDARDS.all() if s.opinion is not None and s.meeting is not None]


def test_the_residents_are_consulted_where_the_source_asks() -> None:
    assert set(CONSULTED) >= {
        "community@2",
        "village@2",
        "village_cult_free@1",
        "village_crime_free@1",
        "village_safe_civilised@1",
    }
    assert STANDARDS.current("school").opinion is None


@pytest.mark.parametrize("ref", CONSULTED)
def test_an_opinion_below_its_bar_fails_full_marks(ref: str) -> None:
    standard = STANDARDS.get(ref)
    judged = standard.judge(
        Scores(
            full_marks(standard),
            survey=good_survey(standard),
            opinion=Opinion(respondents=100, in_favour=80),
            meeting=PASSING_MEETING,
        )
    )
    assert judged.verdict is Verdict.FAIL and judged.missed == ("opinion",)
    assert judged.opinion_share is not None and judged.opinion_share < 0.8


@pytest.mark.parametrize("ref", CONSULTED)
def test_a_meeting_without_its_majority_fails_full_marks(ref: str) -> None:
    standard = STANDARDS.get(ref)
    judged = standard.judge(
        Scores(
            full_marks(standard),
            survey=good_survey(standard),
            opinion=PASSING_OPINION,
            meeting=Meeting(date(2025, 5, 1), representatives=30, attending=26, votes_for=13),
        )
    )
    assert judged.verdict is Verdict.FAIL and judged.missed == ("meeting",)


@pytest.mark.parametrize(
    ("rule", "attending", "votes_for", "passes"),
    [
        (MeetingRule(Fraction(2, 3), Fraction(1, 2)), 20, 11, True),  # two thirds exactly
        (MeetingRule(Fraction(2, 3), Fraction(1, 2)), 19, 19, False),  # short of two thirds
        (MeetingRule(Fraction(2, 3), Fraction(1, 2)), 20, 10, False),  # half is no majority
        (MeetingRule(Fraction(1, 2), Fraction(1, 2), quorum_exceeded=True), 15, 15, False),
        (MeetingRule(Fraction(1, 2), Fraction(1, 2), quorum_exceeded=True), 16, 9, True),
    ],
)
def test_the_meeting_rule_counts_quorum_and_majority_exactly(
    rule: MeetingRule, attending: int, votes_for: int, passes: bool
) -> None:
    meeting = Meeting(
        date(2025, 5, 1), representatives=30, attending=attending, votes_for=votes_for
    )
    assert rule.passes(meeting) is passes


def test_a_consultation_is_asked_for_or_refused_by_the_standard() -> None:
    village = STANDARDS.current("village")
    survey = good_survey(village)
    with pytest.raises(RuleViolation, match="public-opinion evaluation"):
        village.judge(Scores(full_marks(village), survey=survey, meeting=PASSING_MEETING))
    with pytest.raises(RuleViolation, match="representative meeting"):
        village.judge(Scores(full_marks(village), survey=survey, opinion=PASSING_OPINION))
    with pytest.raises(RuleViolation, match="at least 30"):
        village.judge(
            Scores(
                full_marks(village),
                survey=survey,
                opinion=Opinion(10, 10),
                meeting=PASSING_MEETING,
            )
        )
    school = STANDARDS.current("school")
    with pytest.raises(RuleViolation, match="asks for no public-opinion"):
        school.judge(Scores(full_marks(school), opinion=PASSING_OPINION))
    with pytest.raises(RuleViolation, match="at most the representatives"):
        Meeting(date(2025, 5, 1), representatives=10, attending=11, votes_for=1)


def test_a_higher_level_asks_more_points() -> None:
    village = STANDARDS.current("village")
    scores = full_marks(village)
    scores["openness"] -= 15  # 85 points
    assert village.judge(scored(village, scores), level=1).verdict is Verdict.PASS
    judged = village.judge(scored(village, scores), level=2)
    assert judged.verdict is Verdict.FAIL and judged.missed == ("points",)
    assert [level.pass_points for level in village.levels] == [80, 90]


def test_deductions_count_against_the_points() -> None:
    standard = STANDARDS.current("community")
    judged = standard.judge(
        scored(
            standard,
            full_marks(standard),
            deductions={"unmediated_dispute": 3, "unregistered_migrants": 2},
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
        Scores(
            full_marks(standard),
            survey=Survey(households=100, feel_safe=95, satisfied=99),
            **consultation(standard),
        )
    )
    assert judged.verdict is Verdict.FAIL
    assert judged.missed == ("security",)
    assert judged.security_share == pytest.approx(0.888, abs=1e-3)


def test_a_survey_smaller_than_the_standard_asks_is_refused() -> None:
    standard = STANDARDS.current("village")
    with pytest.raises(RuleViolation, match="at least 50"):
        standard.judge(
            Scores(full_marks(standard), survey=Survey(20, 20, 20), **consultation(standard))
        )


def test_a_standard_that_asks_for_a_survey_refuses_an_assessment_without_one() -> None:
    standard = STANDARDS.current("community")
    with pytest.raises(RuleViolation, match="household survey"):
        standard.judge(Scores(full_marks(standard), **consultation(standard)))


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
        standard.judge(scored(standard, merged))


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
