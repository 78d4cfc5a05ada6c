"""Outbox relay throughput vs raw nats-py `publish_async` of the same messages, same run."""

from __future__ import annotations

import argparse
import asyncio
import time

from nats.js import JetStreamContext

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
from pingan.bus.encoding import Outgoing
from pingan.run.runtime import ServiceRuntime


async def time_relay(
    runtime: ServiceRuntime[HazardsApplication], last_position: int, expected: Outgoing
) -> float:
    """Seconds from starting a relay on an empty stream until it has published everything."""
    await fresh_stream(runtime)
    relay = runtime.relay()
    stop = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(relay.run(stop))
    try:

        async def caught_up() -> bool:
            if task.done():
                raise RuntimeError("relay stopped early") from task.exception()
            return relay.position >= last_position

        await wait_until(caught_up, what="relay caught up")
        elapsed = time.perf_counter() - started
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
    last = await runtime.js.get_msg(runtime.stream, seq=relay.published)
    assert last.data == expected.payload, "relay published other payloads than the baseline"
    assert last.headers == expected.headers, "relay published other headers than the baseline"
    return elapsed


async def time_raw(
    runtime: ServiceRuntime[HazardsApplication], js: JetStreamContext, messages: list[Outgoing]
) -> float:
    """Seconds to publish_async every message into an empty stream and collect every ack."""
    await fresh_stream(runtime)
    started = time.perf_counter()
    acks = await publish_all(js, messages)
    elapsed = time.perf_counter() - started
    assert acks[-1].seq == len(messages) and not any(ack.duplicate for ack in acks)
    return elapsed


async def bench(args: argparse.Namespace) -> str:
    async with servers() as settings:
        runtime = hazards_runtime(settings)
        await runtime.start(with_application=False)
        nc = await bus(settings, "bench-raw")
        try:
            await seed(runtime, args.events)
            rows = await stored_rows(runtime)
            messages = outgoing_messages(runtime.relay(), rows)
            assert len(messages) == args.events, (len(messages), args.events)
            last_position = int(rows[-1]["notification_id"])
            js = nc.jetstream()
            runs: list[Run] = []
            for i in range(args.repeat):
                # Alternate which goes first, so neither always gets the warmer machine.
                if i % 2:
                    raw_s = await time_raw(runtime, js, messages)
                    relay_s = await time_relay(runtime, last_position, messages[-1])
                else:
                    relay_s = await time_relay(runtime, last_position, messages[-1])
                    raw_s = await time_raw(runtime, js, messages)
                assert await stream_messages(js, runtime.stream) == args.events
                runs.append(Run(subject_s=relay_s, baseline_s=raw_s, events=args.events))
            meta = {
                "versions": await versions(runtime),
                "settings": {
                    "relay_batch_size": settings.relay_batch_size,
                    "payload_bytes_mean": round(
                        sum(len(m.payload) for m in messages) / len(messages), 1
                    ),
                },
            }
            return report("relay", "relay", "raw publish_async", runs, meta)
        finally:
            await nc.close()
            await runtime.stop()


if __name__ == "__main__":
    main(bench, __doc__ or "")
