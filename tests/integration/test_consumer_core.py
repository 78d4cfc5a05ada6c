"""The consumer core's own promises: an idle runner stays put, a changed view rebuilds."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from hazards.application import HazardsApplication
from hazards.contracts.hazard import HazardReportedV1
from pingan.bus.envelope import Envelope
from pingan.consume.core import ConsumerRunner, RunnerConfig
from pingan.consume.tracking import read_tracking
from pingan.consume.views import Projection, ViewSink, handles
from pingan.run.embedded import EmbeddedNats
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.conftest import as_tester
from tests.seeding import eventually, relay_until, seed_hazards


@pytest.fixture
def settings(settings: Settings, nats_server: EmbeddedNats) -> Settings:
    """These tests run consumers and replays no service declares."""
    return as_tester(settings, nats_server)


class TownshipsV1(Projection):
    name = "townships"
    sources = ("HAZARDS",)
    tables = ("townships",)

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS townships (id uuid PRIMARY KEY, township text NOT NULL)"
        )

    @handles(HazardReportedV1)
    async def reported(self, conn: asyncpg.Connection, e: HazardReportedV1, env: Envelope) -> None:
        await conn.execute("INSERT INTO townships VALUES ($1, $2)", e.hazard_id, e.township)


class TownshipsV2(TownshipsV1):
    """The same view with a column more: its tables must be made anew and refilled."""

    version = 2

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS townships"
            " (id uuid PRIMARY KEY, township text NOT NULL, village text NOT NULL)"
        )

    @handles(HazardReportedV1)
    async def reported(self, conn: asyncpg.Connection, e: HazardReportedV1, env: Envelope) -> None:
        await conn.execute(
            "INSERT INTO townships VALUES ($1, $2, $3)", e.hazard_id, e.township, e.village
        )


def runner_for(
    runtime: ServiceRuntime[HazardsApplication], view: Projection, fetch_timeout_s: float = 0.2
) -> ConsumerRunner:
    sink = ViewSink(view, runtime.pool, runtime.js, max_deliver=3)
    config = RunnerConfig(fetch_timeout_s=fetch_timeout_s, lock_retry_s=0.2)
    return ConsumerRunner("hazards", sink, runtime.pool, runtime.db.connect, runtime.js, config)


async def run_until_caught_up(
    runtime: ServiceRuntime[HazardsApplication], runner: ConsumerRunner, seq: int
) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))

    async def caught_up() -> bool:
        async with runtime.pool.acquire() as conn:
            tracked = await read_tracking(conn, runner.sink.name, "HAZARDS")
        # `applied` counts this run only: the tracking row of an earlier run cannot end it.
        return runner.applied >= seq and tracked.stream_seq >= seq

    try:
        await eventually(caught_up, what=f"{runner.label} to catch up")
    finally:
        stop.set()
        await task


async def test_an_idle_runner_keeps_its_lock_and_its_consumer_over_many_empty_fetches(
    hazards: ServiceRuntime[HazardsApplication],
) -> None:
    runner = runner_for(hazards, TownshipsV1(), fetch_timeout_s=0.05)
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))

    async def idle_long_enough() -> bool:
        return runner.idle_fetches >= 30

    try:
        await eventually(idle_long_enough, what="thirty empty fetches")
    finally:
        stop.set()
        await task

    assert runner.lock_sessions == 1
    assert runner.resets == 1


async def test_a_view_whose_version_changed_is_rebuilt_on_the_next_start(
    settings: Settings, hazards: ServiceRuntime[HazardsApplication]
) -> None:
    await seed_hazards(settings, reports=40)
    await relay_until(hazards, 40)
    await run_until_caught_up(hazards, runner_for(hazards, TownshipsV1()), 40)

    await run_until_caught_up(hazards, runner_for(hazards, TownshipsV2()), 40)

    async with hazards.pool.acquire() as conn:
        rows = await conn.fetch("SELECT township, village FROM townships")
        version = await conn.fetchval("SELECT version FROM view_versions WHERE view='townships'")
    assert len(rows) == 40
    assert all(row["village"] for row in rows)
    assert version == 2
