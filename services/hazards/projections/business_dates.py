"""Business dates in the views: the date a fact happened as the user stated it, kept beside
the time it was recorded, so that counts, months, quarters and ages follow the facts and not
the moment they were entered."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from pingan.consume.views import Projection


class Dated(Protocol):
    @property
    def occurred_at(self) -> datetime: ...

    @property
    def business_date(self) -> date | None: ...


def business_day(event: Dated, zone: ZoneInfo) -> date:
    """The stated business date, else the office's calendar date of the recording time: a
    fact the system records itself (an overdue mark) or one recorded before facts were dated
    carries none."""
    if event.business_date is not None:
        return event.business_date
    return event.occurred_at.astimezone(zone).date()


class DatedView(Projection):
    """A view that keeps business dates, counting undated facts in the office's time zone."""

    def day(self, event: Dated) -> date:
        return business_day(event, self.zone)
