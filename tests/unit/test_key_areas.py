"""Key areas decided in memory: every transition and every guard."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import AggregateNotFoundError

from hazards.application import HazardsApplication
from hazards.contracts import to_integration_event
from hazards.contracts.key_area import (
    KeyAreaDelistedV1,
    KeyAreaDesignatedV1,
    KeyAreaReviewedV1,
)
from hazards.domain.key_area import KeyArea, KeyAreaKind, KeyAreaStatus, key_area_name_id
from hazards.domain.vocabulary import Category, Grade, HazardStatus, RejectionReason, Source
from pingan.write.domain import AlreadyTaken, IllegalTransition, RuleViolation
from pingan.write.metadata import EventMetadata
from tests.unit.test_hazard_lifecycle import PATH, file_as

META = EventMetadata(correlation_id="corr-1", causation_id="cause-1", actor="officer")
TODAY = date(2026, 6, 1)


def designate(app: HazardsApplication, **overrides: Any) -> UUID:
    designation: dict[str, Any] = {
        "name": "火车站城乡结合部",
        "kind": KeyAreaKind.URBAN_RURAL_FRINGE,
        "township": "天水郡街道",
        "village": "天水郡社区",
        "designated_by": "区综治办",
        "description": "盗窃案件易发",
        **overrides,
    }
    return app.designate_key_area(**designation, metadata=META).id


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


# -- the name, the villages and the hazards of an area ---------------------------------------


def report(
    app: HazardsApplication,
    key_area_id: UUID | None,
    township: str = "天水郡街道",
    village: str = "天水郡社区",
) -> UUID:
    return app.report_hazard(
        title="出租屋私拉电线",
        category=Category.FIRE,
        source=Source.GRID_WORKER,
        township=township,
        village=village,
        address="三巷 5 号",
        reporter="网格员 李",
        key_area_id=key_area_id,
        metadata=META,
    ).id


def reviewed_area(app: HazardsApplication, **designation: Any) -> UUID:
    key_area_id = designate(app, **designation)
    plan(app, key_area_id)
    review(app, key_area_id, improved=True)
    return key_area_id


def close_hazard(app: HazardsApplication, hazard_id: UUID) -> None:
    hazard = app.get_hazard(hazard_id)
    file_as(hazard, Grade.GENERAL)
    for reached, step in PATH:
        if reached is HazardStatus.CLOSED:
            break
        step(hazard)
    app.save(hazard)
    app.close_hazard(hazard_id, closed_by="区综治办", metadata=META)


@pytest.mark.parametrize("second", ["火车站城乡结合部", " 火车站城乡结合部 "])
def test_a_second_area_of_the_same_name_in_the_township_is_refused_naming_the_first(
    app: HazardsApplication, second: str
) -> None:
    first = designate(app)
    before = app.recorder.max_notification_id()

    with pytest.raises(AlreadyTaken) as refused:
        designate(app, name=second)

    assert refused.value.holder == first
    assert str(first) in str(refused.value)
    assert app.recorder.max_notification_id() == before


def test_names_compare_by_width_spacing_and_case() -> None:
    assert key_area_name_id("玉泉镇", "\uff21\uff22  工业区") == key_area_name_id(
        "玉泉镇", "ab 工业区"
    )
    assert key_area_name_id("玉泉镇", "ab 工业区") != key_area_name_id("太京镇", "ab 工业区")


def test_the_same_name_in_another_township_is_another_area(app: HazardsApplication) -> None:
    first = designate(app)

    other = designate(app, township="玉泉镇", village="莲亭村")

    assert other != first


def test_a_hazard_linked_to_an_area_lies_in_one_of_its_villages(app: HazardsApplication) -> None:
    key_area_id = designate(app, villages=["红山社区"])

    report(app, key_area_id, village="天水郡社区")
    report(app, key_area_id, village="红山社区")

    assert len(app.get_key_area(key_area_id).open_hazards) == 2


@pytest.mark.parametrize(
    ("township", "village"), [("天水郡街道", "七里墩社区"), ("玉泉镇", "天水郡社区")]
)
def test_a_hazard_linked_to_an_area_outside_its_villages_is_refused(
    app: HazardsApplication, township: str, village: str
) -> None:
    key_area_id = designate(app)
    before = app.recorder.max_notification_id()

    with pytest.raises(RuleViolation, match="outside the key area 火车站城乡结合部"):
        report(app, key_area_id, township=township, village=village)

    assert app.recorder.max_notification_id() == before


def test_a_round_finding_linked_to_an_area_outside_its_villages_is_refused(
    app: HazardsApplication,
) -> None:
    key_area_id = designate(app)
    round_id = app.open_round(
        name="第二轮排查",
        areas=["天水郡街道"],
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=30),
        organiser="区综治办",
        metadata=META,
    ).id

    with pytest.raises(RuleViolation, match="outside the key area"):
        app.record_finding(
            round_id,
            title="t",
            category=Category.FIRE,
            township="天水郡街道",
            village="七里墩社区",
            address="a",
            reporter="r",
            key_area_id=key_area_id,
            today=TODAY,
            metadata=META,
        )


def test_a_delisted_area_takes_no_new_hazards(app: HazardsApplication) -> None:
    key_area_id = reviewed_area(app)
    delist(app, key_area_id)
    before = app.recorder.max_notification_id()

    with pytest.raises(RuleViolation, match="delisted and takes no new hazards"):
        report(app, key_area_id)

    assert app.recorder.max_notification_id() == before


def test_delisting_an_area_with_open_hazards_needs_an_override_reason(
    app: HazardsApplication,
) -> None:
    key_area_id = reviewed_area(app)
    report(app, key_area_id)

    with pytest.raises(RuleViolation, match="1 open hazards; delisting it anyway needs"):
        delist(app, key_area_id)
    with pytest.raises(RuleViolation, match="override_reason"):
        app.delist_key_area(
            key_area_id, delisted_by="区委政法委", reason="r", override_reason=" ", metadata=META
        )
    assert app.get_key_area(key_area_id).status is KeyAreaStatus.REVIEWED

    app.delist_key_area(
        key_area_id,
        delisted_by="区委政法委",
        reason="治安面貌根本改变",
        override_reason="剩余隐患已移交属地乡镇跟踪",
        metadata=META,
    )

    delisted = to_integration_event(list(app.repository.event_store.get(key_area_id))[-1])
    assert isinstance(delisted, KeyAreaDelistedV1)
    assert (delisted.override_reason, delisted.open_hazards) == ("剩余隐患已移交属地乡镇跟踪", 1)


def test_a_closed_or_rejected_hazard_no_longer_holds_its_area_open(
    app: HazardsApplication,
) -> None:
    key_area_id = reviewed_area(app)
    closed, rejected = report(app, key_area_id), report(app, key_area_id)

    close_hazard(app, closed)
    app.reject_hazard(
        rejected,
        reason=RejectionReason.NOT_A_HAZARD,
        explanation="已整改",
        duplicate_of=None,
        metadata=META,
    )

    assert app.get_key_area(key_area_id).open_hazards == set()
    delist(app, key_area_id)
    delisted = to_integration_event(list(app.repository.event_store.get(key_area_id))[-1])
    assert isinstance(delisted, KeyAreaDelistedV1)
    assert (delisted.override_reason, delisted.open_hazards) == (None, 0)


def test_an_area_keeps_hazards_linked_before_its_dated_facts(app: HazardsApplication) -> None:
    """A hazard from a past ledger links to an area reviewed since: the link does not order
    the report's business date, nor does it hold back the area's own later facts."""
    key_area_id = reviewed_area(app)

    app.report_hazard(
        title="旧台账隐患",
        category=Category.FIRE,
        source=Source.INSPECTION,
        township="天水郡街道",
        village="天水郡社区",
        address="a",
        reporter="r",
        key_area_id=key_area_id,
        business_date=TODAY - timedelta(days=200),
        today=TODAY,
        metadata=META,
    )

    assert len(app.get_key_area(key_area_id).open_hazards) == 1


def test_link_events_stay_private(app: HazardsApplication) -> None:
    key_area_id = designate(app)
    report(app, key_area_id)

    events = list(app.repository.event_store.get(key_area_id))

    assert [type(e).__name__ for e in events] == ["Designated", "HazardLinked"]
    assert isinstance(events[1], KeyArea.HazardLinked)
    assert to_integration_event(events[1]) is None
