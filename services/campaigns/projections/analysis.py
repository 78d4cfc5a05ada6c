"""The monthly analysis (月分析) and the quarterly report (季报告), composed from the situation
view's aggregates and the campaign dashboard; no case row is read.

Rows come at four levels: each township × kind cell, each township's total, each kind across
the district, and the district's total; criminal (刑事) and public-order (治安) cases are
never added together, so every total is per category. See `campaigns.domain.comparison` for
the differences, p-values and when a percentage is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

import asyncpg
from pydantic import BaseModel, Field

from campaigns.domain.comparison import Compared, compare
from campaigns.domain.kinds import CaseCategory
from campaigns.projections import dashboard as boards
from campaigns.projections import situation as view
from campaigns.projections.situation import Count, MonthWarning

TOTAL = "合计"


class Level(StrEnum):
    CELL = "cell"  # one township, one kind
    TOWNSHIP = "township"  # a township's total
    KIND = "kind"  # a kind across the district
    DISTRICT = "district"  # the district's total


class Comparison(BaseModel):
    base: int = Field(description="The count compared against")
    difference: int = Field(description="This count minus the base")
    percent: Decimal | None = Field(
        description="The change in per cent; only when the base is 10 or more"
    )
    p_value: float = Field(description="Two-sided conditional binomial (Poisson) p-value")
    sqrt_difference: float = Field(description="2(√count − √base), variance about 2")
    significant: bool = Field(description="p_value < 0.05")


def _comparison(c: Compared) -> Comparison:
    return Comparison(
        base=c.base,
        difference=c.difference,
        percent=c.percent,
        p_value=c.p_value,
        sqrt_difference=c.sqrt_difference,
        significant=c.significant,
    )


class SituationRow(BaseModel):
    level: Level
    township: str | None = Field(description="None at the kind and district levels")
    kind: str | None = Field(description="None at the township and district levels")
    kind_name: str | None
    category: CaseCategory
    registered: int = Field(description="Registered (立案/受理) in the month")
    solved: int = Field(description="Of those, solved by now")
    month_on_month: Comparison = Field(description="环比: against the month before")
    year_on_year: Comparison = Field(description="同比: against the same month last year")
    year_to_date: int = Field(description="累计: January to the month")
    year_to_date_on_last_year: Comparison = Field(
        description="累计同比: against January to the same month last year"
    )


class CampaignProgress(BaseModel):
    id: str
    name: str
    kind_name: str
    status: str
    starts_on: date
    ends_on: date
    registered: int = Field(description="Criminal cases registered in its period")
    solved: int = Field(description="Criminal cases solved in its period (UCR)")
    clearance_rate: Decimal | None
    current_clearance_rate: Decimal | None
    arrests: int
    gangs: int
    targets: list[boards.TargetProgress]


class MonthlyAnalysis(BaseModel):
    month: str = Field(description="YYYY-MM")
    township: str | None
    kind: str | None
    rows: list[SituationRow]
    warnings: list[MonthWarning] = Field(description="The month's early warnings")
    campaigns: list[CampaignProgress] = Field(description="Campaigns running in the month")


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


Key = tuple[Level, str | None, str | None, CaseCategory]


def _keys(c: Count) -> list[Key]:
    return [
        (Level.CELL, c.township, c.kind, c.category),
        (Level.TOWNSHIP, c.township, None, c.category),
        (Level.KIND, None, c.kind, c.category),
        (Level.DISTRICT, None, None, c.category),
    ]


def _sum(counts: Iterable[Count], months: set[date]) -> dict[Key, int]:
    sums: dict[Key, int] = defaultdict(int)
    for c in counts:
        if c.month in months:
            for key in _keys(c):
                sums[key] += c.n
    return sums


_ORDER = {Level.CELL: 0, Level.TOWNSHIP: 1, Level.KIND: 2, Level.DISTRICT: 3}


async def campaigns_between(
    conn: asyncpg.Connection, first: date, last: date
) -> list[CampaignProgress]:
    """The campaigns whose period meets `first`..`last`, with their dashboards' figures."""
    found, _ = await boards.list_campaigns(
        conn, status=None, kind=None, active_on=None, limit=1000, offset=0
    )
    progress = []
    for campaign in found:
        if campaign.ends_on < first or campaign.starts_on > last:
            continue
        board = await boards.dashboard(conn, campaign.id)
        if board is None:
            continue
        progress.append(
            CampaignProgress(
                id=str(campaign.id),
                name=campaign.name,
                kind_name=campaign.kind_name,
                status=campaign.status.value,
                starts_on=campaign.starts_on,
                ends_on=campaign.ends_on,
                registered=board.criminal.registered,
                solved=board.criminal.solved,
                clearance_rate=board.criminal.clearance_rate,
                current_clearance_rate=board.criminal.current_clearance_rate,
                arrests=board.arrests,
                gangs=board.gangs,
                targets=board.targets,
            )
        )
    return sorted(progress, key=lambda p: (p.starts_on, p.name))


