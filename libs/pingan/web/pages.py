"""The dashboard's pages: each reads through the API as the signed-in user and renders."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from pingan.auth.actions import Action as A
from pingan.auth.rules import TABLE
from pingan.web import crime_warnings, exports, labels, listings, quarterly
from pingan.web.backend import ApiError, Backend, backend
from pingan.web.causes import cause_of
from pingan.web.charts import Series, gauge, line_chart
from pingan.web.forms import Command
from pingan.web.hazard_forms import BY_SLUG, COMMANDS, LOOP, REPORT
from pingan.web.rendering import language_of, render
from pingan.web.session import Session, check_csrf, page_requires
from pingan.web.tilemap import TILES, size, tiles

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, page_requires(A.SIGNED_IN)]
HazardsReader = Annotated[Session, page_requires(A.HAZARDS_READ)]
HazardsReporter = Annotated[Session, page_requires(A.HAZARDS_REPORT)]
CampaignsReader = Annotated[Session, page_requires(A.CAMPAIGNS_READ)]
SituationReader = Annotated[Session, page_requires(A.SITUATION_READ)]
ScoringReader = Annotated[Session, page_requires(A.SCORING_READ)]
#: Every form carries the session's CSRF token; a body without one is a 422 like any field.
Csrf = Annotated[str, Form(max_length=128)]
Format = Annotated[str | None, Query(pattern="^(csv|xlsx)$")]
PAGE = 25


@asynccontextmanager
async def client(request: Request, session: Session) -> AsyncIterator[Backend]:
    correlation = getattr(request.state, "correlation_id", None)
    async with backend(
        request.app.state.api, session.token, language_of(request), correlation
    ) as api:
        yield api


def _running(request: Request, service: str) -> None:
    if service not in request.app.state.services:
        raise ApiError(404, labels.word(labels.UI, "unavailable", language_of(request)), service)


def _zone(request: Request) -> ZoneInfo:
    return ZoneInfo(request.app.state.auth.settings.timezone)


def _may(session: Session, action: A) -> bool:
    return session.principal.role in TABLE[action]


def _today(request: Request) -> date:
    from datetime import datetime

    return datetime.now(_zone(request)).date()


def _quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


# ---- overview -----------------------------------------------------------------------------


@router.get("/")
async def overview(request: Request, session: Signed) -> Response:
    """The district overview: each figure links to its list."""
    services = request.app.state.services
    figures: dict[str, Any] = {}
    today = _today(request)
    quarter = _quarter_start(today)
    async with client(request, session) as api:
        if "hazards" in services and _may(session, A.HAZARDS_READ):
            open_items = await api.all_items("/api/hazards/hazards", {"open": "true"})
            figures["hazards"] = {
                "open": len(open_items),
                "overdue": sum(1 for h in open_items if h.get("overdue")),
                "by_grade": Counter(h.get("grade") or "ungraded" for h in open_items),
                "by_township": sorted(
                    Counter(h["township"] for h in open_items).items(), key=lambda kv: -kv[1]
                ),
                "overdue_by_township": Counter(
                    h["township"] for h in open_items if h.get("overdue")
                ),
            }
        if "campaigns" in services and _may(session, A.CAMPAIGNS_READ):
            warnings = await api.page("/api/campaigns/warnings", {"limit": 200})
            active = [w for w in warnings["items"] if w.get("status") != "closed"]
            campaigns = await api.page("/api/campaigns/campaigns", {"status": "launched"})
            progress = []
            for c in campaigns["items"][:10]:
                board = await api.get(f"/api/campaigns/campaigns/{c['id']}/dashboard")
                progress.append((c, board))
            figures["campaigns"] = {"warnings": active, "progress": progress}
        if "scoring" in services and _may(session, A.SCORING_READ):
            units = await api.all_items("/api/scoring/units", {"status": "named"})
            revoked = await api.all_items("/api/scoring/revocations")
            figures["scoring"] = {
                "named": sum(1 for u in units if (u.get("named_on") or "") >= quarter.isoformat()),
                "revoked": sum(1 for r in revoked if r["revoked_on"] >= quarter.isoformat()),
                "standings": quarterly.own(
                    session,
                    await api.get(
                        "/api/scoring/standings", {"period": quarterly.quarter_of(today)}
                    ),
                ),
            }
    return render(request, "overview.html", session, figures=figures, quarter=quarter, gauge=gauge)


# ---- hazards ------------------------------------------------------------------------------

HAZARD_COLUMNS = (
    ("file_number", "file_number"),
    ("title", "title"),
    ("category", "category"),
    ("grade", "grade"),
    ("status", "status"),
    ("township", "township"),
    ("village", "village"),
    ("deadline", "deadline"),
    ("overdue", "overdue"),
)
SORTS = {"deadline", "township", "status", "grade", "found_on", "title"}


@router.get("/hazards")
async def hazards_register(
    request: Request,
    session: HazardsReader,
    status: str | None = None,
    category: str | None = None,
    grade: str | None = None,
    township: str | None = None,
    overdue: bool | None = None,
    open: bool = False,
    sort: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    format: Format = None,
) -> Response:
    """The hazard register: filters, the register's own order (overdue first) or a chosen
    column's, pagination, exports."""
    _running(request, "hazards")
    filters = {
        "status": status,
        "category": category,
        "grade": grade,
        "township": township,
        "overdue": overdue,
        "open": "true" if open else None,
    }
    language = language_of(request)
    async with client(request, session) as api:
        if format or (sort in SORTS):
            items = await api.all_items("/api/hazards/hazards", filters)
            total = len(items)
            if sort in SORTS:
                items.sort(key=lambda h: (h.get(sort) is None, str(h.get(sort) or "")))
            if not format:
                items = items[(page - 1) * PAGE : page * PAGE]
        else:
            found = await api.page(
                "/api/hazards/hazards", {**filters, "limit": PAGE, "offset": (page - 1) * PAGE}
            )
            items, total = found["items"], found["total"]
    if format:
        heads = [labels.word(labels.UI, key, language) for key, _ in HAZARD_COLUMNS]
        rows = [_hazard_row(h, language) for h in items]
        title = labels.word(labels.UI, "hazards", language)
        return exports.download("hazards", format, title, heads, rows)
    townships = (
        sorted(TILES) if session.grant.townships is None else sorted(session.grant.townships)
    )
    return render(
        request,
        "hazards.html",
        session,
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE)),
        filters={**filters, "open": open, "sort": sort},
        townships=townships,
        columns=HAZARD_COLUMNS,
    )


