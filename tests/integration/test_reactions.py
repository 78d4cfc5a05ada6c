"""Reactions on a real stream and event store: exactly-once effects, causation, halts."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any
from uuid import UUID

import pytest

from hazards.application import HazardsApplication
from hazards.domain.hazard import Hazard
from hazards.domain.vocabulary import Category
from pingan.bus.envelope import Header
from pingan.consume import tracking
from pingan.consume.core import StaleTracking
from pingan.consume.reactions import UpstreamEventSkipped
from pingan.run.embedded import EmbeddedNats
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.write.metadata import EventMetadata, metadata_of
from tests.conftest import as_tester
from tests.fixtures.tally import FLAKY, POISON, TallyApplication, TownshipTally
from tests.seeding import eventually, relay_until, seed_hazards


@pytest.fixture
def settings(settings: Settings, nats_server: EmbeddedNats) -> Settings:
    """These tests run consumers and replays no service declares."""
    return as_tester(settings, nats_server)


def stored(app: TallyApplication) -> list[Any]:
    """Every domain event the application has stored, in order."""
    notifications = app.recorder.select_notifications(start=1, limit=1_000_000)
    return [app.mapper.to_domain_event(n) for n in notifications]


def counted(app: TallyApplication) -> Counter[UUID]:
    """How many times each hazard was counted, over every township's tally."""
    return Counter(e.hazard_id for e in stored(app) if isinstance(e, TownshipTally.Counted))


async def reaction_seq(runtime: ServiceRuntime[TallyApplication]) -> int:
    async with runtime.pool.acquire() as conn:
        return (await tracking.read_tracking(conn, "tally", "HAZARDS")).stream_seq


async def test_each_upstream_event_has_its_effect_once_with_its_causation(
    settings: Settings,
    hazards: ServiceRuntime[HazardsApplication],
    tally: ServiceRuntime[TallyApplication],
) -> None:
    await seed_hazards(settings, reports=300)
    await relay_until(hazards, 300)
    stop = asyncio.Event()
    (runner,) = tally.reactors()
    task = asyncio.create_task(runner.run(stop))
    await eventually(lambda: _reached(tally, 300), what="the reaction to catch up")
    stop.set()
    await task

    seen = counted(tally.application)
    assert len(seen) == 300 and set(seen.values()) == {1}
    upstream = await hazards.js.get_msg("HAZARDS", seq=5)
    assert upstream.headers is not None
    caused = [
        e
        for e in stored(tally.application)
        if isinstance(e, TownshipTally.Counted)
        and (meta := metadata_of(e))
        and meta.causation_id == upstream.headers[Header.ID]
    ]
    assert len(caused) == 1
    meta = metadata_of(caused[0])
    assert meta is not None
    assert meta.correlation_id == upstream.headers[Header.CORRELATION_ID]
    assert meta.actor == "reaction:tally"


async def _reached(runtime: ServiceRuntime[TallyApplication], seq: int) -> bool:
    return await reaction_seq(runtime) >= seq


async def test_redelivered_upstream_events_change_nothing(
    settings: Settings,
    hazards: ServiceRuntime[HazardsApplication],
    tally: ServiceRuntime[TallyApplication],
) -> None:
    await seed_hazards(settings, reports=120)
    await relay_until(hazards, 120)
    stop = asyncio.Event()
    (runner,) = tally.reactors()
    task = asyncio.create_task(runner.run(stop))
    await eventually(lambda: _reached(tally, 120), what="the reaction to catch up")
    stop.set()
    await task
    written = tally.application.recorder.max_notification_id()

    replay = await hazards.js.pull_subscribe("hazards.>", durable="replay", stream="HAZARDS")
    batch = await replay.fetch(120, timeout=5)
    assert await runner.step("HAZARDS", batch) == "ok"
    # Past the core's own check, the event store refuses the same tracking twice.
    with pytest.raises(StaleTracking):
        await runner.sink.apply("HAZARDS", batch[:10])

    assert tally.application.recorder.max_notification_id() == written
    assert set(counted(tally.application).values()) == {1}


def _report_poison(app: HazardsApplication, township: str = POISON) -> None:
    hazard = Hazard(
        title="cannot be counted",
        category=Category.FIRE.value,
        source="inspection",
        township=township,
        village="v",
        address="a",
        reporter="r",
    )
    app.record(hazard, metadata=EventMetadata.new("test"))


