"""The dashboard app, mounted at ``/`` of the root app after every API."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.resources import files
from typing import Annotated, Any

from fastapi import FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response

from pingan.api.i18n import Language
from pingan.api.problems import Problem, problem_response, to_problem
from pingan.auth.actions import Action as A
from pingan.auth.runtime import AuthRuntime
from pingan.auth.tokens import InvalidToken
from pingan.web import pages
from pingan.web.backend import Api, ApiError, backend
from pingan.web.live import live_router
from pingan.web.messages import WEB
from pingan.web.rendering import language_of, render
from pingan.web.session import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    check_csrf,
    new_sign_in_nonce,
    page_requires,
    public_page,
    session_of,
)

STATIC = files("pingan.web") / "static"
#: The assets the pages load, all shipped in this package.
ASSETS = {
    "pingan.css": "text/css; charset=utf-8",
    "live.js": "text/javascript; charset=utf-8",
}


def create_web_app(
    services: Sequence[str], auth: AuthRuntime, api: Api, runtimes: Sequence[Any]
) -> FastAPI:
    """The pages, reaching `api` in this process (the root app) or over HTTP (a gateway's
    URL, where they see every service)."""
    app = FastAPI(title="Pingan dashboard", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.auth = auth
    app.state.api = api
    app.state.services = frozenset(services)
    app.state.runtimes = {r.name: r for r in runtimes}
    app.state.catalogue = WEB

    @app.exception_handler(Problem)
    async def problem(request: Request, exc: Problem) -> Response:
        return _refusal(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _refusal(request, to_problem(exc))

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        try:
            session = session_of(request)
        except Problem:
            session = None
        return render(request, "error.html", session, status=exc.status, error=exc)

    @app.get("/static/{name}", dependencies=[public_page()], include_in_schema=False)
    async def static(name: str) -> Response:
        if name not in ASSETS:
            raise Problem(
                404, "not-found", f"no asset with id {name}", params={"what": "asset", "id": name}
            )
        body = (STATIC / name).read_bytes()
        return Response(
            body, media_type=ASSETS[name], headers={"Cache-Control": "public, max-age=3600"}
        )

    @app.get("/signin", dependencies=[public_page()], include_in_schema=False)
    async def sign_in_page(request: Request, next: str = "/") -> Response:
        return _sign_in(request, _local(next))

    @app.post("/signin", dependencies=[public_page()], include_in_schema=False)
    async def sign_in(
        request: Request,
        nonce: Annotated[str, Form()],
        next: Annotated[str, Form()] = "/",
        token: Annotated[str, Form()] = "",
        login: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
    ) -> Response:
        expected = request.cookies.get(SIGN_IN_COOKIE, "")
        if not expected or not hmac.compare_digest(expected, nonce):
            raise Problem(
                403, "csrf-refused", "the form is stale or from another site; reload the page"
            )
        found = token.strip()
        error: str | None = None
        if not found and login:
            found, error = await _password_sign_in(request, login, password)
        if found and error is None:
            try:
                verified = auth.verify(found)
            except InvalidToken as exc:
                error = str(exc)
            else:
                response = RedirectResponse(_local(next), status_code=303)
                max_age = int((verified.expires_at - datetime.now(UTC)).total_seconds())
                response.set_cookie(
                    SESSION_COOKIE,
                    found,
                    max_age=max(0, max_age),
                    httponly=True,
                    samesite="strict",
                    secure=_secure(request),
                    path="/",
                )
                response.delete_cookie(SIGN_IN_COOKIE, path="/")
                return response
        return _sign_in(request, _local(next), error=error or "?", status=401)

    @app.post("/signout", include_in_schema=False)
    async def sign_out(
        request: Request,
        session: Annotated[Any, page_requires(A.SIGNED_IN)],
        csrf: Annotated[str, Form()],
    ) -> Response:
        check_csrf(session, csrf)
        if "accounts" in app.state.services:
            async with pages.client(request, session) as api_client:
                try:
                    await api_client.delete("/api/accounts/sessions/current")
                except ApiError:
                    pass
        response = RedirectResponse("/signin", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @app.get("/language", dependencies=[public_page()], include_in_schema=False)
    async def language(to: Language = "zh-CN", next: str = "/") -> Response:
        response = RedirectResponse(_local(next), status_code=303)
        response.set_cookie(LANGUAGE_COOKIE, to, max_age=365 * 86400, samesite="strict", path="/")
        return response

    app.include_router(pages.router)
    app.include_router(live_router)
    return app


def _refusal(request: Request, problem: Problem) -> Response:
    if "text/html" not in request.headers.get("accept", ""):
        return problem_response(request, problem)
    if problem.status == 401:
        return _sign_in(request, request.url.path, status=401)
    try:
        session = session_of(request)
    except Problem:
        session = None
    language = language_of(request)
    from pingan.api.problems import catalogue_of, problem_texts

    title, detail = problem_texts(problem, catalogue_of(request), language)
    error = ApiError(problem.status, title, detail or "")
    return render(request, "error.html", session, status=problem.status, error=error)


def _sign_in(
    request: Request, next_path: str, *, error: str | None = None, status: int = 200
) -> Response:
    nonce = new_sign_in_nonce()
    response = render(
        request, "signin.html", None, status=status, next=next_path, nonce=nonce, error=error
    )
    response.set_cookie(
        SIGN_IN_COOKIE, nonce, httponly=True, samesite="strict", secure=_secure(request), path="/"
    )
    return response


async def _password_sign_in(request: Request, login: str, password: str) -> tuple[str, str | None]:
    """Sign in through the accounts API, as its own clients do."""
    body = {"login": login, "password": password}
    async with backend(request.app.state.api, None, language_of(request), None) as api:
        try:
            answer = await api.command("/api/accounts/sessions", body, created=201)
        except ApiError as exc:
            return "", exc.detail or exc.title
    return str(answer["token"]), None


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def _local(path: str) -> str:
    """Only a path of this site: never an open redirect."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path
