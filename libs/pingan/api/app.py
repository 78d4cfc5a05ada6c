"""Build the HTTP apps: one per service, mounted under /api/<service> on a root app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from pingan.api.areas import router as areas_router
from pingan.api.budget import CommandBudgetMiddleware
from pingan.api.correlation import CorrelationMiddleware
from pingan.api.health import router as health_router
from pingan.api.openapi import install_openapi
from pingan.api.problems import install_problem_handlers
from pingan.reference import load_district, use_district
from pingan.run.runtime import ServiceRuntime


def api_prefix(service: str) -> str:
    return f"/api/{service}"


def create_service_app(runtime: ServiceRuntime[Any]) -> FastAPI:
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
    use_district(load_district(runtime.settings.areas_file))
    install_problem_handlers(app)
    app.include_router(health_router)
    app.include_router(areas_router)
    for router in spec.routers:
        app.include_router(router)
    install_openapi(app)
    return app


def create_root_app(
    runtimes: Sequence[ServiceRuntime[Any]], *, start_runtimes: bool = True
) -> FastAPI:
    """The services' apps under one base URL; the root lifespan opens their connections,
    since a mounted app's own lifespan never runs."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if start_runtimes:
                for runtime in runtimes:
                    await runtime.start()
                    stack.push_async_callback(runtime.stop)
            yield

    root = FastAPI(title="Pingan", lifespan=lifespan, docs_url=None, redoc_url=None)
    budget_s = min((r.settings.command_budget_s for r in runtimes), default=None)
    if budget_s is not None:
        root.add_middleware(CommandBudgetMiddleware, budget_s=budget_s)
    root.add_middleware(CorrelationMiddleware)
    install_problem_handlers(root)

    @root.get("/", include_in_schema=False)
    async def index() -> dict[str, dict[str, dict[str, str]]]:
        return {
            "services": {
                r.name: {"api": api_prefix(r.name), "docs": api_prefix(r.name) + "/docs"}
                for r in runtimes
            }
        }

    for runtime in runtimes:
        root.mount(api_prefix(runtime.name), create_service_app(runtime))
    return root
