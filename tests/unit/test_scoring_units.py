"""Creation units on the in-memory store: the area hierarchy, the lifecycle from application
to naming, objections, re-inspection, revocation and the bar period; and the plaque-removal
reaction's rule, matched by unit id or township and village only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from pingan.bus.envelope import Envelope
from pingan.consume.reactions import Reacting
from pingan.testing import in_memory
from pingan.write.domain import IllegalTransition, RuleViolation
from pingan.write.duties import DutyConflict
from pingan.write.metadata import EventMetadata
from scoring.application import ScoringApplication
from scoring.domain.incident import Incident, Match, incident_id
from scoring.domain.kinds import UnitKind
from scoring.domain.unit import Unit, UnitStatus, area_unit_id
from scoring.reactions.consumed import (
    AccidentFiguresRevised,
    AccidentReported,
    CaseFlaggedMajor,
    CaseReclassified,
    CaseRegistered,
    MassIncidentReported,
)
from scoring.reactions.plaques import PlaqueRemoval
from tests.consultation import consultation

TODAY = date(2026, 6, 20)
META = EventMetadata.new("unit")
TOWN = "玉泉镇"
LIANTING = "莲亭居民委员会"


@pytest.fixture
def app() -> ScoringApplication:
    return in_memory(ScoringApplication)


def register(app: ScoringApplication, kind: UnitKind, **kw: Any) -> UUID:
    fields: dict[str, Any] = {
        "name": kw.pop("name", kind.value),
        "township": TOWN,
        "village": None,
        "address": "-",
        "registered_by": "综治办",
        "registered_on": date(2026, 1, 5),
        **kw,
    }
    return app.register_unit(kind=kind, **fields, metadata=META, today=TODAY).id


def hierarchy(app: ScoringApplication) -> dict[str, UUID]:
    district = register(app, UnitKind.DISTRICT, name="秦州区", township=None)
    town = register(app, UnitKind.TOWNSHIP, name=TOWN)
    community = register(app, UnitKind.COMMUNITY, name="莲亭社区", village=LIANTING)
    compound = register(app, UnitKind.COMPOUND_OLD, name="莲亭小区", village=LIANTING)
    return {"district": district, "town": town, "community": community, "compound": compound}


def full_marks(app: ScoringApplication, standard: str) -> dict[str, int]:
    return {c.code: c.max_points for c in app.standards.current(standard).criteria}


def name_unit(app: ScoringApplication, unit_id: UUID, standard: str, on: date = TODAY) -> None:
    app.apply_for_title(
        unit_id,
        standard=standard,
        level=1,
        applied_on=date(2026, 5, 1),
        metadata=META,
        today=TODAY,
    )
    app.assess_unit(
        unit_id,
        assessed_on=date(2026, 5, 10),
        scores=full_marks(app, standard),
        deductions={},
        vetoes=[],
        survey=(100, 99, 99),
        assessors=["考评组"],
        **consultation(app.standards.current(standard)),
        metadata=META,
        today=TODAY,
    )
    app.publicise_result(unit_id, starts_on=date(2026, 5, 11), metadata=META, today=TODAY)
    app.confer_title(unit_id, named_on=on, metadata=META, today=TODAY)


def test_units_form_the_hierarchy_of_the_reference_areas(app: ScoringApplication) -> None:
    units = hierarchy(app)
    community = app.get_unit(units["community"])
    assert community.id == area_unit_id(TOWN, LIANTING)
    assert community.parent_id == units["town"] == area_unit_id(TOWN, None)
    assert app.get_unit(units["town"]).parent_id == units["district"]
    assert app.get_unit(units["compound"]).parent_id == units["community"]
    family = register(
        app, UnitKind.FAMILY, name="王家", village=LIANTING, parent_id=units["compound"]
    )
    assert app.get_unit(family).parent_id == units["compound"]


def test_a_unit_cannot_hang_under_the_wrong_kind_or_twice(app: ScoringApplication) -> None:
    units = hierarchy(app)
    with pytest.raises(RuleViolation, match="cannot lie within"):
        register(app, UnitKind.COMPOUND_NEW, name="x", village=LIANTING, parent_id=units["town"])
    with pytest.raises(RuleViolation, match="already registered"):
        register(app, UnitKind.COMMUNITY, name="莲亭", village=LIANTING)
    with pytest.raises(RuleViolation, match="not registered"):
        register(app, UnitKind.VILLAGE, name="x", township="太京镇", village="师家崖居民委员会")


def test_a_unit_is_named_after_assessment_notice_and_the_office(app: ScoringApplication) -> None:
    units = hierarchy(app)
    name_unit(app, units["community"], "community", on=date(2026, 6, 1))
    unit = app.get_unit(units["community"])
    assert unit.status is UnitStatus.NAMED
    assert (unit.title, unit.standard, unit.reinspection_due) == (
        "平安社区",
        "community@2",
        date(2027, 6, 1),
    )


def test_the_title_waits_for_the_notice_period_and_objections(app: ScoringApplication) -> None:
    unit_id = hierarchy(app)["community"]
    app.apply_for_title(
        unit_id,
        standard="community",
        level=1,
        applied_on=date(2026, 6, 1),
        metadata=META,
        today=TODAY,
    )
    app.assess_unit(
        unit_id,
        assessed_on=date(2026, 6, 10),
        scores=full_marks(app, "community"),
        deductions={},
        vetoes=[],
        survey=(100, 99, 99),
        assessors=["a"],
        **consultation(app.standards.current("community")),
        metadata=META,
        today=TODAY,
    )
    app.publicise_result(unit_id, starts_on=date(2026, 6, 15), metadata=META, today=TODAY)
    with pytest.raises(RuleViolation, match="public notice runs until 2026-06-22"):
        app.confer_title(unit_id, named_on=TODAY, metadata=META, today=TODAY)
    app.lodge_objection(
        unit_id, objection="警务室无人值守", lodged_on=TODAY, metadata=META, today=TODAY
    )
    later = date(2026, 6, 30)
    with pytest.raises(RuleViolation, match="not settled"):
        app.confer_title(unit_id, named_on=later, metadata=META, today=later)
    app.settle_objection(
        unit_id,
        number=1,
        upheld=True,
        reason="核实属实",
        settled_on=later,
        metadata=META,
        today=later,
    )
    unit = app.get_unit(unit_id)
    assert unit.status is UnitStatus.FAILED
    assert unit.barred_until == date(2027, 6, 30)


def test_a_failed_assessment_bars_a_new_application_for_the_bar_period(
    app: ScoringApplication,
) -> None:
    unit_id = hierarchy(app)["community"]
    app.apply_for_title(
        unit_id, standard="community", level=1, applied_on=None, metadata=META, today=TODAY
    )
    app.assess_unit(
        unit_id,
        assessed_on=TODAY,
        scores=full_marks(app, "community"),
        deductions={},
        vetoes=["mass_incident"],
        survey=(100, 99, 99),
        assessors=["a"],
        **consultation(app.standards.current("community")),
        metadata=META,
        today=TODAY,
    )
    unit = app.get_unit(unit_id)
    assert unit.status is UnitStatus.FAILED and unit.barred_until == date(2027, 6, 20)
    later = date(2027, 6, 19)
    with pytest.raises(RuleViolation, match="may apply again from 2027-06-20"):
        app.apply_for_title(
            unit_id, standard="community", level=1, applied_on=later, metadata=META, today=later
        )
    free = date(2027, 6, 20)
    app.apply_for_title(
        unit_id, standard="community", level=1, applied_on=free, metadata=META, today=free
    )
    assert app.get_unit(unit_id).status is UnitStatus.APPLIED


def test_an_assessment_records_the_standard_version(app: ScoringApplication) -> None:
    unit_id = hierarchy(app)["compound"]
    name_unit(app, unit_id, "compound_old")
    assessed = [e for e in app.events.get(unit_id) if isinstance(e, Unit.Assessed)]
    assert [e.standard for e in assessed] == ["compound_old@1"]


def test_a_standard_for_another_kind_is_refused(app: ScoringApplication) -> None:
    unit_id = hierarchy(app)["compound"]
    with pytest.raises(RuleViolation, match="not a standard for a compound_old"):
        app.apply_for_title(
            unit_id, standard="compound_new", level=1, applied_on=None, metadata=META, today=TODAY
        )


def test_a_failed_reinspection_revokes_and_a_pass_moves_the_next_one(
    app: ScoringApplication,
) -> None:
    unit_id = hierarchy(app)["community"]
    name_unit(app, unit_id, "community", on=date(2026, 6, 1))
    app.reinspect_unit(
        unit_id, passed=True, findings="ok", inspected_on=TODAY, metadata=META, today=TODAY
    )
    assert app.get_unit(unit_id).reinspection_due == date(2027, 6, 20)
    app.reinspect_unit(
        unit_id, passed=False, findings="警务室撤并", inspected_on=TODAY, metadata=META, today=TODAY
    )
    unit = app.get_unit(unit_id)
    assert unit.status is UnitStatus.REVOKED and unit.title is None
    with pytest.raises(IllegalTransition):
        app.revoke_title(unit_id, reason="again", revoked_on=TODAY, metadata=META, today=TODAY)


# The reaction's rule, driven as the reaction sink drives it (one context per batch).


def envelope(kind: str, seq: int, when: datetime | None = None) -> Envelope:
    return Envelope(
        id=f"up:{seq}",
        source="up",
        type=kind,
        subject="s",
        time=when or datetime(2026, 6, 20, 2, tzinfo=UTC),
        position=seq,
        correlation_id="c",
        causation_id="",
        actor="a",
    )


def react(app: ScoringApplication, *messages: tuple[Any, int]) -> None:
    reaction = PlaqueRemoval()
    ctx: Reacting[ScoringApplication] = Reacting(app)
    for message, seq in messages:
        reaction.react(ctx, envelope(message.event_type, seq), message.model_dump_json().encode())
    app.save(*ctx._take())


def case(major: bool, village: str = LIANTING, unit_id: str | None = None, **kw: Any) -> Any:
    return CaseRegistered(
        case_id=kw.get("case_id", uuid4()),
        kind_name="抢劫",
        township=TOWN,
        village=village,
        happened_at=datetime(2026, 6, 19, 20, tzinfo=UTC),
        major=major,
        unit_id=unit_id,
    )


def revocations(app: ScoringApplication, unit_id: UUID) -> list[Unit.TitleRevoked]:
    return [e for e in app.events.get(unit_id) if isinstance(e, Unit.TitleRevoked)]


def test_a_major_case_by_unit_id_strips_that_title_once_with_its_cause(
    app: ScoringApplication,
) -> None:
    units = hierarchy(app)
    name_unit(app, units["compound"], "compound_old")
    name_unit(app, units["community"], "community")
    major = case(True, unit_id=str(units["compound"]))
    react(app, (major, 7), (major, 7))
    (revoked,) = revocations(app, units["compound"])
    assert (revoked.cause, revoked.cause_event_id, revoked.cause_event_type) == (
        "major_case",
        "up:7",
        "pingan.campaigns.case.registered.v1",
    )
    assert revoked.incident_id == incident_id("CAMPAIGNS", major.case_id)
    # 平安社区's veto on a major case reaches the units within it.
    (area,) = revocations(app, units["community"])
    assert area.incident_id == revoked.incident_id and "莲亭小区" in area.reason


def test_an_accident_below_the_bar_strips_nothing_and_revised_up_strips_once(
    app: ScoringApplication,
) -> None:
    units = hierarchy(app)
    school = register(app, UnitKind.SCHOOL, name="莲亭小学", village=LIANTING)
    name_unit(app, school, "school")
    accident = uuid4()
    reported = AccidentReported(
        accident_id=accident,
        happened_at=datetime(2026, 6, 19, tzinfo=UTC),
        township=TOWN,
        village=LIANTING,
        place="实验室",
        severity="general",
        unit_id=str(school),
    )
    revised = AccidentFiguresRevised(
        accident_id=accident,
        township=TOWN,
        severity="larger",
        previous_severity="general",
        reason="伤亡人数核实",
        unit_id=str(school),
    )
    react(app, (reported, 1))
    assert revocations(app, school) == []
    react(app, (revised, 2), (revised, 3))
    assert len(revocations(app, school)) == 1
    # 平安社区's veto on accidents is the unit's own: the community keeps no title to lose
    assert revocations(app, units["community"]) == []


def test_the_accident_grade_that_strips_is_configuration() -> None:
    app = in_memory(ScoringApplication, ACCIDENT_STRIP_GRADE="major")
    assert not app.accident_strips("larger") and app.accident_strips("especially_major")
    assert in_memory(ScoringApplication).accident_strips("larger")


def test_an_event_matches_by_township_and_village_when_it_names_no_unit(
    app: ScoringApplication,
) -> None:
    units = hierarchy(app)
    name_unit(app, units["community"], "community")
    incident = MassIncidentReported(
        incident_id=uuid4(),
        happened_at=datetime(2026, 6, 19, tzinfo=UTC),
        township="玉泉",
        village="莲亭村",
        place="市场",
        participants=40,
    )
    react(app, (incident, 3))
    assert len(revocations(app, units["community"])) == 1
    noted = app.get(incident_id("CAMPAIGNS", incident.incident_id), Incident)
    assert noted.matched_unit_id == units["community"]


@pytest.mark.parametrize(
    ("village", "unit_id", "reason"),
    [
        ("莲亭居民委员会", None, "no unit stands for"),
        ("不存在村", None, "not in the reference areas"),
        (LIANTING, "5c74c95e-3eb2-4149-bdd7-368ce0420075", "is registered"),
        (LIANTING, "LT-001", "not a scoring unit id"),
    ],
)
def test_an_event_that_matches_no_unit_is_kept_unmatched_never_guessed(
    village: str, unit_id: str | None, reason: str
) -> None:
    app = in_memory(ScoringApplication)
    major = case(True, village=village, unit_id=unit_id)
    react(app, (major, 9))
    noted = app.get(incident_id("CAMPAIGNS", major.case_id), Incident)
    assert noted.matched_unit_id is None and noted.strips
    (event,) = [e for e in app.events.get(noted.id) if isinstance(e, Incident.Noted)]
    assert event.match == Match.NONE and event.unmatched_reason is not None
    assert reason in event.unmatched_reason


def test_an_assessor_does_not_assess_a_unit_of_their_own_township(
    app: ScoringApplication,
) -> None:
    unit_id = hierarchy(app)["community"]
    app.apply_for_title(
        unit_id,
        standard="community",
        level=1,
        applied_on=date(2026, 6, 1),
        metadata=META,
        today=TODAY,
    )
    with pytest.raises(DutyConflict) as refused:
        app.assess_unit(
            unit_id,
            assessed_on=TODAY,
            scores=full_marks(app, "community"),
            deductions={},
            vetoes=[],
            survey=(100, 99, 99),
            assessors=["a"],
            **consultation(app.standards.current("community")),
            metadata=META,
            today=TODAY,
            assessor_township=TOWN,
        )
    assert refused.value.rule == "assessor-outside-township"


def test_a_case_found_major_later_strips_once_from_the_place_noted_at_registration(
    app: ScoringApplication,
) -> None:
    units = hierarchy(app)
    name_unit(app, units["community"], "community")
    minor = case(False)
    flagged = CaseFlaggedMajor(case_id=minor.case_id, township=TOWN, reason="社会影响恶劣")
    reclassified = CaseReclassified(
        case_id=minor.case_id, kind_name="抢劫", township=TOWN, major=True, reason="损失核实"
    )
    react(app, (minor, 1))
    assert revocations(app, units["community"]) == []
    react(app, (flagged, 2), (reclassified, 3))
    (revoked,) = revocations(app, units["community"])
    assert (revoked.cause_event_id, revoked.cause_event_type) == (
        "up:2",
        "pingan.campaigns.case.flagged_major.v1",
    )
    escalated = [
        e
        for e in app.events.get(revoked.incident_id or uuid4())
        if isinstance(e, Incident.Escalated)
    ]
    assert len(escalated) == 1


def test_an_incident_in_an_untitled_unit_vetoes_its_next_assessment_in_the_bar_period(
    app: ScoringApplication,
) -> None:
    units = hierarchy(app)
    react(app, (case(True, unit_id=str(units["compound"])), 4))
    compound = app.get_unit(units["compound"])
    assert compound.status is UnitStatus.REGISTERED and len(compound.recorded) == 1

    def assess(on: date) -> Unit.Assessed:
        app.apply_for_title(
            units["compound"],
            standard="compound_old",
            level=1,
            applied_on=on,
            metadata=META,
            today=on,
        )
        app.assess_unit(
            units["compound"],
            assessed_on=on,
            scores=full_marks(app, "compound_old"),
            deductions={},
            vetoes=[],
            survey=(100, 99, 99),
            assessors=["a"],
            metadata=META,
            today=on,
        )
        return [e for e in app.events.get(units["compound"]) if isinstance(e, Unit.Assessed)][-1]

    within = assess(date(2026, 7, 1))
    assert (within.verdict, within.vetoes) == ("vetoed", ["major_case"])
    after = assess(date(2027, 7, 1))  # the bar of the veto has run, the incident too
    assert (after.verdict, after.vetoes) == ("pass", [])


def test_the_office_matches_an_unmatched_incident_and_its_title_is_stripped_once(
    app: ScoringApplication,
) -> None:
    units = hierarchy(app)
    name_unit(app, units["compound"], "compound_old")
    unknown = case(True, unit_id="LT-404")
    react(app, (unknown, 5))
    incident = incident_id("CAMPAIGNS", unknown.case_id)
    assert revocations(app, units["compound"]) == []

    app.match_incident(
        incident, unit_id=units["compound"], reason="LT-404 即莲亭小区", metadata=META, today=TODAY
    )
    (revoked,) = revocations(app, units["compound"])
    assert revoked.incident_id == incident and revoked.cause_event_id == "up:5"
    with pytest.raises(RuleViolation, match="already matched"):
        app.match_incident(
            incident, unit_id=units["community"], reason="x", metadata=META, today=TODAY
        )


def test_two_families_of_one_name_are_two_units_and_a_street_is_a_street(
    app: ScoringApplication,
) -> None:
    units = hierarchy(app)
    first = register(app, UnitKind.FAMILY, name="王家", village=LIANTING)
    second = register(app, UnitKind.FAMILY, name="王家", village=LIANTING)
    assert first != second
    assert app.get_unit(first).parent_id == units["community"]
    with pytest.raises(RuleViolation, match="a street unit names a street"):
        register(app, UnitKind.STREET, name=TOWN)
    register(app, UnitKind.STREET, name="大城街道", township="大城街道")
