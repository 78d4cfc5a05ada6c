"""Build the HTTP apps: one per service, mounted under /api/<service> on a root app, with
the dashboard at /."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline
from starlette.middleware.cors import CORSMiddleware

from pingan.api.areas import router as areas_router
from pingan.api.budget import CommandBudgetMiddleware
from pingan.api.correlation import CorrelationMiddleware
from pingan.api.health import router as health_router
from pingan.api.limits import RequestBounds, RequestLimitMiddleware
from pingan.api.openapi import install_openapi
from pingan.api.problems import install_problem_handlers
from pingan.api.ratelimit import CommandRateMiddleware
from pingan.auth.app import create_accounts_app
from pingan.auth.guard import current_principal
from pingan.auth.rules import document_rules
from pingan.auth.runtime import ACCOUNTS, AuthRuntime
from pingan.privacy.routes import router as privacy_router
from pingan.reference import load_district, use_district
from pingan.run.runtime import ServiceRuntime
from pingan.service import all_services
from pingan.web.app import create_web_app

#: What a browser on an allowed origin may send and read beyond the CORS-safelisted headers.
CORS_REQUEST_HEADERS = [
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "X-Request-ID",
]
CORS_RESPONSE_HEADERS = ["X-Request-ID", "Retry-After", "Location", "Content-Language"]


def api_prefix(service: str) -> str:
    return f"/api/{service}"


def create_service_app(runtime: ServiceRuntime[Any], auth: AuthRuntime) -> FastAPI:
    spec = runtime.spec
    # The docs pages load their scripts and styles from this package, not from a CDN.
    app = FastAPIOffline(
        title=f"Pingan {spec.title}",
        description=spec.description,
        version="1",
        static_url="/docs-assets",
    )
    app.state.runtime = runtime
    app.state.catalogue = spec.messages
    app.state.auth = auth
    use_district(load_district(runtime.settings.areas_file))
    install_problem_handlers(app)
    app.include_router(health_router)
    # Every route but health and the documents (which FastAPI serves outside the routers).
    signed_in = [Depends(current_principal)]
    app.include_router(areas_router, dependencies=signed_in)
    for router in spec.routers:
        app.include_router(router, dependencies=signed_in)
    app.include_router(privacy_router, dependencies=signed_in)
    document_rules(app)
    install_openapi(app)
    return app


def create_root_app(
    runtimes: Sequence[ServiceRuntime[Any]],
    auth: AuthRuntime,
    *,
    accounts: bool = True,
    start_runtimes: bool = True,
) -> FastAPI:
    """The services' apps (and the accounts app) under one base URL; the root lifespan opens
    their connections, since a mounted app's own lifespan never runs."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if start_runtimes:
                await auth.start()
                stack.push_async_callback(auth.stop)
                for runtime in runtimes:
                    await runtime.start()
                    stack.push_async_callback(runtime.stop)
            yield

    root = FastAPI(title="Pingan", lifespan=lifespan, docs_url=None, redoc_url=None)
    install_problem_handlers(root)

    names = [r.name for r in runtimes] + ([ACCOUNTS] if accounts else [])

    @root.get("/api", include_in_schema=False)
    async def index() -> dict[str, dict[str, dict[str, str]]]:
        return {
            "services": {
                name: {"api": api_prefix(name), "docs": api_prefix(name) + "/docs"}
                for name in names
            }
        }

    if accounts:
        root.mount(api_prefix(ACCOUNTS), create_accounts_app(auth))
    for runtime in runtimes:
        root.mount(api_prefix(runtime.name), create_service_app(runtime, auth))
    # Last: the dashboard answers every path the APIs leave.
    remote = auth.settings.web_api_url
    if remote:
        shown = [*all_services(), ACCOUNTS]
        root.mount("", create_web_app(shown, auth, remote.rstrip("/"), runtimes))
    else:
        root.mount("", create_web_app(names, auth, root, runtimes))
    _add_middleware(root, runtimes, auth)
    return root


def _add_middleware(
    root: FastAPI, runtimes: Sequence[ServiceRuntime[Any]], auth: AuthRuntime
) -> None:
    """Outermost last: CORS answers a preflight before anything else; every refusal carries
    a correlation id; size bounds come before the rate's round trip, which the command budget
    bounds."""
    settings = auth.settings
    root.add_middleware(CommandRateMiddleware, auth=auth)
    budget_s = min((r.settings.command_budget_s for r in runtimes), default=None)
    if budget_s is not None:
        root.add_middleware(CommandBudgetMiddleware, budget_s=budget_s)
    root.add_middleware(RequestLimitMiddleware, bounds=RequestBounds.of(settings).learn(root))
    root.add_middleware(CorrelationMiddleware)
    if settings.cors_allowed_origins:
        root.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_allowed_origins,
            allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_RESPONSE_HEADERS,
            max_age=600,
        )
