"""Reports over the hazard register: ageing, township by month, the quarterly table.

Every count keys on business dates: a hazard found in March but entered in June counts in
March and in the first quarter, and its age runs from the day it was found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field

from hazards.domain.vocabulary import Grade, HazardStatus, ListingLevel
from hazards.projections.register.queries import RegisterQuery


class AgeingEntry(BaseModel):
    id: UUID
    title: str
    township: str
    village: str
    grade: Grade | None
    status: HazardStatus
    found_on: date = Field(description="业务日期: the day the hazard was found")
    days_open: int = Field(description="Days from found_on to today")
    deadline: date | None
    days_overdue: int | None
    escalation_level: int
    listing_level: ListingLevel | None
    supervising_unit: str | None
    responsible_unit: str | None


@dataclass(frozen=True)
class AgeingFilter:
    township: str | None = None
    grade: Grade | None = None
    escalation_level: int | None = None
    listed: bool | None = None


async def ageing(
    conn: asyncpg.Connection,
    flt: AgeingFilter,
    today: date,
    limit: int,
    offset: int,
) -> tuple[list[AgeingEntry], int]:
    """Open hazards overdue or under supervised listing, the longest overdue first."""
    query = RegisterQuery(today)
    query.open_only()
    query.add("(overdue OR listing_level IS NOT NULL)")
    query.equal("township", flt.township)
    query.equal("grade", flt.grade)
    query.equal("escalation_level", flt.escalation_level)
    query.listed(flt.listed)
    rows, total = await query.fetch(conn, "days_overdue DESC NULLS LAST, id", limit, offset)
    return [AgeingEntry.model_validate(r) for r in rows], total


class TownshipMonth(BaseModel):
    township: str
    month: str
    found: int
    filed: int
    closed: int
    closed_on_time: int
    on_time_rate: float | None
    open_major: int


def _in_month(column: str) -> str:
    return f"h.{column} >= g.first AND h.{column} < g.next"


TOWNSHIP_MONTHS = f"""
WITH months AS (
    SELECT generate_series($1::date, $2::date - 1, interval '1 month')::date AS m
), towns AS (
    SELECT DISTINCT township FROM hazard_register WHERE $3::text IS NULL OR township = $3
), grid AS (
    SELECT t.township, m.m AS first, (m.m + interval '1 month')::date AS next
    FROM towns t CROSS JOIN months m
)
SELECT g.township, to_char(g.first, 'YYYY-MM') AS month,
    count(*) FILTER (WHERE {_in_month("found_on")}) AS found,
    count(*) FILTER (WHERE {_in_month("filed_on")}) AS filed,
    count(*) FILTER (WHERE {_in_month("closed_on")}) AS closed,
    count(*) FILTER (WHERE {_in_month("closed_on")} AND h.on_time) AS closed_on_time,
    round(
        (count(*) FILTER (WHERE {_in_month("closed_on")} AND h.on_time))::numeric
        / NULLIF(count(*) FILTER (WHERE {_in_month("closed_on")}), 0), 4
    )::float AS on_time_rate,
    count(*) FILTER (WHERE h.grade = $4 AND h.filed_on < g.next AND h.status <> $5
                       AND (h.closed_on IS NULL OR h.closed_on >= g.next)) AS open_major
FROM grid g LEFT JOIN hazard_register h ON h.township = g.township
GROUP BY g.township, g.first
ORDER BY g.township, g.first
"""  # noqa: S608


async def township_months(
    conn: asyncpg.Connection, year: int, township: str | None
) -> list[TownshipMonth]:
    """Per township and month of `year`: found, filed, closed, closed on time (and rate), and
    the major hazards still open at the month's end."""
    rows = await conn.fetch(
        TOWNSHIP_MONTHS,
        date(year, 1, 1),
        date(year + 1, 1, 1),
        township,
        Grade.MAJOR.value,
        HazardStatus.REJECTED.value,
    )
    return [TownshipMonth.model_validate(dict(r)) for r in rows]


class QuarterRow(BaseModel):
    township: str
    found: int
    major_found: int
    filed: int
    rejected: int
    closed: int
    closed_on_time: int
    on_time_rate: float | None
    open_at_end: int
    overdue_at_end: int
    listed_at_end: int


#: The label of the quarterly table's total row.
TOTAL = "合计"
_COUNTS = tuple(f for f in QuarterRow.model_fields if f not in ("township", "on_time_rate"))


def on_time_rate(closed_on_time: int, closed: int) -> float | None:
    return round(closed_on_time / closed, 4) if closed else None


def quarter_total(rows: Sequence[QuarterRow]) -> QuarterRow:
    """The 合计 row: every count summed, and the on-time rate of the sums (not a mean of the
    townships' rates, which would weigh a township with one closure like one with fifty)."""
    counts = {field: sum(getattr(row, field) for row in rows) for field in _COUNTS}
    rate = on_time_rate(counts["closed_on_time"], counts["closed"])
    return QuarterRow(township=TOTAL, on_time_rate=rate, **counts)


def _between(column: str) -> str:
    return f"{column} BETWEEN $1 AND $2"


QUARTERLY = f"""
SELECT township,
    count(*) FILTER (WHERE found) AS found,
    count(*) FILTER (WHERE found AND grade = $3) AS major_found,
    count(*) FILTER (WHERE {_between("filed_on")}) AS filed,
    count(*) FILTER (WHERE {_between("rejected_on")}) AS rejected,
    count(*) FILTER (WHERE closed_in) AS closed,
    count(*) FILTER (WHERE closed_in AND on_time) AS closed_on_time,
    round((count(*) FILTER (WHERE closed_in AND on_time))::numeric
          / NULLIF(count(*) FILTER (WHERE closed_in), 0), 4)::float AS on_time_rate,
    count(*) FILTER (WHERE open_at_end) AS open_at_end,
    count(*) FILTER (WHERE open_at_end AND deadline < $2) AS overdue_at_end,
    count(*) FILTER (WHERE open_at_end AND listed_on <= $2) AS listed_at_end
FROM (
    SELECT *,
        {_between("found_on")} AS found,
        {_between("closed_on")} AS closed_in,
        (found_on <= $2
            AND (rejected_on IS NULL OR rejected_on > $2)
            AND (verified_on IS NULL OR verified_on > $2)
            AND (closed_on IS NULL OR closed_on > $2)) AS open_at_end
    FROM hazard_register
) AS h
GROUP BY township
ORDER BY township
"""  # noqa: S608


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


async def quarterly(conn: asyncpg.Connection, year: int, quarter: int) -> list[QuarterRow]:
    """One row per township: what the quarter found, filed, rejected and closed, and what was
    still open, overdue and listed at its end."""
    first, last = quarter_bounds(year, quarter)
    rows = await conn.fetch(QUARTERLY, first, last, Grade.MAJOR.value)
    return [QuarterRow.model_validate(dict(r)) for r in rows]
