"""The warning watch as its own process (`pingan react campaigns`), killed with SIGKILL
mid-batch and started again: every case counted once, every warning raised once, and the
warnings those the final counts call for."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime

import pytest

from campaigns.application import CampaignsApplication
from campaigns.application.warnings import Figure
from campaigns.domain.warning import CountedCase, EarlyWarning, MonthlyTally
from campaigns.domain.warning_rule import shift
from pingan.consume import tracking
from pingan.reference import current_district
from pingan.run.runtime import ServiceRuntime
from pingan.write.metadata import EventMetadata
from tests.conftest import Spawn
from tests.seeding import eventually, relay_until

pytestmark = pytest.mark.slow

TODAY = date(2026, 6, 20)
META = EventMetadata.new("test")
CASES = 1500
KINDS = ("theft", "fraud")


def _seed(app: CampaignsApplication) -> None:
    townships = [t.name for t in current_district().townships]
    for k in range(12, 0, -1):
        figures = [Figure(t, kind, 1) for t in townships for kind in KINDS]
        app.load_figures(month=shift("2026-06", -k), figures=figures, metadata=META, today=TODAY)
    for n in range(CASES):
        # Most cases in a few townships, so that some cells rise and others stay quiet.
        township = townships[n % 4] if n % 3 else townships[n % len(townships)]
        on = date(2026, 5 + n % 2, 1 + n % 19)
        app.register_case(
            kind=KINDS[n % 2],
            township=township,
            village="v",
            place="p",
            happened_at=datetime(on.year, on.month, on.day, tzinfo=UTC),
            registered_on=on,
            registered_by="test",
            metadata=META,
            today=TODAY,
        )


async def _seq(runtime: ServiceRuntime[CampaignsApplication]) -> int:
    async with runtime.pool.acquire() as conn:
        return (await tracking.read_tracking(conn, "warnings", "CAMPAIGNS")).stream_seq


async def test_the_watch_killed_mid_batch_counts_each_case_and_raises_each_warning_once(
    campaigns: ServiceRuntime[CampaignsApplication], spawn: Spawn
) -> None:
    app = campaigns.application
    await asyncio.to_thread(_seed, app)
    await relay_until(campaigns, CASES)

    first = spawn("react", "campaigns", PROJECTION_BATCH_SIZE="25")

    async def started() -> bool:
        return await _seq(campaigns) >= 300

    await eventually(started, timeout_s=120, what="the watch to start")
    first.kill9()
    at_kill = await asyncio.to_thread(app.recorder.max_tracking_id, "warnings:CAMPAIGNS")
    second = spawn("react", "campaigns", PROJECTION_BATCH_SIZE="25")

    async def finished() -> bool:
        return await _seq(campaigns) >= CASES

    await eventually(finished, timeout_s=300, what="the restarted watch to finish")
    assert second.terminate() == 0

    assert at_kill is not None and 300 <= at_kill < CASES, "the kill did not land mid-stream"
    notifications = app.recorder.select_notifications(start=1, limit=1_000_000)
    events = [app.mapper.to_domain_event(n) for n in notifications]
    counted = Counter(e.case_id for e in events if isinstance(e, CountedCase.Counted))
    assert len(counted) == CASES and set(counted.values()) == {1}
    tallied = Counter(
        (e.originator_id, vars(e)["case_id"])
        for e in events
        if isinstance(e, MonthlyTally.Event) and type(e).__name__ == "Counted"
    )
    assert len(tallied) == 4 * CASES and set(tallied.values()) == {1}

    raised = Counter(e.originator_id for e in events if isinstance(e, EarlyWarning.Raised))
    assert raised and set(raised.values()) == {1}
    # Counts only rose, so a series warned exactly when its final count reached its threshold.
    rule = app.warning_rule
    tallies = {e.originator_id for e in events if type(e).__qualname__ == "MonthlyTally.Opened"}
    expected = set()
    for tally_id in tallies:
        tally = app.get(tally_id, MonthlyTally)
        if tally.cases and tally.baseline is not None and rule.fires(tally.total, tally.baseline):
            expected.add(EarlyWarning.create_id(tally.area, tally.kind, tally.month))
    assert set(raised) == expected
