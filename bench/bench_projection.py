"""Projection throughput vs a raw pull consumer doing `fetch` + `ack` of the same stream."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from typing import cast

import asyncpg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

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
from hazards.application import HazardsApplication
from hazards.projections import HazardRegister
from pingan.consume.core import ConsumerRunner
from pingan.consume.tracking import read_tracking
from pingan.consume.views import ViewSink
from pingan.run.runtime import ServiceRuntime

RAW_DURABLE = "bench_raw_fetch_ack"


def register_runner(runtime: ServiceRuntime[HazardsApplication]) -> ConsumerRunner:
    return runtime.view_runner(HazardRegister.name)


async def time_projection(
    runtime: ServiceRuntime[HazardsApplication], watch: asyncpg.Connection, last_seq: int
) -> float:
    """Seconds from starting a fresh runner until its tracking row shows the last stream seq."""
    runner = register_runner(runtime)
    projection = runtime.view(HazardRegister.name)
    stop = asyncio.Event()
    started = time.perf_counter()
    # rebuild: empty the view and its tracking row, then replay the whole stream.
    task = asyncio.create_task(runner.run(stop, rebuild=True))
    try:

        async def caught_up() -> bool:
            if task.done():
                raise RuntimeError("projection stopped early") from task.exception()
            # `applied` counts this run only, so the previous run's tracking row (not yet
            # cleared when the runner starts) cannot end the wait early.
            if runner.applied < last_seq:
                return False
            tracked = await read_tracking(watch, projection.name, projection.sources[0])
            return tracked.stream_seq >= last_seq

        await wait_until(caught_up, what="projection caught up")
        elapsed = time.perf_counter() - started
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
    dead_lettered = cast(ViewSink, runner.sink).dead_lettered
    assert runner.applied == last_seq and dead_lettered == 0, (runner.applied, dead_lettered)
    return elapsed


async def time_raw(
    js: JetStreamContext, stream: str, events: int, batch: int, fetch_timeout_s: float
) -> float:
    """Seconds for a fresh durable pull consumer to fetch and ack every message."""
    with contextlib.suppress(Exception):
        await js.delete_consumer(stream, RAW_DURABLE)
    started = time.perf_counter()
    # The same consumer configuration as ProjectionRunner.setup.
    await js.add_consumer(
        stream,
        ConsumerConfig(
            durable_name=RAW_DURABLE,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=30.0,
            max_deliver=-1,
            max_ack_pending=max(1000, batch * 4),
        ),
    )
    psub = await js.pull_subscribe_bind(durable=RAW_DURABLE, stream=stream)
    received = 0
    try:
        while received < events:
            for msg in await psub.fetch(batch, timeout=fetch_timeout_s):
                await msg.ack()
                received += 1
        elapsed = time.perf_counter() - started
    finally:
        await psub.unsubscribe()
    info = await js.consumer_info(stream, RAW_DURABLE)
    assert info.delivered.stream_seq == events, info.delivered
    await js.delete_consumer(stream, RAW_DURABLE)
    return elapsed


async def bench(args: argparse.Namespace) -> str:
    async with servers() as settings:
        runtime = hazards_runtime(settings)
        await runtime.start(with_application=False)
        nc = await bus(settings, "bench-raw")
        watch = await runtime.db.connect()
        try:
            await seed(runtime, args.events)
            messages = outgoing_messages(runtime.relay(), await stored_rows(runtime))
            js = nc.jetstream()
            await fresh_stream(runtime)
            await publish_all(js, messages)
            assert await stream_messages(js, runtime.stream) == args.events
            batch = settings.projection_batch_size
            runs: list[Run] = []
            for i in range(args.repeat):
                if i % 2:
                    raw_s = await time_raw(
                        js, runtime.stream, args.events, batch, settings.projection_fetch_timeout_s
                    )
                    projection_s = await time_projection(runtime, watch, args.events)
                else:
                    projection_s = await time_projection(runtime, watch, args.events)
                    raw_s = await time_raw(
                        js, runtime.stream, args.events, batch, settings.projection_fetch_timeout_s
                    )
                rows = await watch.fetchval("SELECT count(*) FROM hazard_register")
                assert rows == (args.events + 1) // 2, rows
                runs.append(Run(subject_s=projection_s, baseline_s=raw_s, events=args.events))
            meta = {
                "versions": await versions(runtime),
                "settings": {
                    "projection_batch_size": batch,
                    "raw_fetch_batch": batch,
                },
            }
            return report("projection", "projection", "raw fetch+ack", runs, meta)
        finally:
            await watch.close()
            await nc.close()
            await runtime.stop()


if __name__ == "__main__":
    main(bench, __doc__ or "")
