"""Read-your-writes waits: woken by PostgreSQL notifications of committed tracking, never by
polling, on a connection of their own, bounded in number, surviving a lost listener."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from hazards.application import HazardsApplication
from pingan.api.app import create_root_app
from pingan.auth.runtime import AuthRuntime
from pingan.consume import tracking
from pingan.consume.consistency import ViewBehind
from pingan.consume.tracking import Tracked
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.service import get_service
from tests.fixtures.tally import TallyApplication
from tests.problems import assert_problem, store_position
from tests.seeding import eventually, relay_until, seed_hazards
from tests.tokens import office_headers

API = "/api/hazards"
VIEW = "hazard_register"
REPORT: dict[str, Any] = {
    "title": "Gas cylinders stored in a stairwell",
    "category": "fire",
    "source": "grid_worker",
    "township": "玉泉镇",
    "village": "莲亭村",
    "address": "No. 5 Lane, Lianting",
    "reporter": "grid worker Wang",
}

Hazards = ServiceRuntime[HazardsApplication]


@contextlib.asynccontextmanager
async def workers_of(runtime: Hazards) -> AsyncIterator[None]:
    """The relay and the views running until the block ends."""
    stop = asyncio.Event()
    tasks = [asyncio.create_task(runtime.relay().run(stop))]
    tasks += [asyncio.create_task(runner.run(stop)) for runner in runtime.runners()]
    try:
        yield
    finally:
        stop.set()
        await asyncio.gather(*tasks)


async def a_written_position(runtime: Hazards, auth: AuthRuntime) -> int:
    """Make one command's event, so that a wait for its position is not refused as ahead."""
    async with api_client(runtime, auth) as client:
        created = await client.post(f"{API}/hazards", json=REPORT)
    assert created.status_code == 201, created.text
    return int(created.json()["position"])


def api_client(runtime: Hazards, auth: AuthRuntime, language: str = "en") -> httpx.AsyncClient:
    app = create_root_app([runtime], auth, start_runtimes=False)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://pingan.test",
        headers={"Accept-Language": language, **office_headers(runtime.settings)},
    )


async def waiting(runtime: ServiceRuntime[Any], count: int) -> None:
    await eventually(lambda: asyncio.sleep(0, runtime.hub.waiting == count), 10, f"{count} waiting")


async def test_a_wait_is_woken_by_the_views_commit_without_reading_tracking(
    hazards: Hazards, auth: AuthRuntime
) -> None:
    await asyncio.wait_for(hazards.hub.connected(), 10)
    position = await a_written_position(hazards, auth)
    seeds = hazards.hub.seeds
    wait = asyncio.create_task(hazards.wait_for(VIEW, position, 20))
    await waiting(hazards, 1)

    async with workers_of(hazards):
        await asyncio.wait_for(wait, 20)

    # The hub's only query is the full read when it connects: the wait learnt of the
    # commit from its notification alone.
    assert hazards.hub.seeds == seeds
    assert hazards.hub.reached(VIEW, hazards.stream) >= position


async def test_a_wait_for_another_stream_is_woken_by_the_reactions_commit(
    settings: Settings, hazards: Hazards, tally: ServiceRuntime[TallyApplication]
) -> None:
    position = await seed_hazards(settings, reports=20)
    await relay_until(hazards, 20)
    await asyncio.wait_for(tally.hub.connected(), 10)
    seeds = tally.hub.seeds
    wait = asyncio.create_task(tally.wait_for("tally", position, 20, source=hazards.stream))
    await waiting(tally, 1)

    stop = asyncio.Event()
    (runner,) = tally.reactors()
    reacting = asyncio.create_task(runner.run(stop))
    try:
        await asyncio.wait_for(wait, 20)
    finally:
        stop.set()
        await reacting
    assert tally.hub.seeds == seeds


async def test_a_commit_on_another_connection_wakes_a_wait_while_the_pool_is_taken(
    hazards: Hazards, auth: AuthRuntime
) -> None:
    await asyncio.wait_for(hazards.hub.connected(), 10)
    position = await a_written_position(hazards, auth)
    held = [await hazards.pool.acquire() for _ in range(hazards.settings.db_pool_size)]
    other = await hazards.db.connect()
    try:
        wait = asyncio.create_task(hazards.wait_for(VIEW, position, 20))
        await waiting(hazards, 1)
        async with other.transaction():
            await tracking.write_tracking(other, VIEW, hazards.stream, Tracked(1, position))
            assert not wait.done()  # a notification leaves only at commit

        await asyncio.wait_for(wait, 10)
    finally:
        await other.close()
        for conn in held:
            await hazards.pool.release(conn)
    assert hazards.hub.waiting == 0


async def test_a_wait_that_nothing_wakes_ends_view_behind_at_its_time_out(
    hazards: Hazards, auth: AuthRuntime
) -> None:
    position = await a_written_position(hazards, auth)

    with pytest.raises(ViewBehind) as behind:
        await hazards.wait_for(VIEW, position, 0.05)

    assert behind.value.wanted == position
    assert hazards.hub.waiting == 0


@pytest.fixture
async def bounded(settings: Settings) -> AsyncIterator[Hazards]:
    """The hazards service allowing two waits at once, with no relay or views running."""
    runtime = ServiceRuntime(
        get_service("hazards"), settings.model_copy(update={"consistency_max_waiters": 2})
    )
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


async def test_a_query_beyond_the_bound_of_waits_is_answered_503_at_once(
    bounded: Hazards, auth: AuthRuntime
) -> None:
    async with api_client(bounded, auth) as client:
        created = await client.post(f"{API}/hazards", json=REPORT)
        hazard, position = created.json()["id"], created.json()["position"]
        url = f"{API}/hazards/{hazard}"
        params = {"min_position": position, "wait": 30}
        first = asyncio.create_task(client.get(url, params=params))
        second = asyncio.create_task(client.get(url, params=params))
        await waiting(bounded, 2)

        third = await client.get(url, params=params)
        in_chinese = await client.get(url, params=params, headers={"Accept-Language": "zh-CN"})

        problem = assert_problem(third, 503)
        assert problem["type"].endswith("too-many-waiting")
        assert problem["max_waiting"] == 2
        assert third.headers["Retry-After"]
        assert assert_problem(in_chinese, 503)["title"] == "等待查询视图更新的请求过多"
        async with workers_of(bounded):
            answers = await asyncio.wait_for(asyncio.gather(first, second), 20)
    assert [a.status_code for a in answers] == [200, 200]
    assert await store_position(bounded) == position


async def test_waits_succeed_after_the_listeners_backend_is_terminated(
    hazards: Hazards, auth: AuthRuntime
) -> None:
    await asyncio.wait_for(hazards.hub.connected(), 10)
    position = await a_written_position(hazards, auth)
    seeds, pid = hazards.hub.seeds, hazards.hub.backend_pid
    other = await hazards.db.connect()
    try:
        assert await other.fetchval("SELECT pg_terminate_backend($1)", pid)
        wait = asyncio.create_task(hazards.wait_for(VIEW, position, 20))
        await eventually(
            lambda: asyncio.sleep(0, hazards.hub.seeds > seeds), 10, "the listener back"
        )
        await tracking.write_tracking(other, VIEW, hazards.stream, Tracked(1, position))

        await asyncio.wait_for(wait, 10)
    finally:
        await other.close()
    assert hazards.hub.backend_pid not in (None, pid)
