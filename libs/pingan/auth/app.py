"""The accounts API as an app of its own, mounted at /api/accounts."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline

from pingan.api.openapi import install_openapi
from pingan.api.problems import Problem, install_problem_handlers, problem_response
from pingan.auth.actions import Action
from pingan.auth.guard import Auth
from pingan.auth.routes import ROUTERS
from pingan.auth.rules import document_rules, requires
from pingan.auth.runtime import AuthRuntime


def create_accounts_app(auth: AuthRuntime) -> FastAPI:
    app = FastAPIOffline(
        title="Pingan accounts",
        description="Sign-in, tokens and the register of users (账号与登录).",
        version="1",
        static_url="/docs-assets",
    )
    app.state.auth = auth
    install_problem_handlers(app)

    public = [requires(Action.PUBLIC)]

    @app.get("/healthz", tags=["health"], dependencies=public)
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok", "service": "accounts"}

    @app.get("/readyz", tags=["health"], response_model=None, dependencies=public)
    async def readyz(request: Request, auth: Auth) -> dict[str, Any] | JSONResponse:
        """The accounts database is reachable and the refusal list is being kept current."""
        checks = {"accounts": {"ok": auth.refusals.connected}}
        if auth.refusals.connected:
            return {"status": "ready", "service": "accounts", "checks": checks}
        return problem_response(
            request, Problem(503, "not-ready", "a dependency cannot be reached", checks=checks)
        )

    for router in ROUTERS:
        app.include_router(router)
    document_rules(app)
    install_openapi(app)
    return app
