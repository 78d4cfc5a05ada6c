"""Routes of the situation analysis (治安形势月分析) and the quarterly report (季报告), read from
the situation view and the campaign dashboard; JSON, CSV and a printable HTML page each."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import HTMLResponse, Response

from campaigns.api import documents
from campaigns.projections import analysis
from campaigns.projections.analysis import MonthlyAnalysis, QuarterlyReport
from pingan.api.deps import MinPosition, Runtime, WaitSeconds
from pingan.api.i18n import Language, negotiate
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires

situation_router = APIRouter(prefix="/situation", tags=["situation"])
reports_router = APIRouter(prefix="/reports", tags=["reports"])
VIEWS = ("situation", "campaign_dashboard")

Month = Annotated[
    str,
    Query(
        pattern=r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$",
        description="The month analysed, YYYY-MM (cases count in the month of registration)",
    ),
]
TownshipQuery = Annotated[
    str | None,
    Query(
        max_length=200,
        description="One township only; a township officer sees their own township",
    ),
]
KindQuery = Annotated[
    str | None, Query(max_length=60, description="One case kind only (its code, e.g. theft)")
]
Year = Annotated[int, Query(ge=2000, le=2100, description="The report's year")]
Quarter = Annotated[int, Query(ge=1, le=4, description="The quarter, 1 to 4")]
AcceptLanguage = Annotated[str | None, Header(description="en for English CSV heads")]


async def _wait(runtime: Runtime, min_position: int | None, wait: float | None) -> None:
    for name in VIEWS:
        await runtime.wait_for(name, min_position, wait)


async def _monthly(
    runtime: Runtime, grant: Grant, month: str, township: str | None, kind: str | None
) -> MonthlyAnalysis:
    first = date.fromisoformat(f"{month}-01")
    async with runtime.pool.acquire() as conn:
        return await analysis.monthly(conn, first, grant.township_filter(township), kind)


@situation_router.get("/monthly")
async def monthly(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)],
    runtime: Runtime,
    month: Month,
    township: TownshipQuery = None,
    kind: KindQuery = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> MonthlyAnalysis:
    """The month's analysis: counts by township × kind and their totals, each against the
    month before, the same month last year and the year to date, with significance."""
    await _wait(runtime, min_position, wait)
    return await _monthly(runtime, grant, month, township, kind)


@situation_router.get("/monthly.csv", response_class=Response)
async def monthly_csv(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)],
    runtime: Runtime,
    month: Month,
    township: TownshipQuery = None,
    kind: KindQuery = None,
    accept_language: AcceptLanguage = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Response:
    """The month's comparison table as CSV (UTF-8 with BOM; Chinese heads, English with
    Accept-Language: en)."""
    await _wait(runtime, min_position, wait)
    found = await _monthly(runtime, grant, month, township, kind)
    language: Language = negotiate(accept_language)
    return documents.csv_response(
        documents.monthly_csv(found, language), f"situation-{month}.csv", language
    )


@situation_router.get("/monthly.html", response_class=HTMLResponse)
async def monthly_html(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)],
    runtime: Runtime,
    month: Month,
    township: TownshipQuery = None,
    kind: KindQuery = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> HTMLResponse:
    """The month's analysis as a printable page: the comparison tables, the month's warnings
    and the campaigns' progress."""
    await _wait(runtime, min_position, wait)
    found = await _monthly(runtime, grant, month, township, kind)
    return HTMLResponse(documents.monthly_html(found))


async def _quarterly(runtime: Runtime, grant: Grant, year: int, quarter: int) -> QuarterlyReport:
    async with runtime.pool.acquire() as conn:
        return await analysis.quarterly(conn, year, quarter, grant.township_filter(None))


@reports_router.get("/quarterly")
async def quarterly(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)],
    runtime: Runtime,
    year: Year,
    quarter: Quarter,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> QuarterlyReport:
    """The quarterly report: per township, criminal and public-order cases, clearance, 命案
    (current-period clearance and old cases apart), with a 合计 row and the campaigns."""
    await _wait(runtime, min_position, wait)
    return await _quarterly(runtime, grant, year, quarter)


@reports_router.get("/quarterly.csv", response_class=Response)
async def quarterly_csv(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)],
    runtime: Runtime,
    year: Year,
    quarter: Quarter,
    accept_language: AcceptLanguage = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Response:
    """The quarterly table as CSV (UTF-8 with BOM, Chinese heads), with its 合计 row."""
    await _wait(runtime, min_position, wait)
    report = await _quarterly(runtime, grant, year, quarter)
    language: Language = negotiate(accept_language)
    return documents.csv_response(
        documents.quarterly_csv(report, language), f"campaigns-{year}-Q{quarter}.csv", language
    )


@reports_router.get("/quarterly.html", response_class=HTMLResponse)
async def quarterly_html(
    grant: Annotated[Grant, requires(A.CAMPAIGNS_READ)],
    runtime: Runtime,
    year: Year,
    quarter: Quarter,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> HTMLResponse:
    """The quarterly report as a printable page."""
    await _wait(runtime, min_position, wait)
    return HTMLResponse(documents.quarterly_html(await _quarterly(runtime, grant, year, quarter)))
