"""Keep a worker running: an outage is waited out, a bug is logged with its traceback, and
either way the worker starts again after a pause, until it is told to stop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from pingan.run.outage import outage_of
from pingan.run.pause import pause

log = logging.getLogger(__name__)


async def keep_running(
    label: str, once: Callable[[], Awaitable[None]], stop: asyncio.Event, retry_s: float
) -> None:
    while not stop.is_set():
        try:
            await once()
        except Exception as exc:
            outage = outage_of(exc)
            if outage is None:
                log.exception("%s failed; restarting", label)
            else:
                log.warning("%s: %s (%r); retrying", label, outage.described, exc)
        if not stop.is_set():
            await pause(stop, retry_s)
