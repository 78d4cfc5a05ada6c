"""Every command answers within its time budget, whatever the database does.

A command runs its synchronous write in a worker thread, which nothing can interrupt: against
a server that has stopped answering it may block until the server returns, and then commit.
So the budget is kept here, around the whole app: if no response has started by the deadline,
the client gets a 503 that says the outcome is unknown, and whatever the app answers later is
discarded (and logged, since it tells whether the command was recorded after all).

A body still arriving when the budget runs out (an upload from a phone on a slow link) is
waited for, up to `BODY_WAIT_S`, and the budget starts again once it has all arrived: only the
work is bounded, not the client's sending. A command stuck before it reads its body (the rate
check on a frozen database) is answered at its budget as before.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pingan.api.problems import Problem, problem_response

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
#: The longest wait for a body before the budget starts anyway.
BODY_WAIT_S = 300.0


def _sends_body(scope: Scope) -> bool:
    headers = Headers(scope=scope)
    return headers.get("content-length", "0") not in ("", "0") or "transfer-encoding" in headers


def command_timed_out(budget_s: float) -> Problem:
    return Problem(
        503,
        "command-timed-out",
        f"the command did not finish within {budget_s:g} s and may have been recorded; "
        "retry with the same Idempotency-Key",
        headers={"Retry-After": str(max(1, math.ceil(budget_s)))},
        params={"budget": f"{budget_s:g}"},
        budget_s=budget_s,
        outcome="unknown",
    )


class CommandBudgetMiddleware:
    def __init__(self, app: ASGIApp, budget_s: float) -> None:
        self.app = app
        self.budget_s = budget_s
        # Commands answered late, still running in their threads: held so that they finish.
        self._late: set[asyncio.Task[None]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        started = abandoned = False
        late_status: int | None = None

        async def guarded_send(message: Message) -> None:
            nonlocal started, late_status
            if abandoned:
                if message["type"] == "http.response.start":
                    late_status = message["status"]
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        body_in, reading = asyncio.Event(), asyncio.Event()
        if not _sends_body(scope):
            body_in.set()

        async def watched_receive() -> Message:
            reading.set()
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_in.set()
            return message

        async def answer() -> None:
            await self.app(scope, watched_receive, guarded_send)

        begun = time.monotonic()
        task = asyncio.create_task(answer())
        await asyncio.wait({task}, timeout=self.budget_s)
        if not task.done() and not started and reading.is_set() and not body_in.is_set():
            arrived = asyncio.create_task(body_in.wait())
            await asyncio.wait({task, arrived}, timeout=BODY_WAIT_S, return_when="FIRST_COMPLETED")
            arrived.cancel()
            if not task.done():
                await asyncio.wait({task}, timeout=self.budget_s)
        if task.done() or started:
            await task
            return
        abandoned = True
        self._late.add(task)

        def ended(finished: asyncio.Task[None]) -> None:
            self._late.discard(finished)
            error = None if finished.cancelled() else finished.exception()
            log.warning(
                "%s %s answered 503 at its %g s budget; it ended after %.1f s with %s",
                scope["method"],
                scope["path"],
                self.budget_s,
                time.monotonic() - begun,
                repr(error) if error else f"status {late_status}",
            )

        task.add_done_callback(ended)
        response = problem_response(Request(scope), command_timed_out(self.budget_s))
        await response(scope, receive, send)
