"""Resident memory of every process of `pingan up` while it takes N report-hazard commands.

The processes are `pingan up` and all its descendants, plus PostgreSQL and its backends (which
pg_ctl starts in their own session). Each is sampled from /proc (through psutil, already a
dependency) every `--sample` seconds; the table shows each process at points of the run, so a
process whose memory still grows after warm-up stands out. A PostgreSQL process's RSS counts the
shared buffers it has touched, which every backend shares: PSS is given beside it in the JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import psutil

from harness import (
    HAZARDS_PATH,
    UpProcess,
    add_up_args,
    pingan_up,
    report_hazard_bytes,
    run_main,
    table,
    write_result,
)

MB = 1024 * 1024
LIMIT_MB = 150.0
CHECKPOINTS = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0)
FLAT_MB, FLAT_SHARE = 5.0, 0.10


@dataclass(frozen=True)
class Sample:
    elapsed_s: float
    commands: int
    rss_mb: dict[int, float]
    pss_mb: dict[int, float]


@dataclass
class Watch:
    labels: dict[int, str] = field(default_factory=dict)
    samples: list[Sample] = field(default_factory=list)


def label(proc: psutil.Process) -> str:
    """What the process is, short: `pingan up`, `nats-server`, `postgres: checkpointer`..."""
    words = " ".join(proc.cmdline()).split()
    if words and words[0].startswith("postgres"):
        # A backend's title ends in its current state (idle, SELECT...), which changes.
        return " ".join(words[: words.index("[local]") + 1] if "[local]" in words else words)
    args = [w for w in words[1:] if "/" not in w and not w.startswith("--")]
    return " ".join([proc.name(), *args])[:48]


def sample(up: UpProcess, watch: Watch, started: float, commands: int) -> None:
    rss: dict[int, float] = {}
    pss: dict[int, float] = {}
    for proc in up.processes():
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            if proc.pid not in watch.labels:
                watch.labels[proc.pid] = label(proc)
            full = proc.memory_full_info()
            rss[proc.pid] = full.rss / MB
            pss[proc.pid] = getattr(full, "pss", full.uss) / MB
    watch.samples.append(Sample(time.perf_counter() - started, commands, rss, pss))


async def drive(up: UpProcess, commands: int, clients: int, done: list[int]) -> int:
    """Closed loop on `clients` keep-alive connections until `commands` were answered."""
    errors = 0
    sent = 0

    async def client() -> None:
        nonlocal errors, sent
        conn = up.connection()
        try:
            while sent < commands:
                sent += 1
                status, _ = await conn.request("POST", HAZARDS_PATH, report_hazard_bytes(sent))
                errors += status != 201
                done[0] += 1
        finally:
            await conn.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return errors


def at(samples: list[Sample], commands: int) -> Sample:
    """The first sample taken with at least `commands` answered."""
    return next((s for s in samples if s.commands >= commands), samples[-1])


async def bench(args: argparse.Namespace) -> str:
    watch = Watch()
    done = [0]
    async with pingan_up(args.up_arg) as up:
        started = time.perf_counter()
        await asyncio.to_thread(sample, up, watch, started, 0)
        stop = asyncio.Event()

        async def sampler() -> None:
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), args.sample)
                await asyncio.to_thread(sample, up, watch, started, done[0])

        sampling = asyncio.create_task(sampler())
        cpu0 = time.process_time()
        errors = await drive(up, args.commands, args.clients, done)
        client_cpu, driven_s = time.process_time() - cpu0, time.perf_counter() - started
        # A few more samples once idle: the views catch up and buffers are let go.
        await asyncio.sleep(args.settle)
        stop.set()
        await sampling

    checkpoints = [at(watch.samples, round(f * args.commands)) for f in CHECKPOINTS]
    warm, end = checkpoints[1], watch.samples[-1]
    rows: list[list[object]] = []
    processes: list[dict[str, Any]] = []
    for pid, name in watch.labels.items():
        series = [s.rss_mb[pid] for s in watch.samples if pid in s.rss_mb]
        peak = max(series)
        growth = end.rss_mb.get(pid, series[-1]) - warm.rss_mb.get(pid, series[0])
        flat = growth <= max(FLAT_MB, FLAT_SHARE * warm.rss_mb.get(pid, series[0]))
        cells = [f"{c.rss_mb[pid]:.1f}" if pid in c.rss_mb else "-" for c in checkpoints]
        verdict = ("ok" if peak <= LIMIT_MB else "OVER") + ("" if flat else ", grows")
        rows.append([f"{name} [{pid}]", *cells, f"{peak:.1f}", f"{growth:+.1f}", verdict])
        processes.append(
            {
                "pid": pid,
                "process": name,
                "rss_mb_peak": round(peak, 1),
                "rss_mb_growth_after_warmup": round(growth, 1),
                "flat_after_warmup": flat,
                "under_limit": peak <= LIMIT_MB,
            }
        )
    path = write_result(
        "memory",
        {
            "subject": "RSS of every process of `pingan up` during N report-hazard commands",
            "up_args": list(up.args),
            "commands": args.commands,
            "clients": args.clients,
            "errors": errors,
            "commands_per_s": round(args.commands / driven_s, 1),
            "client_cpu_percent": round(100 * client_cpu / driven_s, 1),
            "limit_mb": LIMIT_MB,
            "processes": processes,
            "samples": [
                {
                    "elapsed_s": round(s.elapsed_s, 2),
                    "commands": s.commands,
                    "rss_mb": {str(p): round(v, 1) for p, v in s.rss_mb.items()},
                    "pss_mb": {str(p): round(v, 1) for p, v in s.pss_mb.items()},
                }
                for s in watch.samples
            ],
        },
    )
    headers = [
        "process",
        *(f"{round(f * 100)}%" for f in CHECKPOINTS),
        "peak",
        "after warm-up",
        "verdict",
    ]
    worst = max(p["rss_mb_peak"] for p in processes)
    growing = [f"{p['process']} [{p['pid']}]" for p in processes if not p["flat_after_warmup"]]
    return (
        f"{table(headers, rows)}\n(RSS in MB after that share of {args.commands} commands; "
        f"'after warm-up' is the change from 10% to the end; {args.commands / driven_s:.0f} "
        f"commands/s, {errors} errors, client cpu {100 * client_cpu / driven_s:.0f}% of a core)\n"
        f"memory: {len(processes)} processes, largest peak {worst:.1f} MB (limit {LIMIT_MB:.0f}), "
        f"growing after warm-up: {len(growing)} ({', '.join(growing[:3]) or 'none'}"
        f"{', ...' if len(growing) > 3 else ''}); {path}"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commands", type=int, default=100_000, help="default 100000")
    parser.add_argument("--clients", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--sample", type=float, default=1.0, help="seconds between samples")
    parser.add_argument("--settle", type=float, default=3.0, help="sampling after the last")
    add_up_args(parser)
    args = parser.parse_args()
    if args.commands < 1 or args.clients < 1:
        parser.error("--commands and --clients must be at least 1")
    return args


if __name__ == "__main__":
    run_main(bench, parse_args())
