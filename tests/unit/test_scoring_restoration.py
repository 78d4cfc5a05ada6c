"""Corrections and appeals of revoked titles on the in-memory store: a case withdrawn or
found below major, an accident regraded below the bar, marks the revocation it caused as
restorable; the office restores the title with its reason, the revocation stays; an appeal is
lodged once per revocation and decided; an incident set right vetoes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from pingan.testing import in_memory
from pingan.write.domain import IllegalTransition, RuleViolation
from scoring.application import ScoringApplication
from scoring.domain.kinds import UnitKind
from scoring.domain.unit import Unit, UnitStatus
from scoring.reactions.consumed import (
    AccidentFiguresRevised,
    AccidentReported,
    CaseReclassified,
    CaseWithdrawn,
)
from tests.unit.test_scoring_units import (
    LIANTING,
    META,
    TODAY,
    TOWN,
    case,
    full_marks,
    hierarchy,
    name_unit,
    react,
    register,
    revocations,
)

LATER = date(2026, 7, 1)


@pytest.fixture
def app() -> ScoringApplication:
    return in_memory(ScoringApplication)


def events_of(app: ScoringApplication, unit_id: UUID, kind: type[object]) -> list[object]:
    return [e for e in app.events.get(unit_id) if isinstance(e, kind)]


def withdrawn(case_id: UUID) -> CaseWithdrawn:
    return CaseWithdrawn(case_id=case_id, withdrawn_on=date(2026, 6, 25), reason="不构成案件")


def restore(app: ScoringApplication, unit_id: UUID, on: date = LATER) -> None:
    app.restore_title(unit_id, reason="撤案, 恢复命名", restored_on=on, metadata=META, today=LATER)


def test_a_withdrawn_case_makes_its_revocations_restorable_and_the_office_restores_once(
    app: ScoringApplication,
) -> None:
    units = hierarchy(app)
    name_unit(app, units["compound"], "compound_old")
    name_unit(app, units["community"], "community")
    before = app.get_unit(units["compound"])
    title, level, due = before.title, before.level, before.reinspection_due
    major = case(True, unit_id=str(units["compound"]))
    react(app, (major, 1))
    assert app.get_unit(units["compound"]).barred_until is not None
    react(app, (withdrawn(major.case_id), 2), (withdrawn(major.case_id), 2))

    for unit_id in (units["compound"], units["community"]):
        (corrected,) = events_of(app, unit_id, Unit.IncidentCorrected)
        assert isinstance(corrected, Unit.IncidentCorrected)
        assert (corrected.correction, corrected.restorable) == ("withdrawn", True)
        assert corrected.upstream_event_id == "up:2"
        assert app.get_unit(unit_id).status is UnitStatus.REVOKED  # only the office restores
    with pytest.raises(RuleViolation, match="no earlier than its revocation"):
        restore(app, units["compound"], date(2026, 6, 19))
    restore(app, units["compound"])
    unit = app.get_unit(units["compound"])
    assert (unit.status, unit.title, unit.level) == (UnitStatus.NAMED, title, level)
    assert unit.reinspection_due == due and unit.barred_until is None
    assert len(revocations(app, units["compound"])) == 1  # the revocation is not erased
    (restored,) = events_of(app, units["compound"], Unit.TitleRestored)
    assert isinstance(restored, Unit.TitleRestored)
    assert (restored.grounds, restored.appeal) == ("correction", None)
    with pytest.raises(IllegalTransition):
        restore(app, units["compound"])


def test_a_title_is_not_restored_while_its_cause_stands(app: ScoringApplication) -> None:
    units = hierarchy(app)
    name_unit(app, units["compound"], "compound_old")
    react(app, (case(True, unit_id=str(units["compound"])), 1))
    with pytest.raises(RuleViolation, match="cause of the revocation stands"):
        restore(app, units["compound"])


def test_another_incident_since_the_naming_keeps_the_title_stripped(
    app: ScoringApplication,
) -> None:
    units = hierarchy(app)
    name_unit(app, units["compound"], "compound_old")
    first, second = (case(True, unit_id=str(units["compound"])) for _ in range(2))
    react(app, (first, 1), (second, 2), (withdrawn(first.case_id), 3))
    with pytest.raises(RuleViolation, match="still strips the title"):
        restore(app, units["compound"])
    react(app, (withdrawn(second.case_id), 4))
    assert app.get_unit(units["compound"]).restorable is True  # the first one's revocation
    restore(app, units["compound"])
    assert app.get_unit(units["compound"]).status is UnitStatus.NAMED


def test_a_case_found_below_major_makes_the_revocation_restorable(
    app: ScoringApplication,
) -> None:
    units = hierarchy(app)
    name_unit(app, units["compound"], "compound_old")
    major = case(True, unit_id=str(units["compound"]))
    lower = CaseReclassified(
        case_id=major.case_id, kind_name="盗窃", township=TOWN, major=False, reason="损失核减"
    )
    react(app, (major, 1), (lower, 2))
    unit = app.get_unit(units["compound"])
    assert unit.restorable and unit.recorded == {}


def test_an_accident_regraded_below_the_bar_restores_and_graded_up_strips_again(
    app: ScoringApplication,
) -> None:
    hierarchy(app)
    school = register(app, UnitKind.SCHOOL, name="莲亭小学", village=LIANTING)
    name_unit(app, school, "school")
    accident = uuid4()
    reported = AccidentReported(
        accident_id=accident,
        happened_at=datetime(2026, 6, 19, tzinfo=UTC),
        township=TOWN,
        village=LIANTING,
        place="实验室",
        severity="larger",
        unit_id=str(school),
    )

    def revised(severity: str, previous: str) -> AccidentFiguresRevised:
        return AccidentFiguresRevised(
            accident_id=accident,
            township=TOWN,
            severity=severity,
            previous_severity=previous,
            reason="伤亡人数核实",
            unit_id=str(school),
        )

    react(app, (reported, 1), (revised("general", "larger"), 2))
    assert app.get_unit(school).restorable
    restore(app, school)
    react(app, (revised("larger", "general"), 3))
    assert len(revocations(app, school)) == 2
    assert app.get_unit(school).status is UnitStatus.REVOKED


def test_an_appeal_is_lodged_once_per_revocation_and_decided(app: ScoringApplication) -> None:
    units = hierarchy(app)
    name_unit(app, units["compound"], "compound_old")
    unit_id = units["compound"]
    app.revoke_title(unit_id, reason="门卫缺岗", revoked_on=TODAY, metadata=META, today=TODAY)

    def lodge() -> None:
        app.lodge_appeal(unit_id, reason="门卫已到岗", lodged_on=None, metadata=META, today=LATER)

    def decide(number: int, upheld: bool) -> None:
        app.decide_appeal(
            unit_id,
            number=number,
            upheld=upheld,
            reason="核实",
            decided_on=None,
            metadata=META,
            today=LATER,
        )

    lodge()
    with pytest.raises(RuleViolation, match="not decided yet"):
        lodge()
    with pytest.raises(RuleViolation, match="no open appeal 2"):
        decide(2, True)
    decide(1, False)
    assert app.get_unit(unit_id).status is UnitStatus.REVOKED
    with pytest.raises(RuleViolation, match="appealed already"):
        lodge()
    with pytest.raises(IllegalTransition):
        app.lodge_appeal(
            register(app, UnitKind.SCHOOL, name="x", village=LIANTING),
            reason="r",
            lodged_on=None,
            metadata=META,
            today=LATER,
        )


def test_an_upheld_appeal_restores_the_title_with_the_appeal_as_its_ground(
    app: ScoringApplication,
) -> None:
    units = hierarchy(app)
    name_unit(app, units["compound"], "compound_old")
    unit_id = units["compound"]
    react(app, (case(True, unit_id=str(unit_id)), 1))
    app.lodge_appeal(unit_id, reason="案发地不在本小区", lodged_on=None, metadata=META, today=LATER)
    app.decide_appeal(
        unit_id,
        number=1,
        upheld=True,
        reason="经核实案发于小区外",
        decided_on=None,
        metadata=META,
        today=LATER,
    )
    unit = app.get_unit(unit_id)
    assert (unit.status, unit.open_appeal, unit.barred_until) == (UnitStatus.NAMED, None, None)
    (restored,) = events_of(app, unit_id, Unit.TitleRestored)
    assert isinstance(restored, Unit.TitleRestored)
    assert (restored.grounds, restored.appeal) == ("appeal", 1)
    assert unit.recorded == {}  # set right by the office, the incident vetoes nothing


def test_an_incident_set_right_no_longer_vetoes_an_untitled_units_assessment(
    app: ScoringApplication,
) -> None:
    units = hierarchy(app)
    major = case(True, unit_id=str(units["compound"]))
    react(app, (major, 1), (withdrawn(major.case_id), 2))
    (corrected,) = events_of(app, units["compound"], Unit.IncidentCorrected)
    assert isinstance(corrected, Unit.IncidentCorrected) and not corrected.restorable
    app.apply_for_title(
        units["compound"],
        standard="compound_old",
        level=1,
        applied_on=LATER,
        metadata=META,
        today=LATER,
    )
    app.assess_unit(
        units["compound"],
        assessed_on=LATER,
        scores=full_marks(app, "compound_old"),
        deductions={},
        vetoes=[],
        survey=(100, 99, 99),
        assessors=["a"],
        metadata=META,
        today=LATER,
    )
    (assessed,) = events_of(app, units["compound"], Unit.Assessed)
    assert isinstance(assessed, Unit.Assessed) and (assessed.verdict, assessed.vetoes) == (
        "pass",
        [],
    )
