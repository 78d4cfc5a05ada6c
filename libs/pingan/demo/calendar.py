"""Business dates of the demo, relative to the day it runs in the office's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

OFFICE_ZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Calendar:
    today: date

    @classmethod
    def now(cls, zone: ZoneInfo = OFFICE_ZONE) -> Calendar:
        return cls(datetime.now(zone).date())

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def clamp(self, day: date) -> date:
        return min(day, self.today)

    def month_start(self, months_back: int) -> date:
        """The first day of the month `months_back` before this one (0: this month)."""
        index = self.today.year * 12 + self.today.month - 1 - months_back
        return date(index // 12, index % 12 + 1, 1)

    def month_end(self, months_back: int) -> date:
        following = self.month_start(months_back - 1) if months_back > 0 else None
        last = (following - timedelta(days=1)) if following else self.today
        return min(last, self.today)

    @staticmethod
    def at(day: date, hour: int, minute: int = 0) -> str:
        """An office time on that day, with its offset."""
        return datetime.combine(day, time(hour, minute), OFFICE_ZONE).isoformat()
