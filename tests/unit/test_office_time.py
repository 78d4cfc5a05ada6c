"""Times over HTTP are office times: read in the office's zone when given without one, and
answered with the office's offset."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel, ValidationError

from pingan.api.times import OfficeDateTime, use_office_zone
from pingan.run.settings import OFFICE_TIMEZONE


class Body(BaseModel):
    at: OfficeDateTime
    until: OfficeDateTime | None = None


@pytest.fixture(autouse=True)
def office_zone() -> Iterator[None]:
    yield
    use_office_zone(OFFICE_TIMEZONE)


def test_a_time_without_a_zone_is_read_as_office_time() -> None:
    body = Body.model_validate_json('{"at": "2026-05-18T14:30:00"}')

    assert body.at == datetime(2026, 5, 18, 6, 30, tzinfo=UTC)
    assert body.model_dump_json() == '{"at":"2026-05-18T14:30:00+08:00","until":null}'


def test_a_utc_time_keeps_its_instant_and_is_answered_in_office_time() -> None:
    body = Body.model_validate_json('{"at": "2026-05-18T06:30:00Z", "until": "2026-05-19"}')

    assert body.model_dump(mode="json") == {
        "at": "2026-05-18T14:30:00+08:00",
        "until": "2026-05-19T00:00:00+08:00",
    }


def test_a_stored_utc_time_is_answered_with_the_office_offset() -> None:
    assert Body(at=datetime(2026, 1, 1, 16, tzinfo=UTC)).model_dump(mode="json")["at"] == (
        "2026-01-02T00:00:00+08:00"
    )


def test_the_office_zone_is_the_setting() -> None:
    use_office_zone("Asia/Urumqi")

    assert Body.model_validate_json('{"at": "2026-05-18T14:30:00"}').model_dump(mode="json")[
        "at"
    ] == ("2026-05-18T14:30:00+06:00")


def test_a_time_at_the_edge_of_the_calendar_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        Body.model_validate_json('{"at": "0001-01-01T00:00:00+05:00"}')
