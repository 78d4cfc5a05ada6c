"""The crime warnings' workflow (治安预警): the list, and acknowledge and answer forms for
the roles that may, each sent through the campaigns API as the user."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from pingan.auth.actions import Action as A
from pingan.auth.rules import TABLE
from pingan.web import exports, labels
from pingan.web.backend import ApiError
from pingan.web.forms import Command, Field, today_field
from pingan.web.listings import Client, Running
from pingan.web.rendering import language_of, render
from pingan.web.session import Session, check_csrf, page_requires

ACKNOWLEDGE = Command(
    "acknowledge",
    "签收预警",
    "Acknowledge",
    A.WARNINGS_RESPOND,
    frozenset({"raised"}),
    (
        Field("acknowledged_by", "签收单位或人", "Acknowledged by"),
        Field("note", "签收意见", "Note", "textarea", required=False),
        today_field("business_date", "签收日期", "Date"),
    ),
)
RESPOND = Command(
    "response",
    "记录处置措施",
    "Record a response",
    A.WARNINGS_RESPOND,
    frozenset({"acknowledged", "responded"}),
    (
        Field("response", "处置措施", "What was done", "textarea"),
        Field("recorded_by", "记录人", "Recorded by"),
        today_field("business_date", "处置日期", "Date"),
    ),
)
COMMANDS = {c.slug: c for c in (ACKNOWLEDGE, RESPOND)}

Reader = Annotated[Session, page_requires(A.SITUATION_READ)]
Responder = Annotated[Session, page_requires(A.WARNINGS_RESPOND)]
Csrf = Annotated[str, Form(max_length=128)]


def add_routes(router: APIRouter, running: Running, client: Client) -> None:
    async def page(
        request: Request,
        session: Session,
        error: ApiError | None = None,
        failed: tuple[str, str] | None = None,
        values: dict[str, str] | None = None,
        done: str | None = None,
        after: int | None = None,
        fmt: str | None = None,
    ) -> Response:
        running(request, "campaigns")
        language = language_of(request)
        async with client(request, session) as api:
            items = await api.all_items("/api/campaigns/warnings", {"min_position": after})
        heads = [
            labels.word(labels.UI, k, language)
            for k in ("month", "area", "kind", "count", "baseline", "status", "responses")
        ]
        rows: list[list[exports.Cell]] = [
            [
                w["month"],
                w["area"],
                w["kind_name"],
                w["count"],
                round(float(w["baseline"]), 1),
                labels.state("campaigns", "warning", w["status"], language),
                "; ".join(r.get("response", "") for r in w.get("responses") or []),
            ]
            for w in items
        ]
        if fmt:
            title = labels.word(labels.UI, "warnings_page", language)
            return exports.download("warnings", fmt, title, heads, rows)
        role = session.principal.role
        townships = session.grant.townships
        offered = {
            w["id"]: [
                c
                for c in COMMANDS.values()
                if w["status"] in c.statuses
                and role in TABLE[c.action]
                and (townships is None or w["area"] in townships)
            ]
            for w in items
        }
        return render(
            request,
            "warnings.html",
            session,
            status=error.status if error else 200,
            heads=heads,
            rows=list(zip(items, rows, strict=True)),
            offered=offered,
            error=error,
            failed=failed,
            values=values or {},
            done=COMMANDS.get(done or ""),
        )

    @router.get("/warnings")
    async def warnings_page(
        request: Request,
        session: Reader,
        format: Annotated[str | None, Query(pattern="^(csv|xlsx)$")] = None,
        after: Annotated[int | None, Query(ge=0)] = None,
        done: str | None = None,
    ) -> Response:
        """The crime warnings, each with the steps the user's role may take on it."""
        return await page(request, session, done=done, after=after, fmt=format)

    @router.post("/warnings/{warning_id}/{slug}")
    async def act(
        request: Request, session: Responder, warning_id: UUID, slug: str, csrf: Csrf
    ) -> Response:
        """Acknowledge a warning or record its response through the API."""
        running(request, "campaigns")
        check_csrf(session, csrf)
        command = COMMANDS.get(slug)
        if command is None:
            raise ApiError(404, labels.word(labels.UI, "nothing", language_of(request)), slug)
        form = {k: str(v) for k, v in (await request.form()).items()}
        async with client(request, session) as api:
            try:
                answer = await api.command(
                    f"/api/campaigns/warnings/{warning_id}/{slug}", command.body(form)
                )
            except ApiError as exc:
                return await page(
                    request, session, error=exc, failed=(str(warning_id), slug), values=form
                )
        return RedirectResponse(
            f"/warnings?after={answer.get('position', 0)}&done={slug}", status_code=303
        )
