"""Each service is on the bus as its own user, allowed only what it declares; checked on a real
nats-server started with the generated configuration."""

from __future__ import annotations

import asyncio
import json
import stat
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import nats
import nats.errors
import pytest
from nats.aio.client import Client
from nats.js.api import ConsumerConfig

from pingan.bus.identity import NatsIdentity, inbox_prefix
from pingan.bus.permissions import OPERATOR, all_permissions, durable_name
from pingan.bus.streams import connect
from pingan.run.embedded import EmbeddedNats, free_port
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.service import all_services
from tests.conftest import TESTER, nats_users
from tests.seeding import eventually

Errors = list[Exception]
Login = Callable[[str], Awaitable[tuple[Client, Errors]]]


@pytest.fixture
async def login(nats_server: EmbeddedNats) -> AsyncIterator[Login]:
    """Connect as one of the server's users, keeping what reaches error_cb."""
    opened: list[Client] = []

    async def as_user(user: str) -> tuple[Client, Errors]:
        errors: Errors = []

        async def on_error(exc: Exception) -> None:
            errors.append(exc)

        nc = await nats.connect(
            nats_server.url,
            user=user,
            password=nats_server.credentials[user],
            inbox_prefix=inbox_prefix(user) if user != OPERATOR else "_INBOX",
            error_cb=on_error,
            allow_reconnect=False,
        )
        opened.append(nc)
        return nc, errors

    yield as_user
    for nc in opened:
        await nc.close()


@pytest.fixture
async def hazards_stream(hazards: ServiceRuntime[object], login: Login) -> int:  # type: ignore[type-var]
    """HAZARDS with one message in it; its sequence."""
    nc, _ = await login("hazards")
    ack = await nc.jetstream().publish("hazards.hazard.reported", b"{}")
    return ack.seq


def _violated(errors: Errors) -> bool:
    return any("permissions violation" in str(e).lower() for e in errors)


async def test_a_service_cannot_publish_on_another_services_subjects(
    hazards_stream: int, login: Login
) -> None:
    campaigns, errors = await login("campaigns")
    await campaigns.publish("hazards.hazard.reported", b"{}")
    await campaigns.flush()
    await eventually(lambda: asyncio.sleep(0, _violated(errors)), 5, "a permissions violation")
    with pytest.raises(nats.errors.TimeoutError):
        await campaigns.jetstream().publish("hazards.hazard.reported", b"{}", timeout=0.5)
    tester, _ = await login(TESTER)
    assert (await tester.jetstream().stream_info("HAZARDS")).state.last_seq == hazards_stream


async def test_a_service_cannot_consume_a_stream_it_does_not_read(
    hazards_stream: int, login: Login
) -> None:
    js = (await login("campaigns"))[0].jetstream(timeout=0.5)
    for durable in (durable_name("campaigns", "view", "stolen"), "campaigns"):
        with pytest.raises(nats.errors.TimeoutError):
            await js.add_consumer("HAZARDS", ConsumerConfig(durable_name=durable))
    with pytest.raises(nats.errors.TimeoutError):
        await js.pull_subscribe("hazards.>", stream="HAZARDS")


async def test_a_consumer_may_use_its_own_durable_only(hazards_stream: int, login: Login) -> None:
    js = (await login("tally"))[0].jetstream(timeout=0.5)
    durable = durable_name("tally", "reaction", "tally")
    await js.add_consumer("HAZARDS", ConsumerConfig(durable_name=durable))
    psub = await js.pull_subscribe_bind(durable=durable, stream="HAZARDS")
    [msg] = await psub.fetch(1, timeout=2)
    await msg.ack_sync(timeout=2)
    with pytest.raises(nats.errors.TimeoutError):
        await js.add_consumer(
            "HAZARDS", ConsumerConfig(durable_name=durable_name("hazards", "view", "key_areas"))
        )


async def test_replies_come_only_to_the_users_own_inbox(
    hazards_stream: int, nats_server: EmbeddedNats
) -> None:
    errors: Errors = []

    async def on_error(exc: Exception) -> None:
        errors.append(exc)

    # The default inbox is another user's namespace: every JetStream call goes unanswered.
    nc = await nats.connect(
        nats_server.url,
        user="campaigns",
        password=nats_server.credentials["campaigns"],
        error_cb=on_error,
        allow_reconnect=False,
    )
    try:
        with pytest.raises(nats.errors.TimeoutError):
            await nc.jetstream(timeout=0.5).stream_info("CAMPAIGNS")
        assert _violated(errors)
    finally:
        await nc.close()


