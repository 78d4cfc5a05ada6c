"""Early warnings on the in-memory store: the watch counts cases in its own tallies and raises
a warning once per series and month; withdrawals and reclassifications take counts back;
past figures make the history; the warning's workflow."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import Tracking

from campaigns.application import CampaignsApplication
from campaigns.application.warnings import Figure
from campaigns.application.watch import WarningWatch
from campaigns.configuration import warning_rule
from campaigns.contracts import to_integration_event
from campaigns.domain.warning import EarlyWarning, MonthlyTally, WarningLevel, WarningStatus
from campaigns.domain.warning_rule import DISTRICT, shift
from pingan.bus.envelope import Envelope
from pingan.consume.reactions import Reacting
from pingan.testing import in_memory
from pingan.write.domain import IllegalTransition, RuleViolation
from pingan.write.metadata import EventMetadata

TODAY = date(2026, 6, 20)
META = EventMetadata.new("unit")
TOWNSHIP = "玉泉镇"


@pytest.fixture
def app() -> CampaignsApplication:
    return in_memory(CampaignsApplication)


class Driver:
    """Feeds the application's own published events to the watch, as the bus would."""

    def __init__(self, app: CampaignsApplication) -> None:
        self.app = app
        self.watch = WarningWatch()
        self.done = 0

    def run(self, *, again_from: int | None = None) -> None:
        start = self.done + 1 if again_from is None else again_from
        for n in self.app.recorder.select_notifications(start=start, limit=100_000):
            published = to_integration_event(self.app.mapper.to_domain_event(n))
            if n.id <= self.done and again_from is None:
                continue
            self.done = max(self.done, n.id)
            if published is None:
                continue
            envelope = Envelope(
                id=f"campaigns:{n.id}",
                source="campaigns",
                type=published.event_type,
                subject=published.subject,
                time=datetime.now(UTC),
                position=n.id,
                correlation_id="c",
                causation_id="c",
                actor="unit",
            )
            ctx: Reacting[CampaignsApplication] = Reacting(self.app)
            self.watch.react(ctx, envelope, published.model_dump_json().encode())
            # Replayed, the events are decided again without the tracking that would refuse
            # them: the watch's own aggregates must make the second decision a no-op.
            tracking = None if again_from is not None else Tracking("warnings:CAMPAIGNS", n.id)
            self.app.events.put(ctx._take(), tracking=tracking)


def register(app: CampaignsApplication, on: date, kind: str = "theft", **extra: Any) -> UUID:
    return app.register_case(
        kind=kind,
        township=extra.get("township", TOWNSHIP),
        village="莲亭村",
        place="市场",
        happened_at=datetime(on.year, on.month, on.day, 9, tzinfo=UTC),
        registered_on=on,
        registered_by="玉泉派出所",
        metadata=META,
        today=TODAY,
    ).id


def load_history(app: CampaignsApplication, level: int, months: int = 12) -> None:
    for k in range(months, 0, -1):
        app.load_figures(
            month=shift("2026-06", -k),
            figures=[Figure(TOWNSHIP, "theft", level)],
            metadata=META,
            today=TODAY,
        )


def warnings(app: CampaignsApplication) -> list[EarlyWarning]:
    found = []
    for n in app.recorder.select_notifications(start=1, limit=100_000):
        event = app.mapper.to_domain_event(n)
        if isinstance(event, EarlyWarning.Raised):
            found.append(app.get_warning(event.originator_id))
    return found


def test_a_month_far_above_its_history_raises_one_warning_per_series(
    app: CampaignsApplication,
) -> None:
    load_history(app, 2)
    driver = Driver(app)
    for day in range(1, 13):
        register(app, date(2026, 6, day))
    driver.run()

    raised = {(w.area, w.kind, w.level) for w in warnings(app)}
    # 12 against 2: the cell and the township's criminal total, the kind and the total across
    # the district (the district's history here is the same township's).
    assert raised == {
        (TOWNSHIP, "theft", WarningLevel.CELL),
        (TOWNSHIP, "criminal", WarningLevel.TOWNSHIP),
        (DISTRICT, "theft", WarningLevel.DISTRICT),
        (DISTRICT, "criminal", WarningLevel.DISTRICT),
    }
    cell = app.get_warning(EarlyWarning.create_id(TOWNSHIP, "theft", "2026-06"))
    assert cell.count == 9 and cell.baseline == 2  # raised when it reached (√2 + 1.5)² ≈ 8.5
    assert cell.status is WarningStatus.RAISED

    # More cases the same month, and the same events again: no second warning.
    register(app, date(2026, 6, 14))
    driver.run()
    driver.run(again_from=1)
    assert len(warnings(app)) == 4


