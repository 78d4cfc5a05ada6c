"""Investigation rounds decided in memory: every transition and guard, and findings that are
hazards saved with the round in one transaction."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import AggregateNotFoundError

from hazards.application import HazardsApplication
from hazards.contracts import to_integration_event
from hazards.contracts.round import RoundClosedV1, RoundFindingRecordedV1
from hazards.domain.key_area import KeyAreaKind
from hazards.domain.round import InvestigationRound, RoundStatus
from hazards.domain.vocabulary import Category, HazardStatus, Source
from pingan.write.domain import IllegalTransition, RuleViolation
from pingan.write.metadata import EventMetadata

META = EventMetadata(correlation_id="corr-1", causation_id="cause-1", actor="officer")
STARTS = date(2026, 6, 1)
ENDS = date(2026, 6, 30)


def open_round(
    app: HazardsApplication,
    areas: list[str] | None = None,
    starts_on: date = STARTS,
    ends_on: date = ENDS,
) -> UUID:
    return app.open_round(
        name="2026 年第二轮滚动排查",
        areas=["玉泉镇", "天水郡街道"] if areas is None else areas,
        starts_on=starts_on,
        ends_on=ends_on,
        organiser="区综治办",
        metadata=META,
    ).id


def find(
    app: HazardsApplication, round_id: UUID, category: Category = Category.FIRE, **overrides: Any
) -> UUID:
    finding: dict[str, Any] = {
        "title": "消防通道堵塞",
        "category": category,
        "township": "玉泉镇",
        "village": "莲亭村",
        "address": "莲亭村三巷",
        "reporter": "排查组 李",
        "today": STARTS + timedelta(days=3),
        "metadata": META,
        **overrides,
    }
    return app.record_finding(round_id, **finding).id


def close(app: HazardsApplication, round_id: UUID, summary: str = "排查完毕") -> int:
    return app.close_round(round_id, summary=summary, closed_by="区综治办", metadata=META).position


def lianting_key_area(app: HazardsApplication) -> UUID:
    """An urban village of Yuquan town, in 莲亭村 as the reference names it (as the API
    stores a hazard's)."""
    return app.designate_key_area(
        name="莲亭村",
        kind=KeyAreaKind.URBAN_VILLAGE,
        township="玉泉镇",
        village="莲亭居民委员会",
        designated_by="区综治办",
        metadata=META,
    ).id


def test_opening_a_round_records_its_areas_and_period(app: HazardsApplication) -> None:
    sweep = app.get_round(open_round(app))

    assert sweep.status is RoundStatus.OPEN
    assert sweep.areas == ["玉泉镇", "天水郡街道"]
    assert (sweep.starts_on, sweep.ends_on) == (STARTS, ENDS)
    assert sweep.allowed_commands() == ["/close", "/findings"]


def test_a_one_day_round_may_open(app: HazardsApplication) -> None:
    assert app.get_round(open_round(app, starts_on=STARTS, ends_on=STARTS)).ends_on == STARTS


@pytest.mark.parametrize(
    ("areas", "starts_on", "ends_on", "message"),
    [
        ([], STARTS, ENDS, "at least one area"),
        (["玉泉镇", "玉泉镇"], STARTS, ENDS, "each area once"),
        (["玉泉镇"], ENDS, STARTS, "end before it starts"),
    ],
)
def test_a_round_that_breaks_a_rule_is_not_opened(
    app: HazardsApplication, areas: list[str], starts_on: date, ends_on: date, message: str
) -> None:
    with pytest.raises(RuleViolation, match=message):
        open_round(app, areas=areas, starts_on=starts_on, ends_on=ends_on)

    assert app.recorder.max_notification_id() in (None, 0)


def test_a_finding_is_a_new_hazard_of_the_round_saved_with_it(app: HazardsApplication) -> None:
    round_id = open_round(app)
    opened_at = app.recorder.max_notification_id() or 0

    hazard_id = find(app, round_id, key_area_id=None, description="杂物堆放")

    hazard = app.get_hazard(hazard_id)
    assert hazard.round_id == round_id
    assert hazard.source is Source.INSPECTION
    assert hazard.status is HazardStatus.REPORTED
    assert app.get_round(round_id).findings == {hazard_id: Category.FIRE}
    hazard_event, round_event = app.recorder.select_notifications(start=opened_at + 1, limit=10)
    assert (hazard_event.originator_id, round_event.originator_id) == (hazard_id, round_id)


def test_a_finding_may_name_its_own_source(app: HazardsApplication) -> None:
    hazard_id = find(app, open_round(app), source=Source.PUBLIC_REPORT)

    assert app.get_hazard(hazard_id).source is Source.PUBLIC_REPORT


def test_a_finding_by_village_name_lies_in_the_round(app: HazardsApplication) -> None:
    round_id = open_round(app, areas=["莲亭村"])

    hazard_id = find(app, round_id, township="玉泉镇", village="莲亭村")

    assert hazard_id in app.get_round(round_id).findings


def test_a_finding_outside_the_rounds_areas_is_refused_and_no_hazard_is_saved(
    app: HazardsApplication,
) -> None:
    round_id = open_round(app)
    before = app.recorder.max_notification_id()

    with pytest.raises(RuleViolation, match="outside the round's areas"):
        find(app, round_id, township="太京镇", village="窝驼村")

    assert app.recorder.max_notification_id() == before


def test_a_finding_before_the_round_starts_is_refused(app: HazardsApplication) -> None:
    round_id = open_round(app)

    with pytest.raises(RuleViolation, match="outside the round's period"):
        find(app, round_id, today=STARTS - timedelta(days=1))


def test_a_finding_found_after_the_period_is_refused_and_stores_nothing(
    app: HazardsApplication,
) -> None:
    round_id = open_round(app)
    before = app.recorder.max_notification_id()

    with pytest.raises(RuleViolation, match="outside the round's period, 2026-06-01 to 2026-06-30"):
        find(app, round_id, today=ENDS + timedelta(days=2))

    assert app.recorder.max_notification_id() == before


def test_a_finding_stated_before_the_period_is_refused_by_its_business_date(
    app: HazardsApplication,
) -> None:
    round_id = open_round(app)

    with pytest.raises(RuleViolation, match="a finding of 2026-05-20 lies outside"):
        find(app, round_id, business_date=date(2026, 5, 20))


def test_a_finding_dated_within_the_period_is_recorded_after_it_while_open(
    app: HazardsApplication,
) -> None:
    round_id = open_round(app)

    hazard_id = find(app, round_id, today=ENDS + timedelta(days=2), business_date=ENDS)

    assert list(app.get_round(round_id).findings) == [hazard_id]


def test_a_finding_on_the_first_and_last_day_of_the_period_is_recorded(
    app: HazardsApplication,
) -> None:
    round_id = open_round(app)

    find(app, round_id, today=STARTS)
    find(app, round_id, today=ENDS)

    assert len(app.get_round(round_id).findings) == 2


def test_the_same_hazard_cannot_be_recorded_twice() -> None:
    sweep = InvestigationRound.open("r", ["玉泉镇"], STARTS, ENDS, "o")
    hazard_id = uuid4()
    sweep.record_finding(hazard_id, Category.FIRE, "玉泉镇", "v", STARTS)

    with pytest.raises(RuleViolation, match="already"):
        sweep.record_finding(hazard_id, Category.THEFT, "玉泉镇", "v", STARTS)


def test_a_finding_in_an_unknown_key_area_is_refused(app: HazardsApplication) -> None:
    round_id = open_round(app)
    before = app.recorder.max_notification_id()

    with pytest.raises(RuleViolation, match="no key area"):
        find(app, round_id, key_area_id=uuid4())
    with pytest.raises(RuleViolation, match="no key area"):
        find(app, round_id, key_area_id=round_id)

    assert app.recorder.max_notification_id() == before


def test_a_finding_in_a_key_area_carries_it(app: HazardsApplication) -> None:
    key_area_id = lianting_key_area(app)

    hazard_id = find(app, open_round(app), village="莲亭居民委员会", key_area_id=key_area_id)

    assert app.get_hazard(hazard_id).key_area_id == key_area_id


def test_closing_counts_the_findings_by_category(app: HazardsApplication) -> None:
    round_id = open_round(app)
    for category in (Category.FIRE, Category.THEFT, Category.FIRE, Category.PUBLIC_ORDER):
        find(app, round_id, category)

    close(app, round_id)

    sweep = app.get_round(round_id)
    assert sweep.status is RoundStatus.CLOSED
    closed = list(app.repository.event_store.get(round_id))[-1]
    assert isinstance(closed, InvestigationRound.Closed)
    assert closed.found_by_category == {"fire": 2, "public_order": 1, "theft": 1}
    assert closed.total == 4
    assert closed.summary == "排查完毕"


def test_a_round_that_found_nothing_closes_with_zero(app: HazardsApplication) -> None:
    round_id = open_round(app)

    close(app, round_id)

    closed = list(app.repository.event_store.get(round_id))[-1]
    assert isinstance(closed, InvestigationRound.Closed)
    assert (closed.found_by_category, closed.total) == ({}, 0)


def test_closing_without_a_summary_is_refused(app: HazardsApplication) -> None:
    round_id = open_round(app)

    with pytest.raises(RuleViolation, match="summary"):
        close(app, round_id, summary=" ")

    assert app.get_round(round_id).status is RoundStatus.OPEN


def test_a_closed_round_records_no_finding_and_no_hazard(app: HazardsApplication) -> None:
    round_id = open_round(app)
    close(app, round_id)
    before = app.recorder.max_notification_id()

    with pytest.raises(IllegalTransition) as refused:
        find(app, round_id)

    assert refused.value.current == "closed"
    assert refused.value.command == "/findings"
    assert refused.value.allowed == []
    assert app.recorder.max_notification_id() == before


def test_closing_twice_is_illegal(app: HazardsApplication) -> None:
    round_id = open_round(app)
    close(app, round_id)

    with pytest.raises(IllegalTransition) as refused:
        close(app, round_id)

    assert refused.value.command == "/close"


def test_an_unknown_or_foreign_id_is_not_a_round(app: HazardsApplication) -> None:
    key_area_id = lianting_key_area(app)

    for ident in (uuid4(), key_area_id):
        with pytest.raises(AggregateNotFoundError):
            app.get_round(ident)


def test_round_events_translate_to_their_contracts(app: HazardsApplication) -> None:
    round_id = open_round(app)
    hazard_id = find(app, round_id, Category.THEFT)
    close(app, round_id)

    contracts = [to_integration_event(e) for e in app.repository.event_store.get(round_id)]

    assert [c.subject for c in contracts if c] == [
        "hazards.round.opened",
        "hazards.round.finding_recorded",
        "hazards.round.closed",
    ]
    _, found, closed = contracts
    assert isinstance(found, RoundFindingRecordedV1)
    assert (found.round_id, found.hazard_id, found.category) == (round_id, hazard_id, "theft")
    assert isinstance(closed, RoundClosedV1)
    assert closed.found_by_category == {Category.THEFT: 1}
    assert closed.total == 1
