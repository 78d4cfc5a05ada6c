"""The rest of a title's life on the in-memory store: the residents consulted at assessment
(民意测评, 代表会议), follow-up visits (跟踪回访), and upgrading (升级达标) with the title kept
meanwhile."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from pingan.testing import in_memory
from pingan.write.domain import IllegalTransition, RuleViolation
from scoring.application import ScoringApplication
from scoring.domain.kinds import UnitKind
from scoring.domain.standards import Meeting, Opinion
from scoring.domain.unit import FollowUpForm, Unit, UnitStatus
from tests.consultation import PASSING_MEETING, PASSING_OPINION
from tests.unit.test_scoring_units import META, TODAY, full_marks, register

VILLAGE = "窝驼村"


@pytest.fixture
def app() -> ScoringApplication:
    return in_memory(ScoringApplication)


def village(app: ScoringApplication) -> UUID:
    register(app, UnitKind.DISTRICT, name="秦州区", township=None)
    register(app, UnitKind.TOWNSHIP, name="太京镇", township="太京镇")
    return register(app, UnitKind.VILLAGE, name=VILLAGE, township="太京镇", village=VILLAGE)


def assess(app: ScoringApplication, unit_id: UUID, **kw: Any) -> None:
    fields: dict[str, Any] = {
        "assessed_on": date(2026, 5, 10),
        "scores": full_marks(app, "village"),
        "deductions": {},
        "vetoes": [],
        "survey": (100, 99, 99),
        "assessors": ["区考评组"],
        "opinion": PASSING_OPINION,
        "meeting": PASSING_MEETING,
        **kw,
    }
    app.assess_unit(unit_id, **fields, metadata=META, today=TODAY)


def named_village(app: ScoringApplication) -> UUID:
    unit_id = village(app)
    app.apply_for_title(
        unit_id,
        standard="village",
        level=1,
        applied_on=date(2026, 5, 1),
        metadata=META,
        today=TODAY,
    )
    assess(app, unit_id)
    app.publicise_result(unit_id, starts_on=date(2026, 5, 11), metadata=META, today=TODAY)
    app.confer_title(unit_id, named_on=date(2026, 6, 1), metadata=META, today=TODAY)
    return unit_id


def upgrade(app: ScoringApplication, unit_id: UUID, on: date, **kw: Any) -> None:
    fields: dict[str, Any] = {
        "level": 2,
        "assessed_on": on,
        "scores": full_marks(app, "village"),
        "deductions": {},
        "vetoes": [],
        "survey": (100, 99, 99),
        "assessors": ["区考评组"],
        "opinion": PASSING_OPINION,
        "meeting": Meeting(on, 30, 25, 20),
        **kw,
    }
    app.upgrade_unit(unit_id, **fields, metadata=META, today=on)


def test_the_assessment_keeps_the_residents_consultation(app: ScoringApplication) -> None:
    unit_id = named_village(app)
    (assessed,) = [e for e in app.events.get(unit_id) if isinstance(e, Unit.Assessed)]
    assert (assessed.opinion_respondents, assessed.opinion_in_favour) == (100, 98)
    assert assessed.opinion_share is not None and 0.9 < assessed.opinion_share < 0.98
    assert (assessed.meeting_held_on, assessed.meeting_attending) == (date(2025, 5, 1), 25)
    assert assessed.standard == "village@2" and not assessed.upgrade


def test_a_village_fails_when_its_representatives_do_not_carry_the_result(
    app: ScoringApplication,
) -> None:
    unit_id = village(app)
    app.apply_for_title(
        unit_id,
        standard="village",
        level=1,
        applied_on=date(2026, 5, 1),
        metadata=META,
        today=TODAY,
    )
    assess(app, unit_id, meeting=Meeting(date(2026, 5, 2), 30, 19, 19))
    unit = app.get_unit(unit_id)
    assert unit.status is UnitStatus.FAILED and unit.barred_until == date(2027, 5, 10)
    (assessed,) = [e for e in app.events.get(unit_id) if isinstance(e, Unit.Assessed)]
    assert assessed.missed == ["meeting"]


def test_a_meeting_after_the_assessment_or_a_poor_opinion_is_caught(
    app: ScoringApplication,
) -> None:
    unit_id = village(app)
    app.apply_for_title(
        unit_id,
        standard="village",
        level=1,
        applied_on=date(2026, 5, 1),
        metadata=META,
        today=TODAY,
    )
    with pytest.raises(RuleViolation, match="no later than the assessment"):
        assess(app, unit_id, meeting=Meeting(date(2026, 5, 11), 30, 25, 20))
    assert app.get_unit(unit_id).status is UnitStatus.APPLIED
    assess(app, unit_id, opinion=Opinion(60, 45))
    assert app.get_unit(unit_id).status is UnitStatus.FAILED


def test_follow_up_visits_are_recorded_on_a_named_unit_only(app: ScoringApplication) -> None:
    unit_id = village(app)
    with pytest.raises(IllegalTransition):
        app.follow_up_unit(
            unit_id,
            form=FollowUpForm.VISIT,
            findings="x",
            visitors=["a"],
            visited_on=None,
            metadata=META,
            today=TODAY,
        )


def test_follow_ups_are_numbered_with_their_form_findings_and_figures(
    app: ScoringApplication,
) -> None:
    unit_id = named_village(app)

    def visit(form: FollowUpForm, on: date, **figures: Any) -> None:
        app.follow_up_unit(
            unit_id,
            form=form,
            findings="群众安全感较高",
            visitors=["镇综治办"],
            visited_on=on,
            metadata=META,
            today=TODAY,
            **figures,
        )

    with pytest.raises(RuleViolation, match="gives its survey figures"):
        visit(FollowUpForm.HOUSEHOLD_SURVEY, date(2026, 6, 10))
    visit(FollowUpForm.HOUSEHOLD_SURVEY, date(2026, 6, 10), survey=(80, 76, 70))
    with pytest.raises(RuleViolation, match="no later than the visit"):
        visit(
            FollowUpForm.REPRESENTATIVE_MEETING,
            date(2026, 6, 15),
            meeting=Meeting(date(2026, 6, 16), 30, 25, 20),
        )
    visit(
        FollowUpForm.REPRESENTATIVE_MEETING,
        date(2026, 6, 15),
        meeting=Meeting(date(2026, 6, 15), 30, 25, 20),
    )
    visit(FollowUpForm.VISIT, date(2026, 6, 18))
    visits = [e for e in app.events.get(unit_id) if isinstance(e, Unit.FollowedUp)]
    assert [(v.number, v.form, v.visited_on) for v in visits] == [
        (1, "household_survey", date(2026, 6, 10)),
        (2, "representative_meeting", date(2026, 6, 15)),
        (3, "visit", date(2026, 6, 18)),
    ]
    assert (visits[0].households, visits[0].feel_safe, visits[1].votes_for) == (80, 76, 20)
    unit = app.get_unit(unit_id)
    assert unit.status is UnitStatus.NAMED and unit.follow_ups == 3


def test_an_upgrade_raises_the_level_and_restarts_the_reinspection_cycle(
    app: ScoringApplication,
) -> None:
    unit_id = named_village(app)
    on = date(2026, 6, 20)
    upgrade(app, unit_id, on)
    unit = app.get_unit(unit_id)
    assert (unit.status, unit.title, unit.level) == (UnitStatus.NAMED, "平安村", 2)
    assert unit.reinspection_due == date(2027, 6, 20)
    upgraded = [e for e in app.events.get(unit_id) if isinstance(e, Unit.Upgraded)]
    assert [(u.level, u.standard) for u in upgraded] == [(2, "village@2")]
    with pytest.raises(RuleViolation, match="holds level 2"):
        upgrade(app, unit_id, on)


def test_a_failed_upgrade_keeps_the_title_and_bars_another(app: ScoringApplication) -> None:
    unit_id = named_village(app)
    on = date(2026, 6, 20)
    scores = full_marks(app, "village")
    scores["openness"] -= 15  # 85: enough for 平安村, short of the 90 of 平安示范村
    upgrade(app, unit_id, on, scores=scores)
    unit = app.get_unit(unit_id)
    assert (unit.status, unit.title, unit.level) == (UnitStatus.NAMED, "平安村", 1)
    assert unit.reinspection_due == date(2027, 6, 1)
    assert unit.upgrade_barred_until == date(2027, 6, 20)
    later = date(2026, 12, 1)
    with pytest.raises(RuleViolation, match="upgrade from 2027-06-20"):
        upgrade(app, unit_id, later)


def test_only_a_named_unit_of_a_standard_with_levels_is_upgraded(
    app: ScoringApplication,
) -> None:
    unit_id = village(app)
    with pytest.raises(IllegalTransition):
        upgrade(app, unit_id, TODAY)
    school = register(app, UnitKind.SCHOOL, name="太京小学", township="太京镇")
    app.apply_for_title(
        school, standard="school", level=1, applied_on=date(2026, 5, 1), metadata=META, today=TODAY
    )
    app.assess_unit(
        school,
        assessed_on=date(2026, 5, 10),
        scores=full_marks(app, "school"),
        deductions={},
        vetoes=[],
        survey=None,
        assessors=["区考评组"],
        metadata=META,
        today=TODAY,
    )
    app.publicise_result(school, starts_on=date(2026, 5, 11), metadata=META, today=TODAY)
    app.confer_title(school, named_on=date(2026, 6, 1), metadata=META, today=TODAY)
    with pytest.raises(RuleViolation, match="no levels"):
        app.upgrade_unit(
            school,
            level=2,
            assessed_on=TODAY,
            scores=full_marks(app, "school"),
            deductions={},
            vetoes=[],
            survey=None,
            assessors=["区考评组"],
            metadata=META,
            today=TODAY,
        )


def test_an_assessment_recorded_before_consultations_were_kept_reads_back() -> None:
    state: dict[str, Any] = {"verdict": "pass"}
    Unit.Assessed.upcast_v1_v2(state)
    assert state["upgrade"] is False and state["opinion_share"] is None
    assert set(Unit.Assessed._CONSULTATION) <= set(state)
