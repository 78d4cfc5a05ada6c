"""The command budget: a command that has not answered by its deadline gets a 503 at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI, Request

from pingan.api.budget import CommandBudgetMiddleware
from pingan.api.problems import install_problem_handlers

BUDGET_S = 0.2


def slow_app(release: asyncio.Event, finished: asyncio.Queue[str]) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create() -> dict[str, str]:
        await release.wait()
        finished.put_nowait("created")
        return {"status": "created"}

    @app.post("/uploads")
    async def upload(request: Request) -> dict[str, int]:
        return {"read": len(await request.body())}

    @app.get("/things")
    async def read() -> dict[str, str]:
        await release.wait()
        return {"status": "read"}

    app.add_middleware(CommandBudgetMiddleware, budget_s=BUDGET_S)
    return app


async def test_a_command_past_its_budget_answers_503_and_its_late_answer_is_dropped() -> None:
    release, finished = asyncio.Event(), asyncio.Queue[str]()
    transport = httpx.ASGITransport(app=slow_app(release, finished))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        answer = await asyncio.wait_for(http.post("/things"), 10 * BUDGET_S)
        release.set()
        again = await http.post("/things")
    for _ in range(2):  # the first command still ends, unheard
        await asyncio.wait_for(finished.get(), 5)

    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["Retry-After"] == "1"
    body = answer.json()
    assert body["type"] == "urn:pingan:problem:command-timed-out"
    assert "Idempotency-Key" in body["detail"]
    assert body["outcome"] == "unknown"
    assert again.status_code == 200


async def test_a_query_is_not_cut_short_by_the_command_budget() -> None:
    release = asyncio.Event()
    transport = httpx.ASGITransport(app=slow_app(release, asyncio.Queue()))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        query = asyncio.create_task(http.get("/things"))
        done, _ = await asyncio.wait({query}, timeout=3 * BUDGET_S)
        release.set()
        answer = await query

    assert not done
    assert answer.json() == {"status": "read"}


async def test_the_budget_starts_once_the_body_has_arrived() -> None:
    """A slow upload is not a slow command: it takes three budgets to send, then is answered."""
    sent = asyncio.Event()
    asyncio.get_running_loop().call_later(3 * BUDGET_S, sent.set)

    async def slowly() -> AsyncIterator[bytes]:
        yield b"x" * 1024
        await sent.wait()
        yield b"y" * 1024

    transport = httpx.ASGITransport(app=slow_app(asyncio.Event(), asyncio.Queue()))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        answer = await asyncio.wait_for(http.post("/uploads", content=slowly()), 20 * BUDGET_S)

    assert sent.is_set()
    assert answer.status_code == 200 and answer.json() == {"read": 2048}
