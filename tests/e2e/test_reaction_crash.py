"""A reaction as its own process, killed mid-batch; and a two-stream view, killed likewise."""

from __future__ import annotations

import asyncio
from collections import Counter

import asyncpg
import pytest

from hazards.application import HazardsApplication
from pingan.bus.streams import ensure_stream
from pingan.consume import tracking
from pingan.run.embedded import EmbeddedNats
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.conftest import Spawn, as_tester
from tests.fixtures.tally import TallyApplication, TownshipTally
from tests.integration.test_projection_runner import publish_note
from tests.seeding import eventually, relay_until, seed_hazards

pytestmark = pytest.mark.slow

TALLY = "tests.fixtures.run_tally"


@pytest.fixture
def settings(settings: Settings, nats_server: EmbeddedNats) -> Settings:
    """The view of two streams reads a test stream that no service declares."""
    return as_tester(settings, nats_server)


async def _publish_hazards(
    settings: Settings, hazards: ServiceRuntime[HazardsApplication], count: int
) -> None:
    await seed_hazards(settings, reports=count)
    await relay_until(hazards, count)


async def _seq(runtime: ServiceRuntime[TallyApplication], consumer: str, source: str) -> int:
    async with runtime.pool.acquire() as conn:
        return (await tracking.read_tracking(conn, consumer, source)).stream_seq


async def test_a_reaction_killed_mid_batch_records_each_effect_exactly_once(
    settings: Settings,
    hazards: ServiceRuntime[HazardsApplication],
    tally: ServiceRuntime[TallyApplication],
    spawn: Spawn,
) -> None:
    await _publish_hazards(settings, hazards, 3000)

    first = spawn("react", module=TALLY, PROJECTION_BATCH_SIZE="25")

    async def started() -> bool:
        return await _seq(tally, "tally", "HAZARDS") >= 300

    await eventually(started, timeout_s=60, what="the reaction to start")
    first.kill9()
    at_kill = await asyncio.to_thread(tally.application.recorder.max_tracking_id, "tally:HAZARDS")
    second = spawn("react", module=TALLY, PROJECTION_BATCH_SIZE="25")

    async def finished() -> bool:
        return await _seq(tally, "tally", "HAZARDS") >= 3000

    await eventually(finished, timeout_s=120, what="the restarted reaction to finish")
    assert second.terminate() == 0

    assert at_kill is not None and 300 <= at_kill < 3000, "the kill did not land mid-stream"
    notifications = tally.application.recorder.select_notifications(start=1, limit=100_000)
    events = [tally.application.mapper.to_domain_event(n) for n in notifications]
    counts = Counter(e.hazard_id for e in events if isinstance(e, TownshipTally.Counted))
    assert len(counts) == 3000 and set(counts.values()) == {1}


async def test_a_view_of_two_streams_killed_mid_batch_equals_its_rebuild(
    settings: Settings,
    hazards: ServiceRuntime[HazardsApplication],
    tally: ServiceRuntime[TallyApplication],
    spawn: Spawn,
) -> None:
    await ensure_stream(tally.js, "TESTS", ["tests.>"], duplicate_window_s=600)
    await _publish_hazards(settings, hazards, 2000)
    for position in range(1, 1001):
        await publish_note(hazards, position, f"note {position}")

    first = spawn("view", module=TALLY, PROJECTION_BATCH_SIZE="20")

    async def started() -> bool:
        return await _seq(tally, "activity", "HAZARDS") >= 200

    await eventually(started, timeout_s=60, what="the view to start")
    first.kill9()
    second = spawn("view", module=TALLY, PROJECTION_BATCH_SIZE="20")

    async def finished() -> bool:
        return (
            await _seq(tally, "activity", "HAZARDS") >= 2000
            and await _seq(tally, "activity", "TESTS") >= 1000
        )

    await eventually(finished, timeout_s=120, what="the restarted view to finish")
    assert second.terminate() == 0
    after_crash = await _rows(tally)

    rebuild = spawn("view", "--rebuild", module=TALLY)

    async def rebuilt() -> bool:
        return "emptied for a rebuild" in rebuild.output() and await finished()

    await eventually(rebuilt, timeout_s=120, what="the rebuild to finish")
    assert rebuild.terminate() == 0

    assert sum(r["count"] for r in after_crash if r["key"].startswith("hazards:")) == 2000
    assert next(r for r in after_crash if r["key"] == "notes")["count"] == 1000
    assert await _rows(tally) == after_crash


async def _rows(runtime: ServiceRuntime[TallyApplication]) -> list[asyncpg.Record]:
    async with runtime.pool.acquire() as conn:
        return list(await conn.fetch("SELECT key, count FROM activity ORDER BY key"))