async def test_an_event_the_reaction_cannot_apply_halts_it_until_skipped_with_a_reason(
    settings: Settings,
    hazards: ServiceRuntime[HazardsApplication],
    tally: ServiceRuntime[TallyApplication],
) -> None:
    await seed_hazards(settings, reports=10)
    await asyncio.to_thread(_report_poison, hazards.application)
    await seed_hazards(settings, reports=5)
    await relay_until(hazards, 16)
    stop = asyncio.Event()
    (runner,) = tally.reactors()
    task = asyncio.create_task(runner.run(stop))
    try:
        await eventually(lambda: _halted(tally), what="the reaction to halt")
        ready = await tally.readiness()
        assert not ready["reaction:tally"]["ok"]
        assert "cannot count hazards of poison township" in ready["reaction:tally"]["error"]
        assert ready["reaction:tally"]["sources"]["HAZARDS"]["halted_seq"] == 11
        assert await reaction_seq(tally) == 10

        async with tally.pool.acquire() as conn:
            assert await tracking.resolve(conn, "tally", "HAZARDS", "retry", "", "ops") == 11
        await eventually(lambda: _halted_again(tally), what="the retry to halt again")
        assert await reaction_seq(tally) == 10

        async with tally.pool.acquire() as conn:
            await tracking.resolve(conn, "tally", "HAZARDS", "skip", "test data", "ops")
        await eventually(lambda: _reached(tally, 16), what="the reaction to pass the skip")
    finally:
        stop.set()
        await task

    assert sum(counted(tally.application).values()) == 15
    skips = [e for e in stored(tally.application) if isinstance(e, UpstreamEventSkipped.Skipped)]
    assert len(skips) == 1
    assert (skips[0].stream_seq, skips[0].reason, skips[0].actor) == (11, "test data", "ops")
    assert (await tally.readiness())["reaction:tally"]["ok"]


async def _halted(runtime: ServiceRuntime[TallyApplication]) -> bool:
    async with runtime.pool.acquire() as conn:
        progress = await tracking.progress_of(conn, "tally")
    return any(p.halted_seq is not None for p in progress)


async def _halted_again(runtime: ServiceRuntime[TallyApplication]) -> bool:
    async with runtime.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT halted_seq, resolution FROM consumer_tracking WHERE consumer='tally'"
        )
    return row is not None and row["halted_seq"] == 11 and row["resolution"] is None


async def test_a_lost_database_mid_batch_is_retried_not_halted(
    settings: Settings,
    hazards: ServiceRuntime[HazardsApplication],
    tally: ServiceRuntime[TallyApplication],
) -> None:
    await seed_hazards(settings, reports=5)
    await asyncio.to_thread(_report_poison, hazards.application, FLAKY)
    await seed_hazards(settings, reports=5)
    await relay_until(hazards, 11)
    stop = asyncio.Event()
    (runner,) = tally.reactors()
    task = asyncio.create_task(runner.run(stop))
    try:
        await eventually(lambda: _reached(tally, 11), what="the reaction to get past the outage")
    finally:
        stop.set()
        await task

    assert sum(counted(tally.application).values()) == 11
    assert (await tally.readiness())["reaction:tally"]["ok"]


async def test_a_skip_asked_for_while_the_reaction_was_down_is_honoured_on_restart(
    settings: Settings,
    hazards: ServiceRuntime[HazardsApplication],
    tally: ServiceRuntime[TallyApplication],
) -> None:
    await asyncio.to_thread(_report_poison, hazards.application)
    await seed_hazards(settings, reports=3)
    await relay_until(hazards, 4)
    stop = asyncio.Event()
    (runner,) = tally.reactors()
    task = asyncio.create_task(runner.run(stop))
    await eventually(lambda: _halted(tally), what="the reaction to halt")
    stop.set()
    await task
    async with tally.pool.acquire() as conn:
        assert await tracking.resolve(conn, "tally", "HAZARDS", "skip", "bad import", "ops") == 1

    restart = asyncio.Event()
    (again,) = tally.reactors()
    task = asyncio.create_task(again.run(restart))
    try:
        await eventually(lambda: _reached(tally, 4), what="the restarted reaction to skip")
    finally:
        restart.set()
        await task

    assert sum(counted(tally.application).values()) == 3
    assert (await tally.readiness())["reaction:tally"]["ok"]
