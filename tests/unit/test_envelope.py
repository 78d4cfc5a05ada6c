"""CloudEvents headers and where a service's database is."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pingan.api.correlation import accept_or_make
from pingan.bus.envelope import Envelope, EnvelopeError
from pingan.run.postgres import PgTarget


def test_envelope_survives_a_trip_through_headers() -> None:
    envelope = Envelope(
        id="hazards:7",
        source="/pingan/hazards",
        type="pingan.hazards.hazard.reported.v1",
        subject="0b8e",
        time=datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
        position=7,
        correlation_id="req-1",
        causation_id="req-1",
        actor="officer",
    )
    headers = envelope.to_headers()
    assert headers["ce-specversion"] == "1.0"
    assert Envelope.from_headers(headers) == envelope


@pytest.mark.parametrize("headers", [None, {}, {"ce-id": "x"}])
def test_a_message_without_pingan_headers_is_rejected(headers: dict[str, str] | None) -> None:
    with pytest.raises(EnvelopeError):
        Envelope.from_headers(headers)


def test_tcp_and_unix_socket_urls_give_each_client_the_same_server() -> None:
    tcp = PgTarget.from_url("postgresql://pingan:secret@db:5433/postgres").with_database(
        "pingan_hazards"
    )
    unix = PgTarget.from_url("postgresql://postgres:@/postgres?host=/tmp/pg")

    assert (tcp.host, tcp.port, tcp.user, tcp.password, tcp.database) == (
        "db",
        5433,
        "pingan",
        "secret",
        "pingan_hazards",
    )
    assert tcp.url == "postgresql://pingan:secret@db:5433/pingan_hazards"
    assert (unix.host, unix.port, unix.database) == ("/tmp/pg", 5432, "postgres")
    assert PgTarget.from_url(unix.url) == unix


@pytest.mark.parametrize("given", ["abc-123", "a" * 128, "req:1.2_3"])
def test_a_sane_request_id_is_kept(given: str) -> None:
    assert accept_or_make(given) == given


@pytest.mark.parametrize("given", [None, "", "a" * 129, "has space", "new\nline"])
def test_a_missing_or_unsafe_request_id_is_replaced(given: str | None) -> None:
    made = accept_or_make(given)
    assert made != given
    assert len(made) == 36
