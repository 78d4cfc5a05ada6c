"""The read pieces that need no server: pages, business times in history and in the views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hazards.domain.status_rules import is_on_time, is_overdue
from hazards.domain.vocabulary import HazardStatus
from hazards.projections.business_dates import business_day
from pingan.api.history import business_time_of
from pingan.api.pagination import Page, PageRequest


@dataclass
class Found:
    business_date: date


@dataclass
class Held:
    business_time: datetime


def test_a_page_carries_its_request() -> None:
    page = Page[int].of([1, 2], 7, PageRequest(limit=2, offset=4))

    assert page.model_dump() == {"items": [1, 2], "total": 7, "limit": 2, "offset": 4}


def test_history_shows_a_business_date_or_time_when_the_event_states_one() -> None:
    at = datetime(2026, 3, 1, 9)

    assert business_time_of(Found(date(2026, 2, 27))) == date(2026, 2, 27)
    assert business_time_of(Held(at)) == at
    assert business_time_of(object()) is None


def test_a_hazard_without_deadline_is_neither_overdue_nor_late() -> None:
    today = date(2026, 6, 15)

    assert not is_overdue(HazardStatus.RECTIFICATION_REPORTED, None, None, today)
    assert is_overdue(HazardStatus.RECTIFYING, date(2026, 6, 14), None, today)
    assert not is_overdue(HazardStatus.VERIFIED, date(2026, 6, 1), date(2026, 6, 2), today)
    assert is_on_time(today, None, None)
    assert not is_on_time(today, date(2026, 6, 14), None)


@dataclass
class Recorded:
    occurred_at: datetime
    business_date: date | None = None


def test_a_view_dates_a_fact_by_its_stated_day_else_the_office_day_it_was_recorded() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    evening_utc = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)

    assert business_day(Recorded(evening_utc, date(2026, 3, 10)), shanghai) == date(2026, 3, 10)
    assert business_day(Recorded(evening_utc), shanghai) == date(2026, 7, 1)
