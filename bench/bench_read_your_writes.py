"""Read-your-writes under load: `GET /hazards/{id}?min_position=` right after each command,
against the time the view itself takes to reach that position, in the same run.

Commands arrive at a steady rate (open loop); each is followed at once by a read of the
hazard it made, asking for the command's position. An observer on a connection of its own
watches the view's tracking row every few milliseconds, so that for each command we know
when the view reached its position; the ratio says how much later than that the reader got
its answer (1.0: no cost beyond the view's own lag).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import logging
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx

from harness import RESULTS_DIR, hazards_runtime, servers, service_token, versions
from hazards.application import HazardsApplication
from pingan.api.app import create_root_app
from pingan.auth.runtime import AuthRuntime
from pingan.run.runtime import ServiceRuntime

VIEW = "hazard_register"
API = "/api/hazards"
WATCH_S = 0.002
REPORT: dict[str, Any] = {
    "title": "Blocked fire exit",
    "category": "fire",
    "source": "grid_worker",
    "township": "玉泉镇",
    "village": "莲亭村",
    "address": "No. 3 Lane, Lianting",
    "reporter": "grid worker Li",
}


@dataclass(frozen=True)
class Sample:
    answered: float
    position: int
    read_s: float
    status: int
    problem: str


class Watch:
    """When the view's tracked position changed, as seen by polling on its own connection."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.positions: list[int] = []

    async def run(self, conn: asyncpg.Connection, source: str, stop: asyncio.Event) -> None:
        while not stop.is_set():
            position = await conn.fetchval(
                "SELECT position FROM consumer_tracking WHERE consumer=$1 AND source=$2",
                VIEW,
                source,
            )
            if position is not None and (not self.positions or position > self.positions[-1]):
                self.times.append(time.perf_counter())
                self.positions.append(position)
            await asyncio.sleep(WATCH_S)

    def reached_at(self, position: int) -> float | None:
        index = bisect.bisect_left(self.positions, position)
        return self.times[index] if index < len(self.positions) else None


async def command_then_read(client: httpx.AsyncClient) -> Sample:
    created = await client.post(f"{API}/hazards", json=REPORT)
    answered = time.perf_counter()
    created.raise_for_status()
    body = created.json()
    read = await client.get(
        f"{API}/hazards/{body['id']}", params={"min_position": body["position"], "wait": 30}
    )
    read_s = time.perf_counter() - answered
    problem = "" if read.status_code == 200 else str(read.json().get("type", ""))
    return Sample(answered, int(body["position"]), read_s, read.status_code, problem)


async def open_loop(client: httpx.AsyncClient, rate: float, seconds: float) -> list[Sample]:
    loop = asyncio.get_running_loop()
    started = loop.time()
    tasks: list[asyncio.Task[Sample]] = []
    for i in range(int(rate * seconds)):
        delay = started + i / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(command_then_read(client)))
    return list(await asyncio.gather(*tasks))


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(
    runtime: ServiceRuntime[HazardsApplication], args: argparse.Namespace
) -> dict[str, Any]:
    stop = asyncio.Event()
    workers = [asyncio.create_task(runtime.relay().run(stop))]
    workers += [asyncio.create_task(r.run(stop)) for r in runtime.runners()]
    watch = Watch()
    conn = await runtime.db.connect()
    watching = asyncio.create_task(watch.run(conn, runtime.stream, stop))
    auth = AuthRuntime(runtime.settings)
    await auth.start()
    app = create_root_app([runtime], auth, start_runtimes=False)
    headers = {"Authorization": f"Bearer {service_token(runtime.settings)}"}
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://bench",
            timeout=60,
            headers=headers,
        ) as client:
            await open_loop(client, args.rate, 1.0)  # warm-up, not counted
            began = time.perf_counter()
            samples = await open_loop(client, args.rate, args.seconds)
            elapsed = time.perf_counter() - began
    finally:
        stop.set()
        await asyncio.gather(*workers, watching)
        await conn.close()
        await auth.stop()
    ok = [s for s in samples if s.status == 200]
    reads = [s.read_s for s in ok]
    views: list[float] = []
    excess: list[float] = []
    for s in ok:
        reached = watch.reached_at(s.position)
        if reached is not None:
            # The observer sees a change at most WATCH_S late; a view already there when the
            # command was answered counts as that resolution, not as zero.
            views.append(max(WATCH_S, reached - s.answered))
            excess.append(s.read_s - views[-1])
    return {
        "commands": len(samples),
        "commands_per_s": round(len(samples) / elapsed, 1),
        "failed_reads": len(samples) - len(ok),
        "failed_problems": sorted({s.problem for s in samples if s.status != 200}),
        "read_p50_s": round(quantile(reads, 0.5), 4),
        "read_p99_s": round(quantile(reads, 0.99), 4),
        "view_p50_s": round(quantile(views, 0.5), 4),
        "view_p99_s": round(quantile(views, 0.99), 4),
        "excess_p50_s": round(quantile(excess, 0.5), 4),
        "excess_p99_s": round(quantile(excess, 0.99), 4),
        "ratio_p50": round(quantile(reads, 0.5) / quantile(views, 0.5), 2),
        "ratio_p99": round(quantile(reads, 0.99) / quantile(views, 0.99), 2),
    }


async def bench(args: argparse.Namespace) -> str:
    async with servers() as settings:
        runtime = hazards_runtime(settings)
        await runtime.start()
        try:
            meta = await versions(runtime)
            runs = [await measure(runtime, args) for _ in range(args.repeat)]
        finally:
            await runtime.stop()
    result = {
        "name": "read_your_writes",
        "label": args.label,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rate": args.rate,
        "seconds": args.seconds,
        "runs": runs,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        **meta,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"read_your_writes{'-' + args.label if args.label else ''}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")

    def median(key: str) -> float:
        return float(statistics.median(r[key] for r in runs))

    return (
        f"read-your-writes at {median('commands_per_s'):.0f} commands/s: "
        f"read p50 {median('read_p50_s') * 1000:.0f} ms p99 {median('read_p99_s') * 1000:.0f} ms, "
        f"view p50 {median('view_p50_s') * 1000:.0f} ms p99 {median('view_p99_s') * 1000:.0f} ms, "
        f"ratio p50 {median('ratio_p50'):.2f} p99 {median('ratio_p99'):.2f}, "
        f"read after view p50 {median('excess_p50_s') * 1000:.0f} ms, "
        f"failed reads {median('failed_reads'):.0f}  (median of {len(runs)}; {path})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rate", type=float, default=100.0, help="commands per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds of load per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is reported")
    parser.add_argument("--label", default="", help="suffix of the results file")
    args = parser.parse_args()
    if args.rate <= 0 or args.seconds <= 0 or args.repeat < 1:
        parser.error("--rate and --seconds must be positive, --repeat at least 1")
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    print(asyncio.run(bench(args)), flush=True)


if __name__ == "__main__":
    main()
