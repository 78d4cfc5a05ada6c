"""Scheduled jobs of a service (deadline checks and the like): one active runner per service.

A job runs every `job_interval_s` unless it names its own interval (`interval_s`, read from
the settings, e.g. a clock counted in hours checked every few minutes)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

import asyncpg

from pingan.run.locks import holding_lock
from pingan.run.pause import pause
from pingan.run.restart import keep_running
from pingan.write.application import ServiceApplication

if TYPE_CHECKING:
    from pingan.run.runtime import ServiceRuntime
    from pingan.run.settings import Settings

log = logging.getLogger(__name__)

AppT = TypeVar("AppT", bound=ServiceApplication)


class Job(Protocol[AppT]):
    name: str

    async def run_once(self, runtime: ServiceRuntime[AppT]) -> int:
        """Do one round of the job; answer how many things it changed."""
        ...


def interval_of(job: Job[AppT], settings: Settings, default_s: float) -> float:
    """The job's own interval, if it names one (`interval_s(settings)`), else the default."""
    own = getattr(job, "interval_s", None)
    return float(own(settings)) if callable(own) else default_s


class JobRunner(Generic[AppT]):
    def __init__(
        self, runtime: ServiceRuntime[AppT], jobs: Sequence[Job[AppT]], interval_s: float
    ) -> None:
        self.runtime = runtime
        self.jobs = jobs
        self.interval_s = interval_s

    async def run(self, stop: asyncio.Event) -> None:
        name = f"pingan-jobs:{self.runtime.name}"
        retry = self.runtime.settings.relay_lock_retry_s

        async def once() -> None:
            async with holding_lock(self.runtime.db.connect, name, retry, stop) as lock:
                if lock is not None:  # None only when stopped while standing by
                    await self._loop(stop, lock)

        await keep_running(f"jobs of {self.runtime.name}", once, stop, self.interval_s)

    async def _loop(self, stop: asyncio.Event, lock: asyncpg.Connection) -> None:
        settings = self.runtime.settings
        intervals = [interval_of(job, settings, self.interval_s) for job in self.jobs]
        due = [time.monotonic()] * len(self.jobs)
        while not stop.is_set():
            if lock.is_closed():
                raise ConnectionError("lost the connection that holds the jobs lock")
            for i, job in enumerate(self.jobs):
                if time.monotonic() < due[i]:
                    continue
                due[i] = time.monotonic() + intervals[i]
                try:
                    changed = await job.run_once(self.runtime)
                except Exception:
                    log.exception("job %s failed; it runs again next round", job.name)
                else:
                    if changed:
                        log.info("job %s changed %d", job.name, changed)
            next_due = min(due, default=time.monotonic() + self.interval_s)
            await pause(stop, max(0.0, next_due - time.monotonic()))
