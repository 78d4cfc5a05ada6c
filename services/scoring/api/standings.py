"""Routes of the standings (排名/评比), the league tables of units, and the monthly and
quarterly reports (JSON, CSV and a printable HTML page), read from the standings view."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from pingan.api import documents
from pingan.api.deps import After, MinPosition, WaitSeconds
from pingan.api.i18n import Language, negotiate
from pingan.auth.actions import Action as A
from pingan.auth.rules import Grant, requires
from pingan.consume.consistency import ReadAfter
from scoring.api.deps import ScoringRuntime, Today
from scoring.domain.kinds import UnitKind
from scoring.domain.period import PATTERN, Period, parse_period
from scoring.domain.standing import Figures, Standing, Term, Weights, ranked, standing, total
from scoring.projections import standings as view
from scoring.projections.standings import (
    LeagueEntry,
    NamedEntry,
    ReinspectionEntry,
    RevokedEntry,
)
from scoring.settings import standing_weights

router = APIRouter(tags=["standings"])
reports = APIRouter(prefix="/reports", tags=["reports"])
VIEW = "standings"
DISTRICT = "全区"

TERMS = {
    Term.NAMED: ("命名率", "share of units named"),
    Term.SCORE: ("平均考评得分", "average assessment score"),
    Term.SECURITY: ("群众安全感", "sense of security"),
    Term.HAZARDS: ("隐患按期整改率", "hazards closed on time"),
    Term.CLEARANCE: ("刑事案件破案率", "criminal case clearance"),
    Term.REVOCATIONS: ("摘牌数", "titles revoked"),
    Term.WARNINGS: ("预警数", "early warnings"),
}

PeriodQuery = Annotated[
    str,
    Query(pattern=PATTERN, description="A month (2026-11) or a quarter (2026-Q4)"),
]
Month = Annotated[str, Query(pattern=r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$", description="YYYY-MM")]
QuarterQuery = Annotated[
    str, Query(pattern=r"^(20[0-9]{2}|2100)-Q[1-4]$", description="YYYY-Qn, e.g. 2026-Q4")
]
AcceptLanguage = Annotated[str | None, Header(description="en for English CSV heads")]
Weighting = Annotated[Weights, Depends(standing_weights)]


class TermView(BaseModel):
    term: Term
    label: str = Field(description="The term's Chinese name")
    figure: float | None = Field(
        description="A rate (0-1; null when there was nothing to measure) or, for a "
        "deduction, a count"
    )
    weight: float = Field(description="STANDING_WEIGHT_<TERM>")
    share: float | None = Field(
        description="The rate's weight over the weights of the rates that apply"
    )
    contribution: float = Field(description="Points: 100 × share × rate, or −weight × count")


class FiguresView(BaseModel):
    units: int = Field(description="Creation units registered by the period's end")
    named: int = Field(description="Of them holding a title at the period's end")
    assessed: int = Field(description="Units assessed by the period's end (latest assessment)")
    average_score: float | None
    surveyed: int = Field(description="Assessed units with a household survey")
    security: float | None = Field(description="Average share of households that feel safe")
    revocations: int = Field(description="Titles revoked in the period and not restored")
    hazards_due: int = Field(description="Hazards whose deadline fell in the period")
    hazards_on_time: int = Field(description="Of them closed on time")
    cases_registered: int = Field(description="Criminal cases registered in the period")
    cases_solved: int = Field(description="Of them solved by the period's end")
    warnings: int = Field(description="Early warnings raised for the period's months")


class StandingView(BaseModel):
    township: str = Field(description="The township (乡镇/街道), or 全区")
    rank: int | None
    points: float
    figures: FiguresView
    terms: list[TermView]


class Standings(BaseModel):
    period: str
    first: date
    last: date
    townships: list[StandingView] = Field(description="Ranked, the highest points first")
    district: StandingView


def _figures(f: Figures) -> FiguresView:
    return FiguresView(
        units=f.units,
        named=f.named,
        assessed=f.assessed,
        average_score=f.average_score,
        surveyed=f.surveyed,
        security=f.rate(Term.SECURITY),
        revocations=f.revocations,
        hazards_due=f.hazards_due,
        hazards_on_time=f.hazards_on_time,
        cases_registered=f.cases_registered,
        cases_solved=f.cases_solved,
        warnings=f.warnings,
    )


def _view(s: Standing) -> StandingView:
    return StandingView(
        township=s.place,
        rank=s.rank,
        points=s.points,
        figures=_figures(s.figures),
        terms=[
            TermView(
                term=t.term,
                label=TERMS[t.term][0],
                figure=t.figure,
                weight=t.weight,
                share=t.share,
                contribution=round(t.contribution, 2),
            )
            for t in s.terms
        ],
    )


async def _standings(runtime: ScoringRuntime, period: Period, weights: Weights) -> Standings:
    async with runtime.pool.acquire() as conn:
        found = await view.figures(conn, period)
    townships = {place: f for place, f in found.items() if place not in (None, DISTRICT)}
    district = standing(DISTRICT, total(found.values()), weights)
    return Standings(
        period=period.label,
        first=period.first,
        last=period.last,
        townships=[
            _view(s) for s in ranked([standing(p, f, weights) for p, f in townships.items()])
        ],
        district=_view(district),
    )


@router.get("/standings")
async def standings(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: ScoringRuntime,
    after: After,
    weights: Weighting,
    period: PeriodQuery,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Standings:
    """The townships ranked for a month or a quarter, each with how its points were
    computed, and the district's total."""
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    return await _standings(runtime, parse_period(period), weights)


