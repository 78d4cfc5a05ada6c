"""Reaction throughput vs a raw pull consumer doing `fetch` + `ack` of the same stream.

The reaction counts each reported or filed hazard on its township's tally: every upstream
event becomes one new event in the reaction's own event store, committed with the upstream
tracking record (one transaction per batch).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

import asyncpg
from eventsourcing.domain import Aggregate, event

from bench_projection import time_raw
from harness import (
    Run,
    bus,
    fresh_stream,
    hazards_runtime,
    main,
    outgoing_messages,
    publish_all,
    report,
    seed,
    servers,
    stored_rows,
    stream_messages,
    versions,
    wait_until,
)
from pingan.bus.contracts import ConsumedEvent
from pingan.bus.envelope import Envelope
from pingan.consume.core import ConsumerRunner
from pingan.consume.reactions import Reacting, Reaction, reacts_to
from pingan.consume.tracking import read_tracking
from pingan.run.runtime import ServiceRuntime
from pingan.service import ServiceSpec
from pingan.write.application import ServiceApplication


class Reported(ConsumedEvent):
    event_type: ClassVar[str] = "pingan.hazards.hazard.reported.v1"
    subject: ClassVar[str] = "hazards.hazard.reported"
    hazard_id: UUID
    township: str


class Filed(ConsumedEvent):
    event_type: ClassVar[str] = "pingan.hazards.hazard.filed.v1"
    subject: ClassVar[str] = "hazards.hazard.filed"
    hazard_id: UUID
    grade: str


class Tally(Aggregate):
    @event("Opened")
    def __init__(self, key: str) -> None:
        self.key = key
        self.count = 0

    @staticmethod
    def create_id(key: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"bench-tally:{key}")

    @event("Counted")
    def add(self, hazard_id: UUID) -> None:
        self.count += 1


class TallyApplication(ServiceApplication):
    pass


def _count(ctx: Reacting[TallyApplication], key: str, hazard_id: UUID) -> None:
    tally = ctx.find(Tally.create_id(key), Tally) or Tally(key)
    tally.add(hazard_id)
    ctx.changed(tally)


class CountHazards(Reaction[TallyApplication]):
    name = "bench_count"
    sources = ("HAZARDS",)

    @reacts_to(Reported)
    def reported(self, ctx: Reacting[TallyApplication], e: Reported, env: Envelope) -> None:
        _count(ctx, f"reported:{e.township}", e.hazard_id)

    @reacts_to(Filed)
    def filed(self, ctx: Reacting[TallyApplication], e: Filed, env: Envelope) -> None:
        _count(ctx, f"filed:{e.grade}", e.hazard_id)


SPEC: ServiceSpec[TallyApplication] = ServiceSpec(
    name="benchtally", title="Bench tally", application=TallyApplication, reactions=(CountHazards,)
)


async def time_reaction(
    runtime: ServiceRuntime[TallyApplication], watch: asyncpg.Connection, last_seq: int
) -> float:
    """Seconds from starting a fresh reaction (empty event store) until it tracks the last seq."""
    (runner,) = runtime.reactors()
    stop = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(runner.run(stop))
    try:

        async def caught_up() -> bool:
            if task.done():
                raise RuntimeError("reaction stopped early") from task.exception()
            tracked = await read_tracking(watch, CountHazards.name, "HAZARDS")
            return tracked.stream_seq >= last_seq

        await wait_until(caught_up, what="reaction caught up")
        elapsed = time.perf_counter() - started
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
    assert isinstance(runner, ConsumerRunner) and runner.applied == last_seq, runner.applied
    return elapsed


async def reset(runtime: ServiceRuntime[TallyApplication], watch: asyncpg.Connection) -> None:
    """Forget every effect, so each run starts from an empty event store."""
    await watch.execute(
        "TRUNCATE tallyapplication_events, tallyapplication_tracking, consumer_tracking"
    )


async def bench(args: Any) -> str:
    async with servers() as settings:
        hazards = hazards_runtime(settings)
        await hazards.start(with_application=False)
        tally = ServiceRuntime(SPEC, settings)
        await tally.start()
        nc = await bus(settings, "bench-raw")
        watch = await tally.db.connect()
        try:
            await seed(hazards, args.events)
            messages = outgoing_messages(hazards.relay(), await stored_rows(hazards))
            js = nc.jetstream()
            await fresh_stream(hazards)
            await publish_all(js, messages)
            assert await stream_messages(js, hazards.stream) == args.events
            batch = settings.projection_batch_size
            runs: list[Run] = []
            for i in range(args.repeat):
                await reset(tally, watch)
                raw_first = bool(i % 2)
                if raw_first:
                    raw_s = await time_raw(
                        js, hazards.stream, args.events, batch, settings.projection_fetch_timeout_s
                    )
                reaction_s = await time_reaction(tally, watch, args.events)
                if not raw_first:
                    raw_s = await time_raw(
                        js, hazards.stream, args.events, batch, settings.projection_fetch_timeout_s
                    )
                recorded = await watch.fetchval("SELECT count(*) FROM tallyapplication_events")
                assert recorded >= args.events, recorded
                runs.append(Run(subject_s=reaction_s, baseline_s=raw_s, events=args.events))
            meta = {"versions": await versions(hazards), "settings": {"batch": batch}}
            return report("reaction", "reaction", "raw fetch+ack", runs, meta)
        finally:
            await watch.close()
            await nc.close()
            await tally.stop()
            await hazards.stop()


if __name__ == "__main__":
    main(bench, __doc__ or "")
