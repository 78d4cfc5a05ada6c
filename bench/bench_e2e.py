"""Open loop: a report-hazard command until the register shows it, vs a raw JetStream round trip.

Commands go out on a fixed schedule whatever the answers do. Each one is timed from its
scheduled send until `GET /api/hazards/hazards/{id}?min_position=<answered position>` answers
200 (the command saved, relayed to JetStream, projected, read back). The baseline publishes to a
test stream at the same rate and times each message until a pull consumer has it: the bus part
of the same path, with nothing of the platform. It runs on a nats-server of its own, started
beside `pingan up` on the same machine, since `pingan up`'s server admits each service only to
its own subjects.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import ConsumerConfig, StorageType, StreamConfig

from harness import (
    HAZARDS_PATH,
    HttpConnection,
    UpProcess,
    add_up_args,
    int_list,
    latency_ms,
    pingan_up,
    report_hazard_bytes,
    run_main,
    table,
    write_result,
)
from pingan.bus.streams import connect
from pingan.run.embedded import EmbeddedNats, free_port

STREAM, SUBJECT = "BENCH_E2E", "bench.e2e.reported"
DRAIN_TIMEOUT_S = 60.0


async def open_loop(
    rate: int, seconds: float, one: Callable[[int, float], Coroutine[Any, Any, None]]
) -> float:
    """Start `one(i, scheduled)` at `rate` per second for `seconds`, without waiting for any;
    return the largest lag of a start behind its schedule (the generator's own health)."""
    count, start = round(rate * seconds), time.perf_counter()
    tasks: list[asyncio.Task[None]] = []
    worst = 0.0
    for i in range(count):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        worst = max(worst, time.perf_counter() - scheduled)
        tasks.append(asyncio.create_task(one(i, scheduled)))
    await asyncio.wait_for(asyncio.gather(*tasks), DRAIN_TIMEOUT_S)
    return worst


class Pool:
    """Idle keep-alive connections; a new one whenever all are busy (open loop)."""

    def __init__(self, up: UpProcess) -> None:
        self.up, self.idle, self.opened = up, list[HttpConnection](), 0

    def take(self) -> HttpConnection:
        if self.idle:
            return self.idle.pop()
        self.opened += 1
        return self.up.connection()

    async def close(self) -> None:
        for conn in self.idle:
            await conn.close()


async def http_run(
    up: UpProcess, pool: Pool, rate: int, seconds: float, first: int
) -> tuple[list[float], list[float], dict[str, int], float, float]:
    visible: list[float] = []
    answered: list[float] = []
    failures: dict[str, int] = {}

    async def one(i: int, scheduled: float) -> None:
        conn = pool.take()
        try:
            status, body = await conn.request("POST", HAZARDS_PATH, report_hazard_bytes(first + i))
            if status != 201:
                failures[f"POST {status}"] = failures.get(f"POST {status}", 0) + 1
                return
            answered.append(time.perf_counter() - scheduled)
            accepted = json.loads(body)
            path = f"{HAZARDS_PATH}/{accepted['id']}?min_position={accepted['position']}"
            status, _ = await conn.request("GET", path)
            if status != 200:
                failures[f"GET {status}"] = failures.get(f"GET {status}", 0) + 1
                return
            visible.append(time.perf_counter() - scheduled)
        except (OSError, ValueError) as exc:
            failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
            await conn.close()
        finally:
            pool.idle.append(conn)

    cpu0 = time.process_time()
    lag = await open_loop(rate, seconds, one)
    cpu = time.process_time() - cpu0
    return visible, answered, failures, lag, cpu


async def nats_run(
    nats_url: str, rate: int, seconds: float, first: int
) -> tuple[list[float], float]:
    nc = await connect(nats_url, "bench-e2e-raw")
    js = nc.jetstream()
    with contextlib.suppress(Exception):
        await js.delete_stream(STREAM)
    await js.add_stream(StreamConfig(name=STREAM, subjects=[SUBJECT], storage=StorageType.FILE))
    await js.add_consumer(STREAM, ConsumerConfig(durable_name="bench"))
    psub = await js.pull_subscribe(SUBJECT, durable="bench", stream=STREAM)
    count = round(rate * seconds)
    scheduled_at: dict[int, float] = {}
    latencies: list[float] = []
    payload = report_hazard_bytes(0) * 2  # about the size of a published hazard contract

    async def consume() -> None:
        while len(latencies) < count:
            try:
                msgs = await psub.fetch(64, timeout=1.0)
            except (NatsTimeoutError, TimeoutError):
                continue
            now = time.perf_counter()
            for msg in msgs:
                latencies.append(now - scheduled_at[int(msg.headers["i"])])  # type: ignore[index]
                await msg.ack()

    async def one(i: int, scheduled: float) -> None:
        scheduled_at[i] = scheduled
        await js.publish(SUBJECT, payload, headers={"i": str(i), "Nats-Msg-Id": f"{first}:{i}"})

    consumer = asyncio.create_task(consume())
    try:
        lag = await open_loop(rate, seconds, one)
        await asyncio.wait_for(consumer, DRAIN_TIMEOUT_S)
    finally:
        consumer.cancel()
        await psub.unsubscribe()
        await js.delete_stream(STREAM)
        await nc.close()
    return latencies, lag


@contextlib.asynccontextmanager
async def raw_nats() -> AsyncIterator[str]:
    with tempfile.TemporaryDirectory(prefix="pingan-bench-nats-") as tmp:
        server = EmbeddedNats(Path(tmp), free_port())
        url = await asyncio.to_thread(server.start)
        try:
            yield url
        finally:
            await asyncio.to_thread(server.stop)


async def bench(args: argparse.Namespace) -> str:
    rows: list[list[object]] = []
    levels: list[dict[str, object]] = []
    async with pingan_up(args.up_arg) as up, raw_nats() as raw_url:
        pool = Pool(up)
        try:
            await http_run(up, pool, args.rates[0], args.warmup, 10**6)
            for n, rate in enumerate(args.rates):
                first = n * 10**5
                if n % 2:
                    raw, raw_lag = await nats_run(raw_url, rate, args.seconds, first)
                visible, answered, failures, lag, cpu = await http_run(
                    up, pool, rate, args.seconds, first
                )
                if not n % 2:
                    raw, raw_lag = await nats_run(raw_url, rate, args.seconds, first)
                seen, command, bus = latency_ms(visible), latency_ms(answered), latency_ms(raw)
                client_pct = round(100 * cpu / args.seconds, 1)
                rows.append(
                    [
                        rate,
                        len(visible),
                        seen["p50"],
                        seen["p95"],
                        seen["p99"],
                        command["p99"],
                        bus["p50"],
                        bus["p99"],
                        sum(failures.values()),
                        f"{client_pct}%",
                        round(max(lag, raw_lag) * 1000, 1),
                    ]
                )
                levels.append(
                    {
                        "rate_per_s": rate,
                        "commands": round(rate * args.seconds),
                        "visible": len(visible),
                        "visible_latency_ms": seen,
                        "answered_latency_ms": command,
                        "baseline_latency_ms": bus,
                        "failures": failures,
                        "client_cpu_percent": client_pct,
                        "send_lag_ms": round(lag * 1000, 2),
                        "baseline_send_lag_ms": round(raw_lag * 1000, 2),
                    }
                )
        finally:
            await pool.close()
    path = write_result(
        "e2e",
        {
            "subject": "POST report-hazard, then GET it with min_position, until 200",
            "baseline": "raw nats-py js.publish to a test stream until a pull consumer has it",
            "up_args": list(up.args),
            "seconds": args.seconds,
            "connections_opened": pool.opened,
            "levels": levels,
        },
    )
    headers = [
        "rate/s",
        "visible",
        "p50",
        "p95",
        "p99",
        "answer p99",
        "bus p50",
        "bus p99",
        "failed",
        "client cpu",
        "max send lag",
    ]
    extra = " ".join(args.up_arg) or "none"
    last = levels[-1]
    return (
        f"{table(headers, rows)}\n(ms from scheduled send until visible; `answer` is the command's "
        f"own answer, `bus` the raw JetStream round trip; extra `pingan up` options: {extra})\n"
        f"e2e: p99 {rows[-1][4]} ms at {last['rate_per_s']}/s, raw JetStream p99 {rows[-1][7]} "
        f"ms; {path}"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rates", type=int_list, default=[50, 100, 200], help="default 50,100,200")
    parser.add_argument("--seconds", type=float, default=6.0, help="sending time per rate")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured, at the first rate")
    add_up_args(parser)
    return parser.parse_args()


if __name__ == "__main__":
    run_main(bench, parse_args())
