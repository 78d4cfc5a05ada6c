"""Reports over the hazard register: ageing, township by month, the quarterly table."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from hazards.api.deps import Today
from hazards.api.register import Filter, select
from hazards.domain.vocabulary import Grade, HazardStatus, ListingLevel
from pingan.api.deps import MinPosition, Runtime, WaitSeconds

router = APIRouter(prefix="/reports", tags=["reports"])
VIEW = "hazard_register"
LOCAL = "AT TIME ZONE 'Asia/Shanghai'"


class AgeingEntry(BaseModel):
    id: UUID
    title: str
    township: str
    village: str
    grade: Grade | None
    status: HazardStatus
    deadline: date | None
    days_overdue: int | None
    escalation_level: int
    listing_level: ListingLevel | None
    supervising_unit: str | None
    responsible_unit: str | None


class AgeingPage(BaseModel):
    items: list[AgeingEntry]
    total: int
    limit: int
    offset: int


@router.get("/ageing")
async def ageing(
    runtime: Runtime,
    today: Today,
    township: Annotated[str | None, Query(max_length=200)] = None,
    grade: Grade | None = None,
    escalation_level: Annotated[int | None, Query(ge=0, le=3)] = None,
    listed: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> AgeingPage:
    """Overdue and supervised-listed hazards still open, the longest overdue first, with the
    escalation each has reached."""
    await runtime.wait_for(VIEW, min_position, wait)
    flt = Filter(today)
    flt.add("status NOT IN ('verified', 'closed', 'rejected')")
    flt.add("(overdue OR listing_level IS NOT NULL)")
    flt.equal("township", township)
    flt.equal("grade", grade)
    flt.equal("escalation_level", escalation_level)
    if listed is not None:
        flt.add(f"listing_level IS {'NOT ' if listed else ''}NULL")
    async with runtime.pool.acquire() as conn:
        rows, total = await select(conn, flt, "days_overdue DESC NULLS LAST, id", limit, offset)
    items = [AgeingEntry.model_validate(r) for r in rows]
    return AgeingPage(items=items, total=total, limit=limit, offset=offset)


class TownshipMonth(BaseModel):
    township: str
    month: str
    found: int
    filed: int
    closed: int
    closed_on_time: int
    on_time_rate: float | None
    open_major: int


@router.get("/township-months")
async def township_months(
    runtime: Runtime,
    year: Annotated[int, Query(ge=2000, le=2100)],
    township: Annotated[str | None, Query(max_length=200)] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> list[TownshipMonth]:
    """Per township and month: found, filed, closed, closed on time (and rate), and the major
    hazards still open at the month's end."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        rows = await conn.fetch(TOWNSHIP_MONTHS, date(year, 1, 1), date(year + 1, 1, 1), township)
    return [TownshipMonth.model_validate(dict(r)) for r in rows]


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
    count(*) FILTER (WHERE (h.reported_at {LOCAL})::date >= g.first
                       AND (h.reported_at {LOCAL})::date < g.next) AS found,
    count(*) FILTER (WHERE (h.filed_at {LOCAL})::date >= g.first
                       AND (h.filed_at {LOCAL})::date < g.next) AS filed,
    count(*) FILTER (WHERE (h.closed_at {LOCAL})::date >= g.first
                       AND (h.closed_at {LOCAL})::date < g.next) AS closed,
    count(*) FILTER (WHERE (h.closed_at {LOCAL})::date >= g.first
                       AND (h.closed_at {LOCAL})::date < g.next AND h.on_time) AS closed_on_time,
    round(
        (count(*) FILTER (WHERE (h.closed_at {LOCAL})::date >= g.first
                            AND (h.closed_at {LOCAL})::date < g.next AND h.on_time))::numeric
        / NULLIF(count(*) FILTER (WHERE (h.closed_at {LOCAL})::date >= g.first
                                    AND (h.closed_at {LOCAL})::date < g.next), 0), 4
    )::float AS on_time_rate,
    count(*) FILTER (WHERE h.grade = 'major' AND (h.filed_at {LOCAL})::date < g.next
                       AND h.status <> 'rejected'
                       AND (h.closed_at IS NULL OR (h.closed_at {LOCAL})::date >= g.next))
        AS open_major
