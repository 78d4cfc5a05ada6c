"""Telling a lost bus from a lost database, whatever type the client lets through."""

from __future__ import annotations

import asyncpg
import nats
import nats.errors
import psycopg
import pytest

from pingan.run.embedded import free_port
from pingan.run.outage import Outage, outage_of


def _raised_from_module(module: str, exc: BaseException) -> BaseException:
    """`exc` with a traceback whose innermost frame belongs to `module`."""
    namespace = {"__name__": module, "exc": exc}
    code = compile("def fail():\n    raise exc\n", f"<{module}>", "exec")
    exec(code, namespace)  # noqa: S102
    try:
        namespace["fail"]()  # type: ignore[operator]
    except BaseException as raised:
        return raised
    raise AssertionError("did not raise")


def test_a_nats_timeout_is_the_bus_although_it_is_an_os_error() -> None:
    exc = nats.errors.TimeoutError()

    assert isinstance(exc, OSError)
    assert outage_of(exc) is Outage.BUS


def test_database_client_errors_are_the_database() -> None:
    assert outage_of(asyncpg.exceptions.CannotConnectNowError("starting")) is Outage.DATABASE
    assert outage_of(asyncpg.InterfaceError("connection is closed")) is Outage.DATABASE
    assert outage_of(psycopg.OperationalError("server closed")) is Outage.DATABASE


def test_a_builtin_timeout_is_told_apart_by_the_library_it_came_from() -> None:
    from_bus = _raised_from_module("nats.js.client", TimeoutError())
    from_database = _raised_from_module("asyncpg.connection", TimeoutError())

    assert outage_of(from_bus) is Outage.BUS
    assert outage_of(from_database) is Outage.DATABASE


def test_a_wrapped_outage_is_found_through_its_cause() -> None:
    try:
        try:
            raise asyncpg.InterfaceError("connection is closed")
        except asyncpg.InterfaceError as inner:
            raise RuntimeError("could not save") from inner
    except RuntimeError as outer:
        assert outage_of(outer) is Outage.DATABASE


def test_errors_that_are_no_outage_are_none() -> None:
    assert outage_of(ValueError("bad row")) is None
    assert outage_of(KeyError("ce-position")) is None
    assert outage_of(_raised_from_module("pingan.bus.relay", TimeoutError())) is None


async def test_a_refused_database_connection_is_the_database() -> None:
    with pytest.raises(OSError) as refused:
        await asyncpg.connect(host="127.0.0.1", port=free_port(), timeout=5)

    assert outage_of(refused.value) is Outage.DATABASE


async def test_a_refused_bus_connection_is_the_bus() -> None:
    with pytest.raises(Exception) as refused:
        await nats.connect(
            f"nats://127.0.0.1:{free_port()}",
            allow_reconnect=False,
            connect_timeout=2,
            max_reconnect_attempts=1,
            reconnect_time_wait=0,
        )

    assert outage_of(refused.value) is Outage.BUS


def test_each_outage_is_described_for_the_log() -> None:
    assert Outage.BUS.described == "NATS unavailable"
    assert Outage.DATABASE.described == "database unavailable"


def test_a_constraint_or_syntax_error_is_a_bug_not_an_outage() -> None:
    assert outage_of(asyncpg.exceptions.UniqueViolationError("duplicate key")) is None
    assert outage_of(psycopg.errors.SyntaxError("syntax error")) is None