def _hazard_row(h: dict[str, Any], language: Any) -> list[exports.Cell]:
    return [
        h.get("file_number"),
        h["title"],
        labels.word(labels.CATEGORIES, h["category"], language),
        labels.word(labels.GRADES, h.get("grade"), language),
        labels.state("hazards", "hazard", h["status"], language),
        h["township"],
        h["village"],
        h.get("deadline"),
        ("是" if language == "zh-CN" else "yes") if h.get("overdue") else "",
    ]


@router.get("/hazards/new")
async def new_hazard(request: Request, session: HazardsReporter) -> Response:
    _running(request, "hazards")
    return render(request, "report.html", session, command=REPORT, values={}, error=None)


@router.post("/hazards/new")
async def report_hazard(request: Request, session: HazardsReporter, csrf: Csrf) -> Response:
    """Report a hazard through the API; on success show it, read at its own position."""
    _running(request, "hazards")
    check_csrf(session, csrf)
    form = {k: str(v) for k, v in (await request.form()).items()}
    async with client(request, session) as api:
        try:
            answer = await api.command("/api/hazards/hazards", REPORT.body(form))
        except ApiError as exc:
            return render(
                request,
                "report.html",
                session,
                status=exc.status,
                command=REPORT,
                values=form,
                error=exc,
            )
    return RedirectResponse(
        f"/hazards/{answer['id']}?after={answer['position']}&done=report", status_code=303
    )


