"""The projection as its own process, killed during a batch."""

from __future__ import annotations

import asyncpg

from hazards.application import HazardsApplication
from pingan.consume.tracking import read_tracking
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from tests.conftest import Spawn
from tests.seeding import eventually, relay_until, seed_hazards
from tests.servers import Proc


async def test_projection_killed_mid_batch_ends_equal_to_a_rebuild_from_scratch(
    settings: Settings, hazards: ServiceRuntime[HazardsApplication], spawn: Spawn
) -> None:
    await seed_hazards(settings, reports=3000, filings=2000)
    await relay_until(hazards, 5000)

    first = spawn("project", "hazards", PROJECTION_BATCH_SIZE="20")
    await eventually(lambda: _applied(hazards, 400), what="the projection to start applying")
    first.kill9()
    applied_at_kill = await _tracked(hazards)
    second = spawn("project", "hazards", PROJECTION_BATCH_SIZE="20")
    await eventually(
        lambda: _applied(hazards, 5000), timeout_s=90, what="the restarted projection to finish"
    )
    assert second.terminate() == 0
    after_crash = await _view(hazards)

    rebuild = spawn("project", "hazards", "--rebuild")
    await eventually(
        lambda: _contains(rebuild, "view hazard_register: emptied for a rebuild"),
        what="the rebuild to start",
    )
    await eventually(lambda: _applied(hazards, 5000), timeout_s=90, what="the rebuild to finish")
    assert rebuild.terminate() == 0

    assert 400 <= applied_at_kill < 5000, "the kill did not land mid-stream"
    assert len(after_crash) == 3000
    assert sum(1 for row in after_crash if row["status"] == "filed") == 2000
    assert await _view(hazards) == after_crash


async def _contains(proc: Proc, text: str) -> bool:
    return text in proc.output()


async def _tracked(runtime: ServiceRuntime[HazardsApplication]) -> int:
    async with runtime.pool.acquire() as conn:
        return (await read_tracking(conn, "hazard_register", "HAZARDS")).stream_seq


async def _applied(runtime: ServiceRuntime[HazardsApplication], seq: int) -> bool:
    return await _tracked(runtime) >= seq


async def _view(runtime: ServiceRuntime[HazardsApplication]) -> list[asyncpg.Record]:
    async with runtime.pool.acquire() as conn:
        return list(await conn.fetch("SELECT * FROM hazard_register ORDER BY id"))
