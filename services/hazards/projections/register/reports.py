"""Reports over the hazard register: ageing, township by month, the quarterly table.

Every count keys on business dates: a hazard found in March but entered in June counts in
March and in the first quarter, and its age runs from the day it was found.

The quarterly table answers in two ways. Live (`recorded_by` None), it counts every fact known
now by its business date, so a ledger brought in later changes a past quarter. As of a time
(`recorded_by`, for "as of its end" the end of the quarter's last day in office time), it
counts only the facts recorded by then, each still by its business date: a fact dated inside
the quarter but recorded after its end (backdated) is left out, so the quarter as of its end
never changes. "At the end" states (open, overdue, listed) read the deadline and the listing
in force on the last day from the register's histories, not the current ones: a deadline
extended after the quarter, or a listing lifted since, does not rewrite it. Closures count as
on time by `status_rules.is_on_time` (against the first deadline missed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg
from pydantic import BaseModel, Field

from hazards.domain.vocabulary import Grade, HazardStatus, ListingLevel
from hazards.projections.register.queries import RegisterQuery, on_time_sql
from hazards.projections.register.view import EXTENDED, LIFTED, PLANNED


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


#: On time by `status_rules.is_on_time`, against the first deadline missed.
_ON_TIME_H = on_time_sql("h.verified_on", "h.deadline", "h.missed_deadline")

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
    count(*) FILTER (WHERE {_in_month("closed_on")} AND {_ON_TIME_H}) AS closed_on_time,
    round(
        (count(*) FILTER (WHERE {_in_month("closed_on")} AND {_ON_TIME_H}))::numeric
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


def _known(column: str) -> str:
    """The fact was recorded by the cutoff ($4; none: everything recorded)."""
    return f"($4::timestamptz IS NULL OR {column} <= $4)"


def _dated_known(day: str, recorded: str) -> str:
    """A dated fact known at the quarter's end: dated by its last day, recorded by the cutoff."""
    return f"({day} IS NOT NULL AND {day} <= $2 AND {_known(recorded)})"


ON_TIME = on_time_sql("verified_on", "deadline", "missed_deadline")

QUARTERLY = f"""
SELECT township,
    count(*) FILTER (WHERE found) AS found,
    count(*) FILTER (WHERE found AND grade = $3) AS major_found,
    count(*) FILTER (WHERE {_between("filed_on")} AND {_known("filed_at")}) AS filed,
    count(*) FILTER (WHERE {_between("rejected_on")} AND {_known("rejected_at")}) AS rejected,
    count(*) FILTER (WHERE closed_in) AS closed,
    count(*) FILTER (WHERE closed_in AND {ON_TIME}) AS closed_on_time,
    round((count(*) FILTER (WHERE closed_in AND {ON_TIME}))::numeric
          / NULLIF(count(*) FILTER (WHERE closed_in), 0), 4)::float AS on_time_rate,
    count(*) FILTER (WHERE open_at_end) AS open_at_end,
    count(*) FILTER (WHERE open_at_end AND deadline_at_end < $2) AS overdue_at_end,
    count(*) FILTER (WHERE open_at_end AND listing_at_end IS NOT NULL
                       AND listing_at_end <> '{LIFTED}') AS listed_at_end
FROM (
    SELECT r.*,
        {_between("found_on")} AS found,
        {_between("closed_on")} AND {_known("closed_at")} AS closed_in,
        (found_on <= $2
            AND NOT {_dated_known("rejected_on", "rejected_at")}
            AND NOT {_dated_known("verified_on", "verified_at")}
            AND NOT {_dated_known("closed_on", "closed_at")}) AS open_at_end,
        (SELECT d.deadline FROM hazard_deadline_history d
            WHERE d.hazard_id = r.id AND d.fact IN ('{PLANNED}', '{EXTENDED}')
              AND {_dated_known("d.dated_on", "d.recorded_at")}
            ORDER BY d.position DESC LIMIT 1) AS deadline_at_end,
        (SELECT l.act FROM hazard_listing_history l
            WHERE l.hazard_id = r.id AND {_dated_known("l.dated_on", "l.recorded_at")}
            ORDER BY l.position DESC LIMIT 1) AS listing_at_end
    FROM hazard_register r
    WHERE {_known("r.reported_at")}
) AS h
GROUP BY township
ORDER BY township
"""  # noqa: S608


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def quarter_end(year: int, quarter: int, zone: ZoneInfo) -> datetime:
    """The end of the quarter's last day in the office's time: the cutoff of "as of its end"."""
    _, last = quarter_bounds(year, quarter)
    return datetime.combine(last + timedelta(days=1), time(), tzinfo=zone)


async def quarterly(
    conn: asyncpg.Connection, year: int, quarter: int, recorded_by: datetime | None = None
) -> list[QuarterRow]:
    """One row per township: what the quarter found, filed, rejected and closed, and what was
    still open, overdue and listed at its end; with `recorded_by`, of the facts recorded by
    then only."""
    first, last = quarter_bounds(year, quarter)
    rows = await conn.fetch(QUARTERLY, first, last, Grade.MAJOR.value, recorded_by)
    return [QuarterRow.model_validate(dict(r)) for r in rows]
