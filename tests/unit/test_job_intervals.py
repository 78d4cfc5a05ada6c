"""The job runner gives each job its own interval when it names one."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from pingan.run.jobs import JobRunner, interval_of
from pingan.run.settings import Settings


class Counting:
    def __init__(
        self, name: str, every_s: float | None = None, stop_after: asyncio.Event | None = None
    ) -> None:
        self.name = name
        self.runs = 0
        self.stop_after = stop_after
        if every_s is not None:
            self.interval_s = lambda settings: every_s

    async def run_once(self, runtime: Any) -> int:
        self.runs += 1
        if self.stop_after is not None and self.runs == 5:
            self.stop_after.set()
        return 0


class OpenLock:
    def is_closed(self) -> bool:
        return False


def test_a_job_without_its_own_interval_takes_the_runners() -> None:
    settings = Settings(job_interval_s=300)

    assert interval_of(Counting("daily"), settings, 300) == 300
    assert interval_of(Counting("clock", every_s=60), settings, 300) == 60


async def test_a_job_with_a_shorter_interval_runs_more_often_than_the_others() -> None:
    stop = asyncio.Event()
    fast, slow = Counting("fast", every_s=0.01, stop_after=stop), Counting("slow")
    runtime = SimpleNamespace(settings=Settings(), name="test")
    runner = JobRunner(runtime, [slow, fast], interval_s=3600)  # type: ignore[arg-type]

    await asyncio.wait_for(runner._loop(stop, OpenLock()), 5)

    assert fast.runs == 5
    assert slow.runs == 1, "the first round runs every job; the next is an hour away"
