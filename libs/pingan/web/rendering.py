"""Templates, the language of a page, and office-time formatting."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from pingan.api.i18n import Language, negotiate
from pingan.auth.actions import Action
from pingan.auth.rules import TABLE
from pingan.web import labels
from pingan.web.session import LANGUAGE_COOKIE, Session

ENV = Environment(
    loader=PackageLoader("pingan.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def language_of(request: Request) -> Language:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in ("zh-CN", "en"):
        return "en" if chosen == "en" else "zh-CN"
    return negotiate(request.headers.get("accept-language"))


def office_time(value: object, zone: ZoneInfo, *, with_time: bool = True) -> str:
    """A time in the office's zone (China Standard Time), whatever offset it came with."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            # A bare date stays a date: it is a business day, not midnight.
            parsed: datetime | date = (
                date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
            )
        except ValueError:
            return value
    else:
        parsed = value  # type: ignore[assignment]
    if isinstance(parsed, datetime):
        local = parsed.astimezone(zone) if parsed.tzinfo else parsed.replace(tzinfo=zone)
        return local.strftime("%Y-%m-%d %H:%M") if with_time else local.date().isoformat()
    if isinstance(parsed, date):
        return parsed.isoformat()
    return str(value)


def render(
    request: Request,
    name: str,
    session: Session | None,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    language = language_of(request)
    zone = ZoneInfo(request.app.state.auth.settings.timezone)
    services: frozenset[str] = request.app.state.services

    def t(key: str) -> str:
        return labels.word(labels.UI, key, language)

    def may(action: str) -> bool:
        return session is not None and session.principal.role in TABLE[Action(action)]

    def url(path: str, **params: Any) -> str:
        kept = {k: v for k, v in params.items() if v not in (None, "", False)}
        return path + ("?" + urlencode(kept) if kept else "")

    nav = [
        ("/", "overview", Action.SIGNED_IN, None),
        ("/hazards", "hazards", Action.HAZARDS_READ, "hazards"),
        ("/campaigns", "campaigns", Action.CAMPAIGNS_READ, "campaigns"),
        ("/key-areas", "key_areas", Action.HAZARDS_READ, "hazards"),
        ("/rounds", "rounds", Action.HAZARDS_READ, "hazards"),
        ("/monitoring", "monitoring", Action.HAZARDS_READ, "hazards"),
        ("/accidents", "accidents", Action.HAZARDS_READ, "hazards"),
        ("/situation", "situation", Action.SITUATION_READ, "campaigns"),
        ("/warnings", "warnings_page", Action.SITUATION_READ, "campaigns"),
        ("/cases", "case_ledger", Action.CAMPAIGNS_READ, "campaigns"),
        ("/units", "units", Action.SCORING_READ, "scoring"),
        ("/league", "league", Action.SCORING_READ, "scoring"),
        ("/families", "families", Action.SCORING_READ, "scoring"),
        ("/reinspections", "reinspections", Action.SCORING_READ, "scoring"),
        ("/revocations", "revocations", Action.SCORING_READ, "scoring"),
        ("/reports/quarterly", "quarterly", Action.SIGNED_IN, None),
        ("/map", "map", Action.SIGNED_IN, None),
    ]
    shown = [
        (
            href,
            t(key),
            href == request.url.path or (href != "/" and request.url.path.startswith(href)),
        )
        for href, key, action, service in nav
        if may(action.value) and (service is None or service in services)
    ]
    body = ENV.get_template(name).render(
        request=request,
        session=session,
        lang=language,
        t=t,
        may=may,
        url=url,
        nav=shown,
        when=lambda v: office_time(v, zone),
        day=lambda v: office_time(v, zone, with_time=False),
        w=lambda words, code: labels.word(getattr(labels, words), code, language),
        state=lambda service, entity, code: labels.state(service, entity, code, language),
        fact=lambda service, aggregate, name: labels.event(service, aggregate, name, language),
        path=request.url.path,
        **context,
    )
    headers = {"Content-Language": language, "Vary": "Accept-Language, Cookie"}
    return HTMLResponse(body, status_code=status, headers=headers)