@pytest.mark.parametrize("wrong", ["password", "user", "nothing"])
async def test_only_known_users_with_their_password_get_in(
    nats_server: EmbeddedNats, wrong: str
) -> None:
    user, password = {
        "password": ("hazards", nats_server.credentials["campaigns"]),
        "user": ("intruder", nats_server.credentials["hazards"]),
        "nothing": (None, None),
    }[wrong]
    nc = Client()
    try:
        with pytest.raises(nats.errors.Error, match="Authorization Violation"):
            await nc.connect(
                nats_server.url,
                user=user,
                password=password,
                allow_reconnect=False,
                connect_timeout=2,
            )
    finally:
        # A refused client leaves its socket open.
        await nc.close()


async def test_the_operator_reads_every_stream_and_changes_nothing(
    hazards_stream: int, login: Login
) -> None:
    operator, errors = await login(OPERATOR)
    js = operator.jetstream(timeout=0.5)
    assert {"HAZARDS", "DEADLETTER"} <= set(await _names(operator))
    assert (await js.get_msg("HAZARDS", seq=hazards_stream)).data == b"{}"
    psub = await js.pull_subscribe("hazards.>", stream="HAZARDS")
    [msg] = await psub.fetch(1, timeout=2)
    assert msg.data == b"{}"
    ordered = await js.subscribe("hazards.>", ordered_consumer=True)
    assert (await ordered.next_msg(timeout=2)).data == b"{}"
    await operator.publish("hazards.hazard.reported", b"{}")
    await operator.flush()
    await eventually(lambda: asyncio.sleep(0, _violated(errors)), 5, "a permissions violation")
    denied: list[Callable[[], Awaitable[object]]] = [
        lambda: js.publish("hazards.hazard.reported", b"{}"),
        lambda: js.delete_stream("HAZARDS"),
        lambda: js.purge_stream("HAZARDS"),
        lambda: js.delete_msg("HAZARDS", hazards_stream),
        lambda: js.add_consumer(
            "HAZARDS", ConsumerConfig(durable_name=durable_name("hazards", "view", "key_areas"))
        ),
        lambda: js.delete_consumer("HAZARDS", psub._consumer),
    ]
    for call in denied:
        with pytest.raises(nats.errors.TimeoutError):
            await call()
    tester, _ = await login(TESTER)
    assert (await tester.jetstream().stream_info("HAZARDS")).state.messages == 1


async def _names(nc: Client) -> list[str]:
    return [info.config.name or "" for info in await nc.jetstream().streams_info()]


async def test_every_installed_service_starts_as_its_own_user(settings: Settings) -> None:
    for spec in all_services().values():
        runtime: ServiceRuntime[object] = ServiceRuntime(spec, settings)  # type: ignore[type-var]
        await runtime.start(with_application=False)
        try:
            assert (await runtime.readiness())["bus"]["ok"]
        finally:
            await runtime.stop()


def test_credentials_are_made_once_private_and_kept(tmp_path: Path) -> None:
    server = EmbeddedNats(tmp_path / "nats", free_port(), nats_users())
    server.start()
    first = dict(server.credentials)
    server.stop()
    assert set(first) == set(nats_users())
    assert len(set(first.values())) == len(first), "a password of its own for each user"
    for path in (server.credentials_path, server.config_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert json.loads(server.credentials_path.read_text()) == first
    again = EmbeddedNats(tmp_path / "nats", free_port(), nats_users())
    again.start()
    try:
        assert again.credentials == first
    finally:
        again.stop()


async def test_a_data_dir_from_before_logins_keeps_its_streams(tmp_path: Path) -> None:
    before = EmbeddedNats(tmp_path / "nats", free_port())
    before.start()
    try:
        nc = await connect(before.url, "before")
        js = nc.jetstream()
        await js.add_stream(name="HAZARDS", subjects=["hazards.>"])
        await js.publish("hazards.hazard.reported", b"{}")
        await nc.close()
    finally:
        before.stop()
    after = EmbeddedNats(tmp_path / "nats", free_port(), all_permissions(all_services()))
    after.start()
    try:
        identity = NatsIdentity("hazards", after.credentials["hazards"])
        nc = await connect(after.url, "after", identity=identity)
        try:
            assert (await nc.jetstream().stream_info("HAZARDS")).state.messages == 1
        finally:
            await nc.close()
    finally:
        after.stop()
