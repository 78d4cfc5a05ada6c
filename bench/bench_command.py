"""Report-hazard commands over HTTP to `pingan up` vs the same saves in-process, same run.

Closed loop: each client sends its next command as soon as its last is answered, on its own
keep-alive connection. The baseline calls `HazardsApplication.report_hazard` from as many
threads on its own PostgreSQL, with no HTTP, no bus and no projections running beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import threading
import time
from dataclasses import dataclass
from datetime import date

from harness import (
    HAZARDS_PATH,
    HttpConnection,
    UpProcess,
    add_up_args,
    hazards_runtime,
    int_list,
    latency_ms,
    pingan_up,
    report_hazard_body,
    report_hazard_bytes,
    run_main,
    servers,
    table,
    write_result,
)
from hazards.application import HazardsApplication
from hazards.domain.vocabulary import Category, Source
from pingan.write.metadata import EventMetadata


@dataclass(frozen=True)
class Measured:
    commands: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rate(self) -> float:
        return self.commands / self.seconds


async def http_clients(
    up: UpProcess, clients: int, warmup_s: float, seconds: float, counter: itertools.count[int]
) -> tuple[Measured, float, float]:
    """`clients` keep-alive connections in a closed loop; also the client's and the server's
    CPU seconds over the measured part."""
    connections = [up.connection() for _ in range(clients)]
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()
    measure_from, end = start + warmup_s, start + warmup_s + seconds

    async def client(conn: HttpConnection) -> None:
        nonlocal errors
        while (sent := time.perf_counter()) < end:
            status, _ = await conn.request("POST", HAZARDS_PATH, report_hazard_bytes(next(counter)))
            if sent >= measure_from:
                latencies.append(time.perf_counter() - sent)
                errors += status != 201

    tasks = [asyncio.create_task(client(c)) for c in connections]
    await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
    cpu0, server0 = time.process_time(), await asyncio.to_thread(up.cpu_seconds)
    await asyncio.gather(*tasks)
    cpu1, server1 = time.process_time(), await asyncio.to_thread(up.cpu_seconds)
    for conn in connections:
        await conn.close()
    measured = Measured(len(latencies), time.perf_counter() - measure_from, latencies, errors)
    return measured, cpu1 - cpu0, server1 - server0


def in_process(
    app: HazardsApplication,
    threads: int,
    warmup_s: float,
    seconds: float,
    counter: itertools.count[int],
) -> Measured:
    """The same command on the application itself, from `threads` threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    start = time.perf_counter()
    measure_from, end = start + warmup_s, start + warmup_s + seconds
    today = date.today()

    def work() -> None:
        mine: list[float] = []
        while (sent := time.perf_counter()) < end:
            body = report_hazard_body(next(counter))
            app.report_hazard(
                title=body["title"],
                category=Category(body["category"]),
                source=Source(body["source"]),
                township=body["township"],
                village=body["village"],
                address=body["address"],
                reporter=body["reporter"],
                metadata=EventMetadata.new(actor="bench"),
                today=today,
            )
            if sent >= measure_from:
                mine.append(time.perf_counter() - sent)
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return Measured(len(latencies), time.perf_counter() - measure_from, latencies, 0)


async def bench(args: argparse.Namespace) -> str:
    counter = itertools.count()
    levels: list[dict[str, object]] = []
    rows: list[list[object]] = []
    async with servers() as settings, pingan_up(args.up_arg) as up:
        runtime = hazards_runtime(settings)
        # The application as the API has it, with its registry of people.
        await runtime.start()
        app = runtime.application
        try:
            for n, clients in enumerate(args.clients):
                # Alternate which goes first, so neither always gets the quieter slot.
                if n % 2 == 0:
                    http, client_cpu, server_cpu = await http_clients(
                        up, clients, args.warmup, args.seconds, counter
                    )
                raw = await asyncio.to_thread(
                    in_process, app, clients, args.warmup, args.seconds, counter
                )
                if n % 2 == 1:
                    http, client_cpu, server_cpu = await http_clients(
                        up, clients, args.warmup, args.seconds, counter
                    )
                hl, rl = latency_ms(http.latencies), latency_ms(raw.latencies)
                client_pct = round(100 * client_cpu / http.seconds, 1)
                server_pct = round(100 * server_cpu / http.seconds, 1)
                ratio = http.rate / raw.rate
                rows.append(
                    [
                        clients,
                        round(http.rate),
                        round(raw.rate),
                        f"{ratio:.2f}",
                        hl["p50"],
                        hl["p99"],
                        rl["p50"],
                        rl["p99"],
                        http.errors,
                        f"{client_pct}%",
                        f"{server_pct}%",
                    ]
                )
                levels.append(
                    {
                        "clients": clients,
                        "http_per_s": round(http.rate, 1),
                        "in_process_per_s": round(raw.rate, 1),
                        "ratio": round(ratio, 3),
                        "http_latency_ms": hl,
                        "in_process_latency_ms": rl,
                        "http_commands": http.commands,
                        "http_errors": http.errors,
                        "in_process_commands": raw.commands,
                        "client_cpu_percent": client_pct,
                        "server_cpu_percent": server_pct,
                    }
                )
        finally:
            await runtime.stop()
    path = write_result(
        "command",
        {
            "subject": "POST /api/hazards/hazards to `pingan up`",
            "baseline": "HazardsApplication.report_hazard in-process, same threads",
            "up_args": list(up.args),
            "seconds": args.seconds,
            "warmup_s": args.warmup,
            "levels": levels,
        },
    )
    headers = [
        "clients",
        "http/s",
        "in-proc/s",
        "ratio",
        "http p50",
        "http p99",
        "in-proc p50",
        "in-proc p99",
        "errors",
        "client cpu",
        "server cpu",
    ]
    extra = " ".join(args.up_arg) or "none"
    return (
        f"{table(headers, rows)}\n(latencies in ms; cpu in % of one core over the measured "
        f"{args.seconds:g} s; extra `pingan up` options: {extra})\n"
        f"command: HTTP vs in-process report_hazard, ratio {rows[-1][3]} at {rows[-1][0]} "
        f"clients; {path}"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int_list, default=[1, 4, 16], help="default 1,4,16")
    parser.add_argument("--seconds", type=float, default=8.0, help="measured per level")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured, before each")
    add_up_args(parser)
    return parser.parse_args()


if __name__ == "__main__":
    run_main(bench, parse_args())