@router.get("/hazards/evidence/{sha256}")
async def hazard_evidence(
    request: Request,
    session: HazardsReader,
    sha256: Annotated[str, Path(pattern="^[0-9a-fA-F]{64}$")],
) -> Response:
    """A file of a hazard's evidence, fetched as the signed-in user: the browser holds a
    cookie, not the bearer token the API's file route asks for."""
    _running(request, "hazards")
    async with client(request, session) as api:
        found = await api.file(f"/api/hazards/hazards/evidence/{sha256.lower()}")
    return Response(
        found.content,
        media_type=found.headers.get("content-type", "application/octet-stream"),
        headers={"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )


@router.get("/hazards/{hazard_id}")
async def hazard_page(
    request: Request,
    session: HazardsReader,
    hazard_id: UUID,
    after: Annotated[int | None, Query(ge=0)] = None,
    done: str | None = None,
) -> Response:
    """A hazard: its closed loop as a timeline, its audit trail and the actions allowed."""
    _running(request, "hazards")
    return await _hazard(request, session, hazard_id, after, done, None, {})


async def _hazard(
    request: Request,
    session: Session,
    hazard_id: UUID,
    after: int | None,
    done: str | None,
    error: ApiError | None,
    values: dict[str, str],
    failed: str | None = None,
) -> Response:
    async with client(request, session) as api:
        hazard = await api.get(f"/api/hazards/hazards/{hazard_id}", {"min_position": after})
        history = await api.get(f"/api/hazards/hazards/{hazard_id}/history")
    events = history["entries"]
    reached = LOOP.index(hazard["status"]) if hazard["status"] in LOOP else -1
    offered = [c for c in COMMANDS if hazard["status"] in c.statuses and _may(session, c.action)]
    return render(
        request,
        "hazard.html",
        session,
        status=error.status if error else 200,
        hazard=hazard,
        events=events,
        loop=LOOP,
        reached=reached,
        commands=offered,
        done=BY_SLUG.get(done or "") or (REPORT if done == "report" else None),
        error=error,
        failed=failed,
        values=values,
    )


def _command_route(command: Command) -> None:
    async def act(request: Request, hazard_id: UUID, session: Session, csrf: Csrf) -> Response:
        _running(request, "hazards")
        check_csrf(session, csrf)
        form = {k: str(v) for k, v in (await request.form()).items()}
        async with client(request, session) as api:
            try:
                answer = await api.command(
                    f"/api/hazards/hazards/{hazard_id}/{command.slug}", command.body(form)
                )
            except ApiError as exc:
                return await _hazard(
                    request, session, hazard_id, None, None, exc, form, failed=command.slug
                )
        return RedirectResponse(
            f"/hazards/{hazard_id}?after={answer.get('position', 0)}&done={command.slug}",
            status_code=303,
        )

    act.__doc__ = f"{command.en} through the API."
    # Each command route declares its own action, which a closure's string annotation
    # could not name.
    act.__annotations__["session"] = Annotated[Session, page_requires(command.action)]
    router.add_api_route(
        f"/hazards/{{hazard_id}}/{command.slug}",
        act,
        methods=["POST"],
        name=f"hazard_{command.slug}",
    )


for _command in COMMANDS:
    _command_route(_command)


# ---- campaigns ----------------------------------------------------------------------------


@router.get("/campaigns")
async def campaigns_list(
    request: Request,
    session: CampaignsReader,
    page: Annotated[int, Query(ge=1)] = 1,
    format: Format = None,
) -> Response:
    _running(request, "campaigns")
    language = language_of(request)
    async with client(request, session) as api:
        items = await api.all_items("/api/campaigns/campaigns")
    if format:
        heads = [labels.word(labels.UI, k, language) for k in ("name", "kind", "status", "period")]
        rows: list[list[exports.Cell]] = [
            [
                c["name"],
                c["kind_name"],
                labels.state("campaigns", "campaign", c["status"], language),
                f"{c['starts_on']} ~ {c['ends_on']}",
            ]
            for c in items
        ]
        return exports.download(
            "campaigns", format, labels.word(labels.UI, "campaigns", language), heads, rows
        )
    shown = items[(page - 1) * PAGE : page * PAGE]
    return render(
        request,
        "campaigns.html",
        session,
        items=shown,
        page=page,
        pages=max(1, -(-len(items) // PAGE)),
        total=len(items),
    )


@router.get("/campaigns/{campaign_id}")
async def campaign_page(
    request: Request, session: CampaignsReader, campaign_id: UUID, format: Format = None
) -> Response:
    """A campaign: cases registered and solved month by month, clearance, the case ledger."""
    _running(request, "campaigns")
    language = language_of(request)
    async with client(request, session) as api:
        board = await api.get(f"/api/campaigns/campaigns/{campaign_id}/dashboard")
        campaign = board["campaign"]
        params = {"registered_from": campaign["starts_on"], "registered_to": campaign["ends_on"]}
        cases = [
            c
            for c in await api.all_items("/api/campaigns/cases", params)
            if c["kind"] in campaign["case_kinds"] or not campaign["case_kinds"]
        ]
    heads = [
        labels.word(labels.UI, k, language) for k in ("kind", "township", "registered", "status")
    ]
    rows: list[list[exports.Cell]] = [
        [
            c["kind_name"],
            c["township"],
            c["registered_on"],
            labels.state("campaigns", "case", c["status"], language),
        ]
        for c in cases
    ]
    if format:
        return exports.download("cases", format, campaign["name"], heads, rows)
    months = board.get("months") or []
    registered, solved, total_r, total_s = [], [], 0, 0
    for m in months:
        total_r += m["registered"]
        total_s += m["solved"]
        registered.append(total_r)
        solved.append(total_s)
    chart = line_chart(
        [m["month"] for m in months],
        [
            Series(labels.word(labels.UI, "registered", language), "#b91c1c", registered),
            Series(labels.word(labels.UI, "solved", language), "#1d4ed8", solved),
        ],
        title=campaign["name"],
    )
    rate = board["criminal"].get("clearance_rate")
    clearance = gauge(
        None if rate is None else float(rate) / 100,
        title=labels.word(labels.UI, "clearance", language),
    )
    return render(
        request,
        "campaign.html",
        session,
        board=board,
        campaign=campaign,
        cases=cases,
        chart=chart,
        clearance=clearance,
        gauge=gauge,
    )


# ---- situation ----------------------------------------------------------------------------


@router.get("/situation")
async def situation(
    request: Request,
    session: SituationReader,
    month: Annotated[str | None, Query(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$")] = None,
    format: Format = None,
) -> Response:
    """The month's situation analysis, significant changes and warnings highlighted."""
    _running(request, "campaigns")
    language = language_of(request)
    chosen = month or (_today(request).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    async with client(request, session) as api:
        analysis = await api.get("/api/campaigns/situation/monthly", {"month": chosen})
    heads = [
        labels.word(labels.UI, k, language) for k in ("township", "kind", "registered", "solved")
    ]
    heads += [
        "环比" if language == "zh-CN" else "month on month",
        "同比" if language == "zh-CN" else "year on year",
    ]
    rows: list[list[exports.Cell]] = [
        [
            r.get("township") or ("全区" if language == "zh-CN" else "district"),
            r.get("kind_name") or labels.word(labels.UI, "total", language),
            r["registered"],
            r["solved"],
            (r.get("month_on_month") or {}).get("difference"),
            (r.get("year_on_year") or {}).get("difference"),
        ]
        for r in analysis["rows"]
    ]
    if format:
        return exports.download("situation", format, chosen, heads, rows)
    return render(request, "situation.html", session, analysis=analysis, month=chosen)


# ---- safe units ---------------------------------------------------------------------------


@router.get("/units")
async def units_register(
    request: Request,
    session: ScoringReader,
    status: str | None = None,
    township: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    format: Format = None,
) -> Response:
    _running(request, "scoring")
    language = language_of(request)
    filters = {"status": status, "township": township}
    async with client(request, session) as api:
        if format:
            items = await api.all_items("/api/scoring/units", filters)
            total = len(items)
        else:
            found = await api.page(
                "/api/scoring/units", {**filters, "limit": PAGE, "offset": (page - 1) * PAGE}
            )
            items, total = found["items"], found["total"]
    if format:
        heads = [
            labels.word(labels.UI, k, language)
            for k in ("name", "township", "status", "title", "points", "named_on")
        ]
        rows: list[list[exports.Cell]] = [
            [
                u["name"],
                u["township"],
                labels.state("scoring", "creation unit", u["status"], language),
                u.get("title"),
                u.get("points"),
                u.get("named_on"),
            ]
            for u in items
        ]
        return exports.download(
            "units", format, labels.word(labels.UI, "units", language), heads, rows
        )
    return render(
        request,
        "units.html",
        session,
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE)),
        filters=filters,
    )


@router.get("/units/{unit_id}")
async def unit_page(request: Request, session: ScoringReader, unit_id: UUID) -> Response:
    _running(request, "scoring")
    async with client(request, session) as api:
        unit = await api.get(f"/api/scoring/units/{unit_id}")
        history = await api.get(f"/api/scoring/units/{unit_id}/history")
        titles = await api.get(f"/api/scoring/units/{unit_id}/titles")
        revoked = await api.all_items(f"/api/scoring/units/{unit_id}/revocations")
        incidents = await api.all_items(f"/api/scoring/units/{unit_id}/incidents")
        by_incident = {str(i["id"]): i for i in incidents}
        # An area's title falls by an incident matched to a unit within it, in its township.
        if {str(r.get("incident_id")) for r in revoked if r.get("incident_id")} - set(by_incident):
            place = {"township": unit["township"]} if unit.get("township") else {}
            within = await api.all_items("/api/scoring/incidents", place)
            by_incident |= {str(i["id"]): i for i in within}
    events = history["entries"]
    held = titles["items"] if isinstance(titles, dict) else titles
    causes = [(r, cause_of(r, by_incident, language_of(request))) for r in revoked]
    return render(
        request, "unit.html", session, unit=unit, events=events, titles=held, revoked=causes
    )


@router.get("/revocations")
async def revocations(request: Request, session: ScoringReader, format: Format = None) -> Response:
    _running(request, "scoring")
    language = language_of(request)
    async with client(request, session) as api:
        items = await api.all_items("/api/scoring/revocations")
        incidents = await api.all_items("/api/scoring/incidents")
    by_incident = {str(i["id"]): i for i in incidents}
    causes = [(r, cause_of(r, by_incident, language)) for r in items]
    if format:
        heads = [
            labels.word(labels.UI, k, language)
            for k in ("name", "township", "title", "revoked_on", "cause")
        ]
        rows: list[list[exports.Cell]] = [
            [
                r["unit_name"],
                r["township"],
                r["title"],
                r["revoked_on"],
                c.words,
            ]
            for r, c in causes
        ]
        return exports.download(
            "revocations", format, labels.word(labels.UI, "revocations", language), heads, rows
        )
    return render(request, "revocations.html", session, items=causes)


# ---- map ----------------------------------------------------------------------------------

MEASURES = ("hazards", "overdue", "cases", "titles")


@router.get("/map")
async def township_map(
    request: Request,
    session: Signed,
    measure: Annotated[str, Query(pattern="^(hazards|overdue|cases|titles)$")] = "hazards",
    format: Format = None,
) -> Response:
    """A tile cartogram of the townships, coloured by the chosen figure."""
    services = request.app.state.services
    values: Counter[str] = Counter()
    async with client(request, session) as api:
        if (
            measure in ("hazards", "overdue")
            and "hazards" in services
            and _may(session, A.HAZARDS_READ)
        ):
            for h in await api.all_items("/api/hazards/hazards", {"open": "true"}):
                if measure == "hazards" or h.get("overdue"):
                    values[h["township"]] += 1
        elif measure == "cases" and "campaigns" in services and _may(session, A.CAMPAIGNS_READ):
            start = _today(request).replace(month=1, day=1).isoformat()
            for c in await api.all_items("/api/campaigns/cases", {"registered_from": start}):
                values[c["township"]] += 1
        elif measure == "titles" and "scoring" in services and _may(session, A.SCORING_READ):
            for u in await api.all_items("/api/scoring/units", {"status": "named"}):
                values[u["township"]] += 1
    language = language_of(request)
    if format:
        heads = [labels.word(labels.UI, "township", language), measure]
        rows: list[list[exports.Cell]] = [[t, values.get(t, 0)] for t in TILES]
        return exports.download("map", format, labels.word(labels.UI, "map", language), heads, rows)
    width, height = size()
    return render(
        request,
        "map.html",
        session,
        tiles=tiles(values),
        width=width,
        height=height,
        measure=measure,
        measures=MEASURES,
    )


listings.add_routes(router, _running, client)
crime_warnings.add_routes(router, _running, client)
quarterly.add_routes(router, _running, client, _today)
