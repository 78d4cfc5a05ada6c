"""A report's period: a month (2026-11) or a quarter (2026-Q4), as first and last day."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2]|Q[1-4])$"
_PERIOD = re.compile(PATTERN)


@dataclass(frozen=True)
class Period:
    label: str
    first: date
    last: date

    @property
    def months(self) -> list[str]:
        """The period's months as YYYY-MM, the form a warning's month takes."""
        return [f"{self.first.year}-{m:02d}" for m in range(self.first.month, self.last.month + 1)]

    @property
    def is_quarter(self) -> bool:
        return "Q" in self.label


def parse_period(text: str) -> Period:
    found = _PERIOD.match(text)
    if found is None:
        raise ValueError(f"a period is YYYY-MM or YYYY-Qn, not {text!r}")
    year, part = int(found.group(1)), found.group(2)
    if part.startswith("Q"):
        first_month = 3 * (int(part[1]) - 1) + 1
        last_month = first_month + 2
    else:
        first_month = last_month = int(part)
    last_day = calendar.monthrange(year, last_month)[1]
    return Period(text, date(year, first_month, 1), date(year, last_month, last_day))
