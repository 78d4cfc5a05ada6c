"""The FastAPI dependency that turns a request's bearer token into its Principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from pingan.api.problems import Problem
from pingan.auth.principal import Principal
from pingan.auth.runtime import AuthRuntime
from pingan.auth.tokens import InvalidToken

REALM = "pingan"
SCHEME = "bearerAuth"

bearer = HTTPBearer(
    scheme_name=SCHEME,
    bearerFormat="JWT",
    description="A token from POST /api/accounts/sessions (or `pingan token`), sent as "
    "`Authorization: Bearer <token>`.",
    auto_error=False,
)


def get_auth(request: Request) -> AuthRuntime:
    auth: AuthRuntime = request.app.state.auth
    return auth


Auth = Annotated[AuthRuntime, Depends(get_auth)]


def _challenge(error: str | None = None, description: str | None = None) -> dict[str, str]:
    # RFC 6750 section 3: a request with no credentials gets no error code.
    parts = [f'realm="{REALM}"']
    if error:
        parts.append(f'error="{error}"')
    if description:
        parts.append(f'error_description="{description}"')
    return {"WWW-Authenticate": "Bearer " + ", ".join(parts)}


def unauthenticated() -> Problem:
    return Problem(401, "token-missing", "send Authorization: Bearer <token>", headers=_challenge())


def refused(exc: InvalidToken) -> Problem:
    return Problem(
        401,
        f"token-{exc.reason}",
        str(exc),
        headers=_challenge("invalid_token", str(exc)),
    )


async def current_principal(
    request: Request,
    auth: Auth,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None or not credentials.credentials:
        raise unauthenticated()
    try:
        verified = auth.verify(credentials.credentials)
    except InvalidToken as exc:
        raise refused(exc) from None
    request.state.principal = verified.principal
    request.state.token_expires_at = verified.expires_at
    return verified.principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
