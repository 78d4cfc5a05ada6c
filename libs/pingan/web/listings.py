"""The dashboard's plain registers: each one list of the API, shown as a table in the
user's language and downloadable as CSV or XLSX, declared once as a `Listing`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from pingan.api.i18n import Language
from pingan.auth.actions import Action as A
from pingan.web import exports, labels
from pingan.web.backend import Backend
from pingan.web.charts import Series, line_chart
from pingan.web.rendering import language_of, render
from pingan.web.session import Session, page_requires

Item = Mapping[str, Any]
Value = Callable[[Item, Language], exports.Cell]


@dataclass(frozen=True)
class Column:
    head: str
    value: Value
    link: Callable[[Item], str | None] | None = None


@dataclass(frozen=True)
class Listing:
    path: str
    title: str
    service: str
    action: A
    source: str
    columns: Sequence[Column]
    params: Mapping[str, str] = field(default_factory=dict)
    #: The query parameters a user may pass on to the API (a township, a kind, a year).
    filters: Sequence[str] = ("township",)
    highlight: Callable[[Item], bool] | None = None
    charts: Callable[[Sequence[Item], Language], list[str]] | None = None


def text(head: str, key: str) -> Column:
    return Column(head, lambda item, _: _cell(item.get(key)))


def state(head: str, service: str, entity: str, key: str = "status") -> Column:
    return Column(head, lambda item, lang: labels.state(service, entity, item.get(key), lang))


def words(head: str, table: labels.Words, key: str) -> Column:
    return Column(head, lambda item, lang: labels.word(table, item.get(key), lang))


def flag(head: str, key: str) -> Column:
    return Column(head, lambda item, lang: _yes(lang) if item.get(key) else "")


def _yes(language: Language) -> str:
    return "是" if language == "zh-CN" else "yes"


def _cell(value: Any) -> exports.Cell:
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _unit_link(item: Item) -> str | None:
    return f"/units/{item['unit_id']}" if item.get("unit_id") else None


def _key_area_charts(items: Sequence[Item], language: Language) -> list[str]:
    criminal = labels.word(labels.UI, "criminal", language)
    public_order = labels.word(labels.UI, "public_order", language)
    charts = []
    for area in items:
        months = area.get("cases") or []
        if not months:
            continue
        charts.append(
            line_chart(
                [m["month"] for m in months],
                [
                    Series(criminal, "#b91c1c", _running([m["criminal"] for m in months])),
                    Series(public_order, "#1d4ed8", _running([m["public_order"] for m in months])),
                ],
                title=f"{area['name']} · {labels.word(labels.UI, 'case_trend', language)}",
            )
        )
    return charts


def _running(values: Sequence[int]) -> list[float]:
    total, out = 0, []
    for v in values:
        total += v
        out.append(float(total))
    return out


def _share_closed(item: Item, _: Language) -> exports.Cell:
    found = int(item.get("hazards_found") or 0)
    return f"{100 * int(item.get('hazards_closed') or 0) / found:.0f}%" if found else ""


LISTINGS: Sequence[Listing] = (
    Listing(
        "/key-areas",
        "key_areas",
        "hazards",
        A.HAZARDS_READ,
        "/api/hazards/key-areas/progress",
        (
            text("name", "name"),
            words("kind", labels.KEY_AREA_KINDS, "kind"),
            text("township", "township"),
            state("status", "hazards", "key area"),
            text("designated_on", "designated_on"),
            text("deadline", "deadline"),
            Column(
                "hazards_found",
                lambda i, _: i.get("hazards_found"),
                lambda i: f"/hazards?township={i['township']}",
            ),
            text("hazards_closed", "hazards_closed"),
            Column("share_closed", _share_closed),
            text("open_hazards", "open_hazards"),
            text("overdue_hazards", "overdue_hazards"),
        ),
        highlight=lambda i: bool(i.get("overdue_hazards")),
        charts=_key_area_charts,
    ),
    Listing(
        "/rounds",
        "rounds",
        "hazards",
        A.HAZARDS_READ,
        "/api/hazards/rounds",
        (
            text("name", "name"),
            text("areas", "areas"),
            text("starts_on", "starts_on"),
            text("ends_on", "ends_on"),
            text("organiser", "organiser"),
            state("status", "hazards", "round"),
            text("findings", "findings"),
            text("summary", "summary"),
        ),
        filters=(),
    ),
    Listing(
        "/monitoring",
        "monitoring",
        "hazards",
        A.HAZARDS_READ,
        "/api/hazards/monitoring",
        (
            text("product", "product_category"),
            text("township", "township"),
            text("place", "place"),
            text("starts_on", "starts_on"),
            text("ends_on", "ends_on"),
            state("status", "hazards", "monitoring task"),
            text("samples", "samples"),
            text("failed", "failed"),
            words("risk_level", labels.RISK_LEVELS, "risk_level"),
            words("warning_level", labels.WARNING_LEVELS, "warning_level"),
            text("follow_ups_open", "follow_ups_open"),
        ),
        highlight=lambda i: bool(i.get("warning_active")),
    ),
    Listing(
        "/accidents",
        "accidents",
        "hazards",
        A.HAZARDS_READ,
        "/api/hazards/accidents",
        (
            text("happened_at", "happened_at"),
            text("township", "township"),
            text("place", "place"),
            Column("unit", lambda i, _: i.get("unit_name"), _unit_link),
            words("severity", labels.SEVERITIES, "severity"),
            text("deaths", "deaths"),
            text("serious_injuries", "serious_injuries"),
            text("direct_loss_yuan", "direct_loss_yuan"),
            state("status", "hazards", "accident"),
        ),
        highlight=lambda i: bool(i.get("major")),
    ),
    Listing(
        "/cases",
        "case_ledger",
        "campaigns",
        A.CAMPAIGNS_READ,
        "/api/campaigns/cases",
        (
            text("kind", "kind_name"),
            text("township", "township"),
            text("registered", "registered_on"),
            state("status", "campaigns", "case"),
            flag("major_case", "major"),
        ),
        highlight=lambda i: bool(i.get("major")),
    ),
    Listing(
        "/families",
        "families",
        "scoring",
        A.SCORING_READ,
        "/api/scoring/families",
        (
            text("name", "name"),
            text("township", "township"),
            text("village", "village"),
            text("year", "year"),
            Column("stars", lambda i, _: len(i.get("stars") or [])),
            Column(
                "star_names",
                lambda i, lang: "、".join(labels.word(labels.STARS, s, lang) for s in i["stars"]),
            ),
            text("tier", "tier_label"),
        ),
        filters=("township", "year"),
    ),
    Listing(
        "/league",
        "league",
        "scoring",
        A.SCORING_READ,
        "/api/scoring/league",
        (
            text("rank", "rank"),
            Column("name", lambda i, _: i.get("name"), _unit_link),
            words("kind", labels.UNIT_KINDS, "kind"),
            text("township", "township"),
            text("points", "points"),
            text("assessed_on", "assessed_on"),
            text("title", "title"),
            text("level", "level"),
        ),
        filters=("township", "kind"),
    ),
    Listing(
        "/reinspections",
        "reinspections",
        "scoring",
        A.SCORING_READ,
        "/api/scoring/reinspections",
        (
            Column("name", lambda i, _: i.get("name"), _unit_link),
            words("kind", labels.UNIT_KINDS, "kind"),
            text("township", "township"),
            text("title", "title"),
            text("reinspection_due", "reinspection_due"),
            flag("overdue", "overdue"),
        ),
        filters=("township", "due"),
        highlight=lambda i: bool(i.get("overdue")),
    ),
)


Client = Callable[[Request, Session], AbstractAsyncContextManager[Backend]]
Running = Callable[[Request, str], None]


def add_routes(router: APIRouter, running: Running, client: Client) -> None:
    for listing in LISTINGS:
        _route(router, listing, running, client)


def _route(router: APIRouter, listing: Listing, running: Running, client: Client) -> None:
    async def show(
        request: Request,
        session: Session,
        format: Annotated[str | None, Query(pattern="^(csv|xlsx)$")] = None,
    ) -> Response:
        running(request, listing.service)
        language = language_of(request)
        chosen = {
            k: v for k in listing.filters if (v := request.query_params.get(k, "")[:200]) != ""
        }
        async with client(request, session) as api:
            items = await api.all_items(listing.source, {**listing.params, **chosen})
        title = labels.word(labels.UI, listing.title, language)
        heads = [labels.word(labels.UI, c.head, language) for c in listing.columns]
        rows = [[c.value(item, language) for c in listing.columns] for item in items]
        if format:
            return exports.download(listing.path.strip("/"), format, title, heads, rows)
        links = [[c.link(item) if c.link else None for c in listing.columns] for item in items]
        return render(
            request,
            "listing.html",
            session,
            title=title,
            heads=heads,
            rows=list(zip(items, rows, links, strict=True)),
            highlighted=[bool(listing.highlight and listing.highlight(i)) for i in items],
            filters=chosen,
            charts=listing.charts(items, language) if listing.charts else [],
        )

    show.__doc__ = f"The {listing.title.replace('_', ' ')} register, with exports."
    show.__annotations__["session"] = Annotated[Session, page_requires(listing.action)]
    router.add_api_route(listing.path, show, methods=["GET"], name=listing.title)