@router.get("/league")
async def league(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: ScoringRuntime,
    after: After,
    kind: UnitKind | None = None,
    township: Annotated[str | None, Query(max_length=200)] = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> list[LeagueEntry]:
    """League tables of units (评比): per kind, by their latest assessment's points, with the
    title and level they hold."""
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    async with runtime.pool.acquire() as conn:
        return await view.league(conn, kind.value if kind else None, township)


class Report(BaseModel):
    period: str
    township: str | None = Field(description="The one township reported on, or none: all")
    named: list[NamedEntry] = Field(description="Titles conferred (命名) or given back")
    revoked: list[RevokedEntry] = Field(description="Titles revoked (摘牌), with their causes")
    reinspections_due: list[ReinspectionEntry] = Field(
        description="Re-inspections (复查) due by the period's end, overdue ones marked"
    )
    standings: Standings


async def _report(
    runtime: ScoringRuntime,
    grant: Grant,
    weights: Weights,
    label: str,
    today: date,
    read: tuple[int | None, float | None, list[ReadAfter]],
) -> Report:
    """The period's report, once the view has reached what the reader asked to see."""
    min_position, wait, after = read
    await runtime.wait_for(VIEW, min_position, wait, after=after)
    period = parse_period(label)
    township = grant.township_filter(None)
    async with runtime.pool.acquire() as conn:
        named = await view.named_in(conn, period, township)
        revoked = await view.revoked_in(conn, period, township)
        due = await view.reinspections(conn, period, today, township)
    return Report(
        period=label,
        township=township,
        named=named,
        revoked=revoked,
        reinspections_due=due,
        standings=await _standings(runtime, period, weights),
    )


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def standing_columns(language: Language) -> list[documents.Column]:
    def term(t: Term) -> Any:
        return lambda s: next(x.contribution for x in s.terms if x.term is t)

    def f(name: str) -> Any:
        return lambda s: getattr(s.figures, name)

    columns: list[documents.Column] = [
        ("名次", "rank", lambda s: s.rank if s.rank is not None else ""),
        ("乡镇(街道)", "township", lambda s: s.township),
        ("得分", "points", lambda s: s.points),
        ("创建单位数", "units", f("units")),
        ("命名单位数", "units named", f("named")),
        ("平均考评得分", "average score", lambda s: _round(s.figures.average_score)),
        ("群众安全感", "sense of security", lambda s: _rate(s.figures.security)),
        ("摘牌数", "titles revoked", f("revocations")),
        ("到期隐患数", "hazards due", f("hazards_due")),
        ("按期整改数", "closed on time", f("hazards_on_time")),
        ("刑事立案数", "criminal cases", f("cases_registered")),
        ("破案数", "solved", f("cases_solved")),
        ("预警数", "warnings", f("warnings")),
    ]
    columns += [(f"{zh}得分", f"{en} points", term(t)) for t, (zh, en) in TERMS.items()]
    return columns


def _round(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _rows(report: Report) -> list[StandingView]:
    return [*report.standings.townships, report.standings.district]


def _title(report: Report) -> str:
    label = report.period
    year, part = label.split("-")
    when = f"第{part[1]}季度" if part.startswith("Q") else f"{int(part)}月"
    return f"{report.township or '秦州区'}{year}年{when}平安创建评比报告"


def _list(columns: list[documents.Column], rows: list[Any], empty: str) -> str:
    if not rows:
        return f"<p>{empty}</p>"
    return documents.table_html(columns, rows, names=len(columns))


def report_html(report: Report, weights: Weights) -> str:
    standings_table = documents.table_html(
        standing_columns("zh-CN"), _rows(report), names=2, total=lambda s: s.rank is None
    )
    weights_note = "；".join(f"{TERMS[t][0]} {weights.of(t)}" for t in TERMS)
    named = _list(
        [
            ("单位", "", lambda r: r.name),
            ("乡镇(街道)", "", lambda r: r.township or "全区"),
            ("称号", "", lambda r: r.title),
            ("等级", "", lambda r: r.level),
            ("日期", "", lambda r: r.held_from),
            ("方式", "", lambda r: "恢复" if r.restored else "命名"),
        ],
        report.named,
        "本期无命名。",
    )
    revoked = _list(
        [
            ("单位", "", lambda r: r.name),
            ("乡镇(街道)", "", lambda r: r.township or "全区"),
            ("称号", "", lambda r: r.title),
            ("摘牌日期", "", lambda r: r.revoked_on),
            ("原因", "", lambda r: r.cause or r.revocation),
            ("说明", "", lambda r: r.reason),
            ("关联案件/事故", "", lambda r: r.upstream_id or ""),
            ("已恢复", "", lambda r: r.restored_on or ""),
        ],
        report.revoked,
        "本期无摘牌。",
    )
    due = _list(
        [
            ("单位", "", lambda r: r.name),
            ("乡镇(街道)", "", lambda r: r.township or "全区"),
            ("称号", "", lambda r: r.title),
            ("复查期限", "", lambda r: r.reinspection_due),
            ("状态", "", lambda r: "逾期" if r.overdue else "待复查"),
        ],
        report.reinspections_due,
        "本期无待复查单位。",
    )
    body = (
        "<h2>一、乡镇(街道)评比排名</h2>"
        + standings_table
        + f'<p class="note">说明：得分 = 100 × Σ(权重占比 × 比率) − Σ(权重 × 扣分项数)；'
        f"无可计比率不计入，其权重由其余比率分担。权重：{weights_note}。</p>"
        + "<h2>二、命名情况</h2>"
        + named
        + "<h2>三、摘牌情况</h2>"
        + revoked
        + "<h2>四、复查情况</h2>"
        + due
    )
    return documents.page(_title(report), body)


def report_csv(report: Report, language: Language) -> str:
    return documents.table_csv(standing_columns(language), _rows(report), language)


@reports.get("/monthly")
async def monthly(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: ScoringRuntime,
    after: After,
    weights: Weighting,
    today: Today,
    month: Month,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Report:
    """The month's report: titles named and revoked (with causes), re-inspections due and
    overdue, and the standings."""
    return await _report(runtime, grant, weights, month, today, (min_position, wait, after))


def _csv(found: Report, language: Language) -> Response:
    return documents.csv_response(
        report_csv(found, language), f"standings-{found.period}.csv", language
    )


@reports.get("/monthly.csv", response_class=Response)
async def monthly_csv(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: ScoringRuntime,
    after: After,
    weights: Weighting,
    today: Today,
    month: Month,
    accept_language: AcceptLanguage = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Response:
    """The month's standings table as CSV (UTF-8 with BOM; Chinese heads, English with
    Accept-Language: en), with its 全区 row."""
    found = await _report(runtime, grant, weights, month, today, (min_position, wait, after))
    return _csv(found, negotiate(accept_language))


@reports.get("/monthly.html", response_class=HTMLResponse)
async def monthly_html(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: ScoringRuntime,
    after: After,
    weights: Weighting,
    today: Today,
    month: Month,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> HTMLResponse:
    """The month's report as a printable page."""
    found = await _report(runtime, grant, weights, month, today, (min_position, wait, after))
    return HTMLResponse(report_html(found, weights))


@reports.get("/quarterly")
async def quarterly(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: ScoringRuntime,
    after: After,
    weights: Weighting,
    today: Today,
    quarter: QuarterQuery,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Report:
    """The quarter's report: as the monthly one, over the quarter's three months."""
    return await _report(runtime, grant, weights, quarter, today, (min_position, wait, after))


@reports.get("/quarterly.csv", response_class=Response)
async def quarterly_csv(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: ScoringRuntime,
    after: After,
    weights: Weighting,
    today: Today,
    quarter: QuarterQuery,
    accept_language: AcceptLanguage = None,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> Response:
    """The quarter's standings table as CSV (UTF-8 with BOM, Chinese heads), with 全区."""
    found = await _report(runtime, grant, weights, quarter, today, (min_position, wait, after))
    return _csv(found, negotiate(accept_language))


@reports.get("/quarterly.html", response_class=HTMLResponse)
async def quarterly_html(
    grant: Annotated[Grant, requires(A.SCORING_READ)],
    runtime: ScoringRuntime,
    after: After,
    weights: Weighting,
    today: Today,
    quarter: QuarterQuery,
    min_position: MinPosition = None,
    wait: WaitSeconds = None,
) -> HTMLResponse:
    """The quarter's report as a printable page."""
    found = await _report(runtime, grant, weights, quarter, today, (min_position, wait, after))
    return HTMLResponse(report_html(found, weights))
