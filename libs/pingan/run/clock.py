"""Where a service gets the time: the system clock in production, one the tests set."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from pingan.run.settings import OFFICE_TIMEZONE


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    """Dates are the office's local dates (deadlines are kept in local days)."""

    def __init__(self, timezone: str = OFFICE_TIMEZONE) -> None:
        self.zone = ZoneInfo(timezone)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(self.zone).date()


class FixedClock:
    """A clock that stands still until moved."""

    def __init__(self, moment: datetime, timezone: str = OFFICE_TIMEZONE) -> None:
        self.moment = moment
        self.zone = ZoneInfo(timezone)

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.astimezone(self.zone).date()

    def set(self, moment: datetime) -> None:
        self.moment = moment
