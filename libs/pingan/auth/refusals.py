"""Disabled accounts and revoked tokens, kept in each process's memory: read at start,
read again on every NOTIFY from the accounts database and after every reconnect, so that a
refusal takes effect in every process at once with no query per request."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from pingan.auth.accounts import CHANNEL, Refusals, read_refusals
from pingan.auth.principal import Principal

log = logging.getLogger(__name__)

Connect = Callable[[], Awaitable[asyncpg.Connection]]


class RefusalList:
    def __init__(self, connect: Connect, *, fallback_refresh_s: float = 60.0) -> None:
        self._connect = connect
        self._fallback_refresh_s = fallback_refresh_s
        self._refusals = Refusals(frozenset(), frozenset())
        self._changed = asyncio.Event()
        self._loaded = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.connected = False

    def refuses(self, principal: Principal) -> str | None:
        """Why the principal's token is refused, or None."""
        if principal.subject in self._refusals.disabled:
            return "disabled"
        if principal.token_id in self._refusals.revoked:
            return "revoked"
        return None

    async def start(self, timeout_s: float = 10.0) -> None:
        self._task = asyncio.create_task(self._listen(), name="auth-refusals")
        await asyncio.wait_for(self._loaded.wait(), timeout_s)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def refresh(self, conn: asyncpg.Connection) -> None:
        """Read the lists now (the process that made a change need not wait for its NOTIFY)."""
        self._refusals = await read_refusals(conn)

    async def _listen(self) -> None:
        delay = 0.1
        while True:
            conn: asyncpg.Connection | None = None
            try:
                conn = await self._connect()
                lost = asyncio.Event()
                conn.add_termination_listener(_setter(lost))
                await conn.add_listener(CHANNEL, self._notified)
                await self.refresh(conn)
                self.connected = True
                self._loaded.set()
                delay = 0.1
                while not lost.is_set():
                    await _first(self._changed.wait(), lost.wait(), self._fallback_refresh_s)
                    self._changed.clear()
                    if not lost.is_set():
                        await self.refresh(conn)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("refusal list: lost the accounts database (%r); retrying", exc)
            finally:
                self.connected = False
                if conn is not None and not conn.is_closed():
                    conn.terminate()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    def _notified(self, *_: Any) -> None:
        self._changed.set()


def _setter(event: asyncio.Event) -> Callable[[Any], None]:
    return lambda _: event.set()


async def _first(a: Awaitable[Any], b: Awaitable[Any], timeout_s: float) -> None:
    tasks = [asyncio.ensure_future(a), asyncio.ensure_future(b)]
    try:
        await asyncio.wait(tasks, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