async def monthly(
    conn: asyncpg.Connection, month: date, township: str | None, kind: str | None
) -> MonthlyAnalysis:
    previous, last_year = add_months(month, -1), add_months(month, -12)
    ytd = {date(month.year, m, 1) for m in range(1, month.month + 1)}
    ytd_last = {date(month.year - 1, m, 1) for m in range(1, month.month + 1)}
    months = sorted({month, previous, *ytd, *ytd_last})
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        registered = await view.registered_in(conn, months, township, kind)
        solved = await view.solved_of_registered_in(conn, [month], township, kind)
        names = await view.kind_names(conn)
        warnings = await view.warnings_of_month(conn, month, township)
        last = add_months(month, 1).fromordinal(add_months(month, 1).toordinal() - 1)
        campaigns = await campaigns_between(conn, month, last)
    now, before, same = (_sum(registered, {m}) for m in (month, previous, last_year))
    this_ytd, last_ytd = _sum(registered, ytd), _sum(registered, ytd_last)
    solved_now = _sum(solved, {month})
    keys = sorted(
        set(now) | set(before) | set(same) | set(this_ytd) | set(last_ytd),
        key=lambda k: (k[3] != CaseCategory.CRIMINAL, _ORDER[k[0]], k[1] or "", k[2] or ""),
    )

    def get(sums: dict[Key, int], key: Key) -> int:
        return sums.get(key, 0)

    rows = [
        SituationRow(
            level=key[0],
            township=key[1],
            kind=key[2],
            kind_name=names[key[2]].kind_name if key[2] in names else key[2],
            category=key[3],
            registered=get(now, key),
            solved=get(solved_now, key),
            month_on_month=_comparison(compare(get(now, key), get(before, key))),
            year_on_year=_comparison(compare(get(now, key), get(same, key))),
            year_to_date=get(this_ytd, key),
            year_to_date_on_last_year=_comparison(compare(get(this_ytd, key), get(last_ytd, key))),
        )
        for key in keys
    ]
    return MonthlyAnalysis(
        month=month.strftime("%Y-%m"),
        township=township,
        kind=kind,
        rows=rows,
        warnings=warnings,
        campaigns=campaigns,
    )


# ---- the quarterly report ------------------------------------------------------------------

TENTH = Decimal("0.1")


def rate(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else (Decimal(part) * 100 / whole).quantize(TENTH, ROUND_HALF_UP)


class QuarterRow(BaseModel):
    township: str = Field(description="The township, or 合计 for the total row")
    criminal_registered: int = Field(description="刑事案件立案数")
    criminal_registered_last_year: int = Field(description="The same quarter last year")
    criminal_on_last_year: Comparison = Field(description="同比")
    criminal_solved: int = Field(description="破案数: solved in the quarter, whenever registered")
    criminal_current_solved: int = Field(description="Registered and solved in the quarter")
    criminal_clearance_rate: Decimal | None = Field(description="solved / registered, % (UCR)")
    criminal_current_clearance_rate: Decimal | None = Field(description="现行破案率, %")
    public_order_registered: int = Field(description="治安案件受理数")
    public_order_solved: int = Field(description="查结数, in the quarter")
    homicide_registered: int = Field(description="命案发案数")
    homicide_current_solved: int = Field(description="现行命案破案数")
    homicide_current_clearance_rate: Decimal | None = Field(description="现行命案破案率, %")
    homicide_old_solved: int = Field(description="命案积案破案数: registered before the quarter")


class QuarterlyReport(BaseModel):
    year: int
    quarter: int
    rows: list[QuarterRow]
    total: QuarterRow = Field(description="The 合计 row: sums, and the rates of the sums")
    warnings: list[MonthWarning] = Field(description="The quarter's early warnings")
    campaigns: list[CampaignProgress] = Field(description="Campaigns running in the quarter")


def quarter_months(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    return first, add_months(first, 2)


_SUMMED = (
    "criminal_registered",
    "criminal_registered_last_year",
    "criminal_solved",
    "criminal_current_solved",
    "public_order_registered",
    "public_order_solved",
    "homicide_registered",
    "homicide_current_solved",
    "homicide_old_solved",
)


def _quarter_row(township: str, f: dict[str, int]) -> QuarterRow:
    values: dict[str, Any] = {name: f.get(name, 0) for name in _SUMMED}
    return QuarterRow(
        township=township,
        criminal_on_last_year=_comparison(
            compare(values["criminal_registered"], values["criminal_registered_last_year"])
        ),
        criminal_clearance_rate=rate(values["criminal_solved"], values["criminal_registered"]),
        criminal_current_clearance_rate=rate(
            values["criminal_current_solved"], values["criminal_registered"]
        ),
        homicide_current_clearance_rate=rate(
            values["homicide_current_solved"], values["homicide_registered"]
        ),
        **values,
    )


async def quarterly(
    conn: asyncpg.Connection, year: int, quarter: int, township: str | None
) -> QuarterlyReport:
    first, last = quarter_months(year, quarter)
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        registered = await view.registered_between(conn, first, last, township)
        before = await view.registered_between(
            conn, add_months(first, -12), add_months(last, -12), township
        )
        solved = await view.solved_between(conn, first, last, township)
        warnings = [
            w
            for m in range(3)
            for w in await view.warnings_of_month(conn, add_months(first, m), township)
        ]
        end = add_months(last, 1)
        campaigns = await campaigns_between(conn, first, end.fromordinal(end.toordinal() - 1))
    figures: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    criminal = CaseCategory.CRIMINAL
    for c in registered:
        f = figures[c.township]
        f["criminal_registered" if c.category is criminal else "public_order_registered"] += c.n
        if c.homicide:
            f["homicide_registered"] += c.n
    for c in before:
        if c.category is criminal:
            figures[c.township]["criminal_registered_last_year"] += c.n
    for s in solved:
        f = figures[s.township]
        if s.category is criminal:
            f["criminal_solved"] += s.n
            if s.registered_in_period:
                f["criminal_current_solved"] += s.n
        else:
            f["public_order_solved"] += s.n
        if s.homicide:
            f["homicide_current_solved" if s.registered_in_period else "homicide_old_solved"] += s.n
    rows = [_quarter_row(t, figures[t]) for t in sorted(figures)]
    totals = {name: sum(getattr(r, name) for r in rows) for name in _SUMMED}
    return QuarterlyReport(
        year=year,
        quarter=quarter,
        rows=rows,
        total=_quarter_row(TOTAL, totals),
        warnings=warnings,
        campaigns=campaigns,
    )
