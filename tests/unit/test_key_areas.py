"""Key areas decided in memory: every transition, every guard, and the demo load."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import AggregateNotFoundError

from hazards.application import HazardsApplication
from hazards.application.key_areas import DEMO_VILLAGES, demo_key_area_id
from hazards.contracts import to_integration_event
from hazards.contracts.key_area import KeyAreaDesignatedV1, KeyAreaReviewedV1
from hazards.domain.key_area import KeyArea, KeyAreaKind, KeyAreaStatus
from hazards.domain.vocabulary import Category, Source
from pingan.write.domain import IllegalTransition, RuleViolation
from pingan.write.metadata import EventMetadata

META = EventMetadata(correlation_id="corr-1", causation_id="cause-1", actor="officer")
TODAY = date(2026, 6, 1)


def designate(app: HazardsApplication) -> UUID:
    return app.designate_key_area(
        name="火车站城乡结合部",
        kind=KeyAreaKind.URBAN_RURAL_FRINGE,
        township="天水郡街道",
        village="天水郡社区",
        designated_by="区综治办",
        description="盗窃案件易发",
        metadata=META,
    ).id


def plan(app: HazardsApplication, key_area_id: UUID, deadline: date = TODAY) -> int:
    return app.plan_key_area_rectification(
        key_area_id,
        measures="增设监控, 清理出租房屋",
        responsible_unit="天水郡派出所",
        deadline=deadline,
        today=TODAY,
        combined_with="城中村改造",
        metadata=META,
    ).position


def review(app: HazardsApplication, key_area_id: UUID, improved: bool, on: date = TODAY) -> int:
    return app.record_key_area_review(
        key_area_id,
        reviewer="区综治办 张",
        reviewed_on=on,
        findings="发案下降",
        public_order_improved=improved,
        today=TODAY,
        metadata=META,
    ).position


def delist(app: HazardsApplication, key_area_id: UUID, reason: str = "治安面貌根本改变") -> int:
    return app.delist_key_area(
        key_area_id, delisted_by="区委政法委", reason=reason, metadata=META
    ).position


def test_designation_records_the_area_as_designated(app: HazardsApplication) -> None:
    area = app.get_key_area(designate(app))

    assert area.status is KeyAreaStatus.DESIGNATED
    assert area.kind is KeyAreaKind.URBAN_RURAL_FRINGE
    assert area.township == "天水郡街道"
    assert area.allowed_commands() == ["/plan"]


def test_planning_puts_the_area_under_rectification(app: HazardsApplication) -> None:
    key_area_id = designate(app)

    plan(app, key_area_id, deadline=TODAY + timedelta(days=90))

    area = app.get_key_area(key_area_id)
    assert area.status is KeyAreaStatus.UNDER_RECTIFICATION
    assert area.deadline == TODAY + timedelta(days=90)
    assert area.allowed_commands() == ["/reviews"]


def test_a_plan_with_a_past_deadline_is_refused(app: HazardsApplication) -> None:
    key_area_id = designate(app)

    with pytest.raises(RuleViolation, match="past"):
        plan(app, key_area_id, deadline=TODAY - timedelta(days=1))

    assert app.get_key_area(key_area_id).status is KeyAreaStatus.DESIGNATED


def test_reviewing_a_designated_area_without_a_plan_is_illegal(app: HazardsApplication) -> None:
    key_area_id = designate(app)

    with pytest.raises(IllegalTransition) as refused:
        review(app, key_area_id, improved=True)

    assert refused.value.current == "designated"
    assert refused.value.command == "/reviews"
    assert refused.value.allowed == ["/plan"]


def test_reviews_may_follow_one_another_and_the_latest_decides(app: HazardsApplication) -> None:
    key_area_id = designate(app)
    plan(app, key_area_id)

    review(app, key_area_id, improved=False, on=TODAY - timedelta(days=30))
    review(app, key_area_id, improved=True, on=TODAY)

    area = app.get_key_area(key_area_id)
    assert area.status is KeyAreaStatus.REVIEWED
    assert area.reviews == 2
    assert area.public_order_improved is True
    assert area.allowed_commands() == ["/delist", "/plan", "/reviews"]


def test_a_review_dated_in_the_future_is_refused(app: HazardsApplication) -> None:
    key_area_id = designate(app)
    plan(app, key_area_id)

    with pytest.raises(RuleViolation, match="future"):
        review(app, key_area_id, improved=True, on=TODAY + timedelta(days=1))


def test_a_review_dated_before_the_previous_one_is_refused(app: HazardsApplication) -> None:
    key_area_id = designate(app)
    plan(app, key_area_id)
    review(app, key_area_id, improved=False, on=TODAY)

    with pytest.raises(RuleViolation, match="previous"):
        review(app, key_area_id, improved=True, on=TODAY - timedelta(days=1))

    assert app.get_key_area(key_area_id).reviews == 1


def test_delisting_after_an_improving_review_delists(app: HazardsApplication) -> None:
    key_area_id = designate(app)
    plan(app, key_area_id)
    review(app, key_area_id, improved=True)

    delist(app, key_area_id)

    area = app.get_key_area(key_area_id)
    assert area.status is KeyAreaStatus.DELISTED
    assert area.allowed_commands() == []


def test_delisting_when_the_latest_review_found_no_improvement_is_refused(
    app: HazardsApplication,
) -> None:
    key_area_id = designate(app)
    plan(app, key_area_id)
    review(app, key_area_id, improved=True, on=TODAY - timedelta(days=10))
    review(app, key_area_id, improved=False, on=TODAY)

    with pytest.raises(RuleViolation, match="latest review"):
        delist(app, key_area_id)

    assert app.get_key_area(key_area_id).status is KeyAreaStatus.REVIEWED


def test_delisting_without_a_reason_is_refused(app: HazardsApplication) -> None:
    key_area_id = designate(app)
    plan(app, key_area_id)
    review(app, key_area_id, improved=True)

    with pytest.raises(RuleViolation, match="reason"):
        delist(app, key_area_id, reason="  ")


@pytest.mark.parametrize("reviews", [0, 1])
def test_delisting_before_a_review_of_the_current_plan_is_illegal(
    app: HazardsApplication, reviews: int
) -> None:
    key_area_id = designate(app)
    plan(app, key_area_id)
    if reviews:
        review(app, key_area_id, improved=True)
        plan(app, key_area_id)  # a revised plan needs a review of its own

    with pytest.raises(IllegalTransition) as refused:
        delist(app, key_area_id)

    assert refused.value.current == "under_rectification"


def test_a_revised_plan_after_a_review_resumes_rectification(app: HazardsApplication) -> None:
    key_area_id = designate(app)
    plan(app, key_area_id)
    review(app, key_area_id, improved=False)

    plan(app, key_area_id, deadline=TODAY + timedelta(days=180))

    area = app.get_key_area(key_area_id)
    assert area.status is KeyAreaStatus.UNDER_RECTIFICATION
    assert area.plans == 2
    assert area.deadline == TODAY + timedelta(days=180)


def test_planning_under_rectification_is_illegal(app: HazardsApplication) -> None:
    key_area_id = designate(app)
    plan(app, key_area_id)

    with pytest.raises(IllegalTransition) as refused:
        plan(app, key_area_id)

    assert refused.value.current == "under_rectification"


@pytest.mark.parametrize("command", ["plan", "review", "delist"])
def test_a_delisted_area_takes_no_more_commands(app: HazardsApplication, command: str) -> None:
    key_area_id = designate(app)
    plan(app, key_area_id)
    review(app, key_area_id, improved=True)
    delist(app, key_area_id)

    with pytest.raises(IllegalTransition) as refused:
        match command:
            case "plan":
                plan(app, key_area_id)
            case "review":
                review(app, key_area_id, improved=True)
            case _:
                delist(app, key_area_id)

    assert refused.value.current == "delisted"
    assert refused.value.allowed == []


def test_an_unknown_or_foreign_id_is_not_a_key_area(app: HazardsApplication) -> None:
    hazard_id = app.report_hazard(
        title="t",
        category=Category.FIRE,
        source=Source.INSPECTION,
        township="玉泉镇",
        village="莲亭村",
        address="a",
        reporter="r",
        metadata=META,
    ).id

    for ident in (uuid4(), hazard_id):
        with pytest.raises(AggregateNotFoundError):
            app.get_key_area(ident)


def test_demo_load_designates_the_five_yuquan_urban_villages_under_fixed_ids(
    app: HazardsApplication,
) -> None:
    loaded = app.load_demo_key_areas(META)

    assert loaded.ids == [demo_key_area_id("玉泉镇", v) for v in DEMO_VILLAGES]
    assert loaded.designated == loaded.ids
    assert loaded.position > 0
    areas = [app.get_key_area(i) for i in loaded.ids]
    assert [a.name for a in areas] == ["莲亭村", "天水郡村", "闫新村", "东方红村", "金家庄村"]
    assert {a.kind for a in areas} == {KeyAreaKind.URBAN_VILLAGE}
    assert {a.township for a in areas} == {"玉泉镇"}
    assert all("城中村" in a.description for a in areas)


def test_demo_load_twice_changes_nothing(app: HazardsApplication) -> None:
    first = app.load_demo_key_areas(META)
    last = app.recorder.max_notification_id()

    again = app.load_demo_key_areas(META)

    assert again.ids == first.ids
    assert again.designated == []
    assert again.position == 0
    assert app.recorder.max_notification_id() == last


def test_demo_load_designates_only_the_missing_ones(app: HazardsApplication) -> None:
    first_id = demo_key_area_id("玉泉镇", DEMO_VILLAGES[0])
    app.save(
        KeyArea(
            id=first_id,
            name=DEMO_VILLAGES[0],
            kind=KeyAreaKind.URBAN_VILLAGE.value,
            township="玉泉镇",
            village=DEMO_VILLAGES[0],
            designated_by="earlier",
        )
    )

    loaded = app.load_demo_key_areas(META)

    assert loaded.designated == loaded.ids[1:]
    assert app.get_key_area(first_id).designated_by == "earlier"


def test_key_area_events_translate_to_their_contracts(app: HazardsApplication) -> None:
    key_area_id = designate(app)
    plan(app, key_area_id)
    review(app, key_area_id, improved=True)
    delist(app, key_area_id)

    contracts = [to_integration_event(e) for e in app.repository.event_store.get(key_area_id)]

    assert [c.subject for c in contracts if c] == [
        "hazards.key_area.designated",
        "hazards.key_area.rectification_planned",
        "hazards.key_area.reviewed",
        "hazards.key_area.delisted",
    ]
    designated, _, reviewed, _ = contracts
    assert isinstance(designated, KeyAreaDesignatedV1)
    assert designated.key_area_id == key_area_id
    assert designated.kind is KeyAreaKind.URBAN_RURAL_FRINGE
    assert isinstance(reviewed, KeyAreaReviewedV1)
    assert reviewed.public_order_improved is True
