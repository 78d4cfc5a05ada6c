"""Reports over the hazard register: ageing, township by month, the quarterly table (live, as
of the quarter's end, and as issued)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field

from hazards.api.deps import HazardsApp, Today
from hazards.api.schemas import IssueQuarterlyReport
from hazards.domain.vocabulary import Grade
from hazards.projections.register import reports
from hazards.projections.register.reports import AgeingEntry, QuarterRow, TownshipMonth
from pingan.api.accepted import Accepted
from pingan.api.deps import CommandMeta, MinPosition, Runtime, WaitSeconds
from pingan.api.documents import BOM, cell
from pingan.api.pagination import Page, PageParams
from pingan.api.times import OfficeDateTime
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from pingan.consume.tracking import read_tracking

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


AsOfEnd = Annotated[
    bool,
    Query(
        description="Count only the facts recorded by the end of the quarter's last day (office "
        "time): the quarter as it stood at its end, unchanged by facts backdated into it later"
    ),
]


async def quarter_rows(
    runtime: Runtime, grant: Grant, year: int, quarter: int, as_of_end: bool = False
) -> list[QuarterRow]:
    """The table's rows of the townships the caller may read."""
    zone = ZoneInfo(runtime.settings.timezone)
    cutoff = reports.quarter_end(year, quarter, zone) if as_of_end else None
    async with runtime.pool.acquire() as conn:
        rows = await reports.quarterly(conn, year, quarter, cutoff)
    return [row for row in rows if grant.covers(row.township)]


def percent(rate: float | None) -> str:
    """A rate as the office writes it in a table: 87.5%."""
    return "" if rate is None else f"{rate * 100:.1f}%"


Year = Annotated[int, Query(ge=2000, le=2100)]
Quarter = Annotated[int, Query(ge=1, le=4)]


@router.get("/quarterly")
async def quarterly(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    year: Year,
    quarter: Quarter,
    as_of_end: AsOfEnd = False,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> list[QuarterRow]:
    """The quarterly hazard statistics table, one row per township, by business date."""
    await runtime.wait_for(VIEW, min_position, wait)
    return await quarter_rows(runtime, grant, year, quarter, as_of_end)


@router.get("/quarterly.csv", response_class=Response)
async def quarterly_csv(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    runtime: Runtime,
    year: Year,
    quarter: Quarter,
    as_of_end: AsOfEnd = False,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Response:
    """The quarterly table as the units file it: CSV (UTF-8 with BOM, for spreadsheet programs),
    with a 合计 row and the on-time rate as a percentage."""
    await runtime.wait_for(VIEW, min_position, wait)
    rows = await quarter_rows(runtime, grant, year, quarter, as_of_end)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in QUARTERLY_COLUMNS])
    for row in [*rows, reports.quarter_total(rows)]:
        values = row.model_dump()
        values["on_time_rate"] = percent(row.on_time_rate)
        writer.writerow([cell(values[key]) for key, _ in QUARTERLY_COLUMNS])
    filename = f"hazards-{year}-Q{quarter}.csv"
    return Response(
        content=BOM + buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


PathYear = Annotated[int, Path(ge=2000, le=2100)]
PathQuarter = Annotated[int, Path(ge=1, le=4)]


@router.post("/quarterly/{year}/{quarter}/issue")
async def issue_quarterly(
    grant: Annotated[Grant, requires(A.HAZARDS_ISSUE_REPORTS)],
    year: PathYear,
    quarter: PathQuarter,
    body: IssueQuarterlyReport,
    runtime: Runtime,
    app: HazardsApp,
    meta: CommandMeta,
    today: Today,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Accepted:
    """Issue the quarter's table as it stands (签发), after the quarter; again, with a reason,
    to reissue it. The figures are the register's at `min_position` or later."""
    await runtime.wait_for(VIEW, min_position, wait)
    async with runtime.pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        rows = await reports.quarterly(conn, year, quarter)
        tracked = await read_tracking(conn, VIEW, runtime.stream)
    recorded = await run_in_threadpool(
        app.issue_quarterly_report,
        year,
        quarter,
        rows=[row.model_dump() for row in rows],
        issued_by=meta.actor_name or meta.actor,
        register_position=tracked.position,
        reason=body.reason,
        today=today,
        metadata=meta,
    )
    # Issues are read from the event store, not from a view: nothing to wait for.
    return Accepted(id=recorded.id, position=0)


class IssuedReport(BaseModel):
    version: int = Field(description="1 for the first issue, counting up with each reissue")
    reissue: bool
    reason: str | None = Field(description="Why it was issued again")
    issued_by: str
    issued_on: date | None = Field(description="业务日期: the day it was issued")
    recorded_at: OfficeDateTime = Field(description="When the issue was recorded")
    register_position: int = Field(description="The register's position the figures were read at")
    rows: list[QuarterRow]
    total: QuarterRow = Field(description="The 合计 row of the rows")


@router.get("/quarterly/{year}/{quarter}/issues")
async def quarterly_issues(
    grant: Annotated[Grant, requires(A.HAZARDS_READ)],
    year: PathYear,
    quarter: PathQuarter,
    app: HazardsApp,
) -> list[IssuedReport]:
    """Every issue of the quarter's table, the figures as issued, the first first."""
    versions = await run_in_threadpool(app.quarterly_issues, year, quarter)
    answers = []
    for issued in versions:
        rows = [QuarterRow.model_validate(r) for r in issued.rows]
        rows = [row for row in rows if grant.covers(row.township)]
        answers.append(
            IssuedReport(
                version=issued.version,
                reissue=issued.reissue,
                reason=issued.reason,
                issued_by=issued.issued_by,
                issued_on=issued.issued_on,
                recorded_at=issued.recorded_at,
                register_position=issued.register_position,
                rows=rows,
                total=reports.quarter_total(rows),
            )
        )
    return answers
