"""Dates a number of months on, as an office counts them (the 31st becomes the month's last)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def months_after(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def days_after(start: date, days: int) -> date:
    return start + timedelta(days=days)