FROM grid g LEFT JOIN hazard_register h ON h.township = g.township
GROUP BY g.township, g.first
ORDER BY g.township, g.first
"""  # noqa: S608

QUARTERLY_COLUMNS = (
    ("township", "乡镇(街道)"),
    ("found", "排查隐患数"),
    ("major_found", "其中重大隐患"),
    ("filed", "建档数"),
    ("rejected", "核销(不予立案)数"),
    ("closed", "整改销号数"),
    ("closed_on_time", "按期整改数"),
    ("on_time_rate", "按期整改率"),
    ("open_at_end", "期末未整改数"),
    ("overdue_at_end", "期末逾期数"),
    ("listed_at_end", "期末挂牌督办数"),
)


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


QUARTERLY = f"""
SELECT township,
    count(*) FILTER (WHERE found) AS found,
    count(*) FILTER (WHERE found AND grade = 'major') AS major_found,
    count(*) FILTER (WHERE (filed_at {LOCAL})::date BETWEEN $1 AND $2) AS filed,
    count(*) FILTER (WHERE (rejected_at {LOCAL})::date BETWEEN $1 AND $2) AS rejected,
    count(*) FILTER (WHERE closed_in) AS closed,
    count(*) FILTER (WHERE closed_in AND on_time) AS closed_on_time,
    round((count(*) FILTER (WHERE closed_in AND on_time))::numeric
          / NULLIF(count(*) FILTER (WHERE closed_in), 0), 4)::float AS on_time_rate,
    count(*) FILTER (WHERE open_at_end) AS open_at_end,
    count(*) FILTER (WHERE open_at_end AND deadline < $2) AS overdue_at_end,
    count(*) FILTER (WHERE open_at_end AND listing_level IS NOT NULL) AS listed_at_end
FROM (
    SELECT *,
        (reported_at {LOCAL})::date BETWEEN $1 AND $2 AS found,
        (closed_at {LOCAL})::date BETWEEN $1 AND $2 AS closed_in,
        ((reported_at {LOCAL})::date <= $2
            AND (rejected_at IS NULL OR (rejected_at {LOCAL})::date > $2)
            AND (verified_on IS NULL OR verified_on > $2)
            AND (closed_at IS NULL OR (closed_at {LOCAL})::date > $2)) AS open_at_end
    FROM hazard_register
) AS h
GROUP BY township
ORDER BY township
"""  # noqa: S608


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


async def quarter_rows(runtime: Any, year: int, quarter: int) -> list[QuarterRow]:
    first, last = quarter_bounds(year, quarter)
    async with runtime.pool.acquire() as conn:
        rows = await conn.fetch(QUARTERLY, first, last)
    return [QuarterRow.model_validate(dict(r)) for r in rows]


def cell(value: object) -> str:
    """A CSV cell; text a spreadsheet would take for a formula is quoted with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if isinstance(value, str) and text[:1] in ("=", "+", "-", "@") else text


Year = Annotated[int, Query(ge=2000, le=2100)]
Quarter = Annotated[int, Query(ge=1, le=4)]


@router.get("/quarterly")
async def quarterly(
    runtime: Runtime,
    year: Year,
    quarter: Quarter,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> list[QuarterRow]:
    """The quarterly hazard statistics table, one row per township."""
    await runtime.wait_for(VIEW, min_position, wait)
    return await quarter_rows(runtime, year, quarter)


@router.get("/quarterly.csv", response_class=Response)
async def quarterly_csv(
    runtime: Runtime,
    year: Year,
    quarter: Quarter,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Response:
    """The quarterly table as the units file it: CSV (UTF-8 with BOM, for spreadsheet programs)."""
    await runtime.wait_for(VIEW, min_position, wait)
    rows = await quarter_rows(runtime, year, quarter)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in QUARTERLY_COLUMNS])
    for row in rows:
        values = row.model_dump()
        writer.writerow([cell(values[key]) for key, _ in QUARTERLY_COLUMNS])
    filename = f"hazards-{year}-Q{quarter}.csv"
    return Response(
        content="\ufeff" + buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
