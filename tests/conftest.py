"""The suite starts its own real servers: one PostgreSQL per session, one nats-server per test.

Set TEST_DATABASE_URL to use an existing PostgreSQL server instead (each test still gets
databases of its own).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from moto.server import ThreadedMotoServer
from pydantic import SecretStr

from campaigns.application import CampaignsApplication
from hazards.application import HazardsApplication
from pingan.api.app import create_root_app
from pingan.auth.keys import KeyFiles, create_signing_key
from pingan.auth.runtime import AuthRuntime
from pingan.bus.permissions import Permissions, all_permissions
from pingan.files.s3 import S3Location
from pingan.run.clock import FixedClock
from pingan.run.embedded import EmbeddedNats, EmbeddedPostgres, free_port
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.service import all_services, get_service
from scoring.application import ScoringApplication
from tests.fixtures.tally import SPEC as TALLY
from tests.fixtures.tally import TallyApplication
from tests.servers import Proc, settings_env
from tests.tokens import office_headers

RuntimeT = TypeVar("RuntimeT", ServiceRuntime[Any], AuthRuntime)
E2E = Path(__file__).parent / "e2e"
#: Each worker runs a PostgreSQL and the processes of its tests: more would only queue for CPU.
MAX_WORKERS = 4


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every end-to-end test runs processes of its own, so each is slow. The slow tests go
    first, so that the workers share them out and none ends the run on one alone."""
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    return min(MAX_WORKERS, os.cpu_count() or 1)


@asynccontextmanager
async def started(runtime: RuntimeT) -> AsyncIterator[RuntimeT]:
    """A runtime started in this process, stopped when the block ends."""
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


@asynccontextmanager
async def relaying_and_projecting(runtime: ServiceRuntime[Any]) -> AsyncIterator[asyncio.Event]:
    """The service's relay and projections running in this process until the block ends."""
    stop = asyncio.Event()
    tasks = [asyncio.create_task(runtime.relay().run(stop))]
    tasks += [asyncio.create_task(runner.run(stop)) for runner in runtime.runners()]
    try:
        yield stop
    finally:
        stop.set()
        await asyncio.gather(*tasks)


@asynccontextmanager
async def office_client(
    runtime: ServiceRuntime[Any], auth: AuthRuntime, settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """The service's API in this process, as the district office reading English texts."""
    app = create_root_app([runtime], auth, start_runtimes=False)
    transport = httpx.ASGITransport(app=app)
    headers = {"Accept-Language": "en", **office_headers(settings)}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://pingan.test", headers=headers
    ) as http:
        yield http


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield external
        return
    server = EmbeddedPostgres(tmp_path_factory.mktemp("postgres") / "data", durable=False)
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


#: The suite's own user, for what only a test does on the bus (streams of its own, replays).
TESTER = "tester"
TESTER_PERMISSIONS = Permissions(publish=(">",), subscribe=(">",))


def nats_users() -> dict[str, Permissions]:
    """Every installed service's user, the test-only tally's, the operator, and the tester."""
    users = all_permissions({**all_services(), TALLY.name: TALLY})
    return {**users, TESTER: TESTER_PERMISSIONS}


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[EmbeddedNats]:
    """A nats-server of this test's own, that admits each service only as itself."""
    server = EmbeddedNats(tmp_path / "nats", free_port(), nats_users())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> KeyFiles:
    """The suite's signing key; a test that rotates keys makes its own."""
    files = KeyFiles.in_dir(tmp_path_factory.mktemp("keys"))
    create_signing_key(files)
    return files


def as_tester(settings: Settings, nats_server: EmbeddedNats) -> Settings:
    """For tests of consumers that no service declares, logged in as the tester."""
    return settings.model_copy(
        update={
            "nats_credentials_file": None,
            "nats_user": TESTER,
            "nats_password": SecretStr(nats_server.credentials[TESTER]),
        }
    )


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Location]:
    """An S3-compatible server (moto in server mode) on a free loopback port, for the session;
    each test takes a bucket of its own."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield S3Location(
            bucket="unused",
            endpoint_url=f"http://{host}:{port}",
            access_key_id="testing",
            secret_access_key="testing",  # noqa: S106 - moto takes any key
        )
    finally:
        server.stop()


@pytest.fixture
def s3_location(s3_server: S3Location) -> S3Location:
    """A new, empty bucket on the session's S3 server."""
    return dataclasses.replace(s3_server, bucket=f"evidence-{uuid.uuid4().hex[:12]}")


@pytest.fixture
def settings(
    nats_server: EmbeddedNats, postgres_url: str, keys: KeyFiles, tmp_path: Path
) -> Settings:
    return Settings(
        files_dir=tmp_path / "files",
        auth_signing_key_file=keys.signing,
        auth_public_keys_file=keys.public,
        nats_url=nats_server.url,
        nats_credentials_file=nats_server.credentials_path,
        database_url=postgres_url,
        database_prefix=f"t{uuid.uuid4().hex[:12]}_",
        relay_poll_interval_s=0.2,
        relay_lock_retry_s=0.2,
        projection_fetch_timeout_s=0.2,
        consistency_timeout_s=10,
        # A loaded test machine is slow, not down; the budget's own tests set theirs.
        command_budget_s=30,
    )