def test_an_ordinary_month_and_a_rise_from_one_to_two_stay_quiet(
    app: CampaignsApplication,
) -> None:
    load_history(app, 1)
    driver = Driver(app)
    register(app, date(2026, 6, 1))
    register(app, date(2026, 6, 2))
    driver.run()
    assert warnings(app) == []


def test_without_enough_history_nothing_warns(app: CampaignsApplication) -> None:
    load_history(app, 0, months=6)
    driver = Driver(app)
    for day in range(1, 21):
        register(app, date(2026, 6, day))
    driver.run()
    assert warnings(app) == []


def test_a_withdrawn_case_and_a_reclassified_one_leave_their_tallies(
    app: CampaignsApplication,
) -> None:
    driver = Driver(app)
    first = register(app, date(2026, 5, 4))
    second = register(app, date(2026, 5, 5))
    driver.run()
    tally_id = MonthlyTally.create_id(TOWNSHIP, "theft", "2026-05")
    assert app.get(tally_id, MonthlyTally).total == 2

    app.withdraw_case(
        first, withdrawn_on=date(2026, 5, 6), reason="不构成犯罪", metadata=META, today=TODAY
    )
    app.reclassify_case(second, kind="fraud", reason="实为诈骗", metadata=META, today=TODAY)
    driver.run()
    assert app.get(tally_id, MonthlyTally).total == 0
    fraud = MonthlyTally.create_id(TOWNSHIP, "fraud", "2026-05")
    assert app.get(fraud, MonthlyTally).total == 1
    total = MonthlyTally.create_id(TOWNSHIP, "criminal", "2026-05")
    assert app.get(total, MonthlyTally).total == 1


def test_past_figures_replace_those_loaded_before_for_the_month(
    app: CampaignsApplication,
) -> None:
    month = "2026-01"
    app.load_figures(
        month=month,
        figures=[Figure(TOWNSHIP, "theft", 5), Figure("太京镇", "盗窃", 3)],
        metadata=META,
        today=TODAY,
    )
    app.load_figures(
        month=month, figures=[Figure(TOWNSHIP, "theft", 4)], metadata=META, today=TODAY
    )

    def tally(area: str, kind: str) -> MonthlyTally:
        return app.get(MonthlyTally.create_id(area, kind, month), MonthlyTally)

    assert tally(TOWNSHIP, "theft").total == 4
    assert tally("太京镇", "theft").total == 0
    assert tally(DISTRICT, "theft").total == 4
    assert tally(DISTRICT, "criminal").total == 4
    with pytest.raises(RuleViolation):
        app.load_figures(month="2026-06", figures=[], metadata=META, today=TODAY)


def test_a_warning_is_acknowledged_answered_and_closed_in_that_order(
    app: CampaignsApplication,
) -> None:
    load_history(app, 0)
    driver = Driver(app)
    for day in range(1, 8):
        register(app, date(2026, 6, day))
    driver.run()
    warning_id = EarlyWarning.create_id(TOWNSHIP, "theft", "2026-06")
    with pytest.raises(IllegalTransition):
        app.close_warning(
            warning_id, summary="x", closed_by="区委政法委", metadata=META, today=TODAY
        )
    app.acknowledge_warning(
        warning_id, acknowledged_by="玉泉镇综治办", note="已部署", metadata=META, today=TODAY
    )
    app.record_warning_response(
        warning_id, response="加强夜间巡逻", recorded_by="玉泉派出所", metadata=META, today=TODAY
    )
    app.record_warning_response(
        warning_id,
        response="开展市场防盗宣传",
        recorded_by="玉泉派出所",
        metadata=META,
        today=TODAY + timedelta(days=1),
    )
    app.close_warning(
        warning_id,
        summary="发案回落",
        closed_by="区委政法委",
        metadata=META,
        today=TODAY + timedelta(days=1),
    )
    warning = app.get_warning(warning_id)
    assert warning.status is WarningStatus.CLOSED
    assert warning.responses == ["加强夜间巡逻", "开展市场防盗宣传"]


def test_the_rule_is_configured_in_the_kinds_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "kinds.yaml"
    config.write_text("warning_rule: {z: 3.5, trailing_months: 6}\n", encoding="utf-8")
    monkeypatch.setenv("CAMPAIGN_KINDS_FILE", str(config))
    rule = in_memory(CampaignsApplication).warning_rule
    assert (rule.z, rule.trailing_months, rule.floor) == (3.5, 6, 0.5)

    config.write_text("warning_rule: {zz: 3}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="zz"):
        warning_rule(config)
