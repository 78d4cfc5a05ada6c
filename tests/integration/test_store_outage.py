"""PostgreSQL goes away or freezes and comes back: the API answers 503 problems in bounded
time, then recovers within a second or so."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from pingan.api.app import create_root_app
from pingan.auth.keys import KeyFiles
from pingan.auth.runtime import AuthRuntime
from pingan.run.embedded import EmbeddedNats, EmbeddedPostgres
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.service import get_service
from tests.problems import assert_problem
from tests.servers import postgres_pids, signal_all
from tests.tokens import office_headers

REPORT = {
    "title": "t",
    "category": "fire",
    "source": "inspection",
    "township": "玉泉镇",
    "village": "莲亭村",
    "address": "x",
    "reporter": "r",
}


@pytest.fixture
async def own_postgres(tmp_path: Path) -> AsyncIterator[EmbeddedPostgres]:
    server = EmbeddedPostgres(tmp_path / "postgres")
    await asyncio.to_thread(server.start)
    try:
        yield server
    finally:
        await asyncio.to_thread(server.stop)


COMMAND_BUDGET_S = 1.0
READYZ_BUDGET_S = 0.5
OUTAGE_S = 8.0


def outage_settings(postgres: EmbeddedPostgres, nats: EmbeddedNats, keys: KeyFiles) -> Settings:
    return Settings(
        auth_signing_key_file=keys.signing,
        auth_public_keys_file=keys.public,
        nats_url=nats.url,
        nats_credentials_file=nats.credentials_path,
        database_url=postgres.url,
        database_prefix=f"t{uuid.uuid4().hex[:8]}_",
        db_connect_timeout_s=1,
        command_budget_s=COMMAND_BUDGET_S,
        readyz_budget_s=READYZ_BUDGET_S,
    )


@contextlib.asynccontextmanager
async def served(
    settings: Settings,
) -> AsyncIterator[tuple[ServiceRuntime[Any], httpx.AsyncClient]]:
    """The hazards API on these settings, as the district office, with errors answered."""
    runtime = ServiceRuntime(get_service("hazards"), settings)
    await runtime.start()
    auth = AuthRuntime(settings)
    await auth.start()
    app = create_root_app([runtime], auth, start_runtimes=False)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://pingan.test", headers=office_headers(settings)
        ) as http:
            yield runtime, http
    finally:
        await runtime.stop()
        await auth.stop()


async def first_success(
    attempt: Callable[[], Awaitable[httpx.Response]], timeout_s: float
) -> tuple[httpx.Response, float]:
    """Repeat `attempt` until it succeeds; return the answer and how long it took."""
    begun = time.monotonic()
    while True:
        answer = await attempt()
        took = time.monotonic() - begun
        if answer.is_success:
            return answer, took
        assert took < timeout_s, f"no success within {timeout_s} s; last: {answer.text}"


async def test_a_lost_database_gives_503_problems_and_the_service_recovers(
    own_postgres: EmbeddedPostgres, nats_server: EmbeddedNats, keys: KeyFiles
) -> None:
    async with served(outage_settings(own_postgres, nats_server, keys)) as (_, http):
        await asyncio.to_thread(own_postgres.stop)
        # Long enough for a pool that backs off between reconnects to wait seconds.
        outage_ends = time.monotonic() + OUTAGE_S
        while time.monotonic() < outage_ends:
            command = await asyncio.wait_for(
                http.post("/api/hazards/hazards", json=REPORT), 3 * COMMAND_BUDGET_S
            )
        query = await http.get("/api/hazards/hazards")
        ready = await asyncio.wait_for(http.get("/api/hazards/readyz"), 3 * READYZ_BUDGET_S)

        await asyncio.to_thread(own_postgres.start)
        again, took = await first_success(
            lambda: http.post("/api/hazards/hazards", json=REPORT), timeout_s=3
        )
        listed = await http.get("/api/hazards/hazards")

    # The write keeps retrying inside its thread, so the budget may answer first.
    assert assert_problem(command, 503)["type"].rpartition(":")[2] in {
        "store-unavailable",
        "command-timed-out",
    }
    assert assert_problem(query, 503)["type"].endswith("store-unavailable")
    assert command.headers["Retry-After"]
    assert assert_problem(ready, 503)["checks"]["event_store"]["ok"] is False
    assert again.status_code == 201, again.text
    assert took < 3
    assert listed.status_code == 200, listed.text


async def test_a_frozen_database_gives_bounded_503s_and_a_retry_makes_no_duplicate(
    own_postgres: EmbeddedPostgres, nats_server: EmbeddedNats, keys: KeyFiles
) -> None:
    key = {"Idempotency-Key": uuid.uuid4().hex}
    async with served(outage_settings(own_postgres, nats_server, keys)) as (runtime, http):
        # Its backends too, which exist only once the service has connected.
        pids = postgres_pids(own_postgres.data_dir)
        warm = await http.post("/api/hazards/hazards", json=REPORT)
        signal_all(pids, signal.SIGSTOP)
        try:
            command = await asyncio.wait_for(
                http.post("/api/hazards/hazards", json=REPORT, headers=key),
                3 * COMMAND_BUDGET_S,
            )
            ready = await asyncio.wait_for(http.get("/api/hazards/readyz"), 3 * READYZ_BUDGET_S)
        finally:
            signal_all(pids, signal.SIGCONT)
        _, took = await first_success(
            lambda: http.post("/api/hazards/hazards", json=REPORT, headers=key), timeout_s=3
        )
        stored = await asyncio.to_thread(runtime.application.recorder.select_notifications, 1, 100)

    assert warm.status_code == 201, warm.text
    problem = assert_problem(command, 503)
    assert problem["type"].endswith("command-timed-out")
    assert "Idempotency-Key" in problem["detail"]
    assert command.headers["Retry-After"]
    checks = assert_problem(ready, 503)["checks"]
    assert checks["event_store"] == {"ok": False, "error": "timed out after 0.5 s"}
    assert took < 3
    # The frozen command committed once the server resumed; its retry did not record again.
    hazards = {n.originator_id for n in stored if "IdempotencyRecord" not in n.topic}
    assert len(hazards) == 2
