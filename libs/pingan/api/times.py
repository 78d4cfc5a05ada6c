"""Times over HTTP are the office's times: a time given without a zone is read in the office's
zone (the `TIMEZONE` setting, Asia/Shanghai by default), and every time answered carries the
office's offset (`2026-05-18T14:30:00+08:00`). A time with its own offset or `Z` keeps its
instant and is answered in office time.

One office per process: the runtime sets the zone from its settings when it starts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, PlainSerializer

from pingan.run.settings import OFFICE_TIMEZONE

_office = {"zone": ZoneInfo(OFFICE_TIMEZONE)}


def use_office_zone(name: str) -> None:
    """Read and answer times in this IANA zone from now on."""
    _office["zone"] = ZoneInfo(name)


def office_zone() -> ZoneInfo:
    return _office["zone"]


def in_office_time(moment: datetime) -> datetime:
    """The same instant in office time; a time without a zone is taken as office time."""
    zone = office_zone()
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=zone)
    try:
        return moment.astimezone(zone)
    except OverflowError:
        raise ValueError("the time lies outside the years a date can hold") from None


#: A date and time read and answered in office time.
OfficeDateTime = Annotated[
    datetime,
    AfterValidator(in_office_time),
    PlainSerializer(in_office_time, return_type=datetime),
]