@pytest.fixture
async def hazards(settings: Settings) -> AsyncIterator[ServiceRuntime[HazardsApplication]]:
    """The hazards service's connections, started in this process."""
    async with started(ServiceRuntime(get_service("hazards"), settings)) as runtime:
        yield runtime


@pytest.fixture
async def tally(settings: Settings) -> AsyncIterator[ServiceRuntime[TallyApplication]]:
    """The test-only tally service (a reaction to hazards and a two-stream view), started."""
    async with started(ServiceRuntime(TALLY, settings)) as runtime:
        yield runtime


@pytest.fixture
async def auth(settings: Settings) -> AsyncIterator[AuthRuntime]:
    """Token checks and the accounts database, started in this process."""
    async with started(AuthRuntime(settings)) as runtime:
        yield runtime


@pytest.fixture
def fixed_clock(
    request: pytest.FixtureRequest, hazards: ServiceRuntime[HazardsApplication]
) -> FixedClock:
    """The hazards service's clock, standing at the test module's NOW."""
    clock = FixedClock(request.module.NOW)
    hazards.clock = clock
    return clock


@pytest.fixture
async def workers(hazards: ServiceRuntime[HazardsApplication]) -> AsyncIterator[asyncio.Event]:
    """The hazards relay and projections running in this process until the test ends."""
    async with relaying_and_projecting(hazards) as stop:
        yield stop


@pytest.fixture
async def client(
    hazards: ServiceRuntime[HazardsApplication],
    workers: asyncio.Event,
    auth: AuthRuntime,
    settings: Settings,
) -> AsyncIterator[httpx.AsyncClient]:
    """The API, as the district office (tests/tokens.py) reading English texts; the Chinese
    ones are checked where they are the point."""
    async with office_client(hazards, auth, settings) as http:
        yield http


@pytest.fixture
async def campaigns(settings: Settings) -> AsyncIterator[ServiceRuntime[CampaignsApplication]]:
    """The campaigns service's connections, started in this process."""
    async with started(ServiceRuntime(get_service("campaigns"), settings)) as runtime:
        yield runtime


@pytest.fixture
def campaigns_clock(
    request: pytest.FixtureRequest, campaigns: ServiceRuntime[CampaignsApplication]
) -> FixedClock:
    """The campaigns service's clock, standing at the test module's NOW."""
    clock = FixedClock(request.module.NOW)
    campaigns.clock = clock
    return clock


@pytest.fixture
async def campaigns_workers(
    campaigns: ServiceRuntime[CampaignsApplication],
) -> AsyncIterator[asyncio.Event]:
    """The campaigns relay and projections running in this process until the test ends."""
    async with relaying_and_projecting(campaigns) as stop:
        yield stop


@pytest.fixture
async def campaigns_client(
    campaigns: ServiceRuntime[CampaignsApplication],
    campaigns_workers: asyncio.Event,
    auth: AuthRuntime,
    settings: Settings,
) -> AsyncIterator[httpx.AsyncClient]:
    """The campaigns API, as the district office reading English texts."""
    async with office_client(campaigns, auth, settings) as http:
        yield http


@pytest.fixture
async def scoring(settings: Settings) -> AsyncIterator[ServiceRuntime[ScoringApplication]]:
    """The scoring service's connections, started in this process."""
    async with started(ServiceRuntime(get_service("scoring"), settings)) as runtime:
        yield runtime


@pytest.fixture
async def scoring_workers(
    scoring: ServiceRuntime[ScoringApplication],
) -> AsyncIterator[asyncio.Event]:
    """The scoring relay and projections running in this process until the test ends (its
    reaction is started by the tests that want it)."""
    async with relaying_and_projecting(scoring) as stop:
        yield stop


@pytest.fixture
async def scoring_client(
    scoring: ServiceRuntime[ScoringApplication],
    scoring_workers: asyncio.Event,
    auth: AuthRuntime,
    settings: Settings,
) -> AsyncIterator[httpx.AsyncClient]:
    """The scoring API, as the district office reading English texts."""
    async with office_client(scoring, auth, settings) as http:
        yield http


Spawn = Callable[..., Proc]


@pytest.fixture
def spawn(settings: Settings, tmp_path: Path) -> Iterator[Spawn]:
    """Start `pingan ...` processes against this test's servers; all are killed at the end."""
    started: list[Proc] = []

    def start(*args: str, name: str | None = None, module: str = "pingan", **env: str) -> Proc:
        label = name or f"{'-'.join(args)}-{len(started)}"
        proc = Proc(list(args), {**settings_env(settings), **env}, tmp_path, label, module=module)
        started.append(proc)
        return proc

    try:
        yield start
    finally:
        for proc in started:
            proc.kill9()
