"""Reports over the hazard register: ageing, township by month, the quarterly table."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from hazards.api.deps import Today
from hazards.domain.vocabulary import Grade
from hazards.projections.register import reports
from hazards.projections.register.reports import AgeingEntry, QuarterRow, TownshipMonth
from pingan.api.deps import MinPosition, Runtime, WaitSeconds
from pingan.api.pagination import Page, PageParams
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires

router = APIRouter(prefix="/reports", tags=["reports"])
VIEW = "hazard_register"


@router.get("/ageing")
async def ageing(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    today: Today,
    page: PageParams,
    township: Annotated[str | None, Query(max_length=200)] = None,
    grade: Grade | None = None,
    escalation_level: Annotated[int | None, Query(ge=0, le=3)] = None,
    listed: bool | None = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Page[AgeingEntry]:
    """Overdue and supervised-listed hazards still open, the longest overdue first, with the
    escalation each has reached."""
    await runtime.wait_for(VIEW, min_position, wait)
    flt = reports.AgeingFilter(
        township=grant.township_filter(township),
        grade=grade,
        escalation_level=escalation_level,
        listed=listed,
    )
    async with runtime.pool.acquire() as conn:
        items, total = await reports.ageing(conn, flt, today, page.limit, page.offset)
    return Page.of(items, total, page)


@router.get("/township-months")
async def township_months(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    year: Annotated[int, Query(ge=2000, le=2100)],
    township: Annotated[str | None, Query(max_length=200)] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> list[TownshipMonth]:
    """Per township and month of the business dates: found, filed, closed, closed on time (and
    rate), and the major hazards still open at the month's end."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn:
        return await reports.township_months(conn, year, grant.township_filter(township))


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


async def quarter_rows(runtime: Runtime, grant: Grant, year: int, quarter: int) -> list[QuarterRow]:
    """The table's rows of the townships the caller may read."""
    async with runtime.pool.acquire() as conn:
        rows = await reports.quarterly(conn, year, quarter)
    return [row for row in rows if grant.covers(row.township)]


def percent(rate: float | None) -> str:
    """A rate as the office writes it in a table: 87.5%."""
    return "" if rate is None else f"{rate * 100:.1f}%"


def cell(value: object) -> str:
    """A CSV cell; text a spreadsheet would take for a formula is quoted with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if isinstance(value, str) and text[:1] in ("=", "+", "-", "@") else text


Year = Annotated[int, Query(ge=2000, le=2100)]
Quarter = Annotated[int, Query(ge=1, le=4)]


@router.get("/quarterly")
async def quarterly(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    year: Year,
    quarter: Quarter,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> list[QuarterRow]:
    """The quarterly hazard statistics table, one row per township, by business date."""
    await runtime.wait_for(VIEW, min_position, wait)
    return await quarter_rows(runtime, grant, year, quarter)


@router.get("/quarterly.csv", response_class=Response)
async def quarterly_csv(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    year: Year,
    quarter: Quarter,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Response:
    """The quarterly table as the units file it: CSV (UTF-8 with BOM, for spreadsheet programs),
    with a 合计 row and the on-time rate as a percentage."""
    await runtime.wait_for(VIEW, min_position, wait)
    rows = await quarter_rows(runtime, grant, year, quarter)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in QUARTERLY_COLUMNS])
    for row in [*rows, reports.quarter_total(rows)]:
        values = row.model_dump()
        values["on_time_rate"] = percent(row.on_time_rate)
        writer.writerow([cell(values[key]) for key, _ in QUARTERLY_COLUMNS])
    filename = f"hazards-{year}-Q{quarter}.csv"
    return Response(
        content="\ufeff" + buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
