"""Who a page request is: the token in the session cookie (or a bearer header), its role
checked against the same table as the API, and the CSRF token tied to that session."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request

from pingan.api.problems import Problem
from pingan.auth.actions import Action
from pingan.auth.guard import refused, unauthenticated
from pingan.auth.principal import Principal
from pingan.auth.rules import ACTION_ATTRIBUTE, TABLE, Grant, role_not_allowed, township_scope
from pingan.auth.runtime import AuthRuntime
from pingan.auth.tokens import InvalidToken

SESSION_COOKIE = "pingan_session"
#: The sign-in form's own CSRF value, before any session exists (double submit).
SIGN_IN_COOKIE = "pingan_sign_in"
LANGUAGE_COOKIE = "pingan_lang"


@dataclass(frozen=True)
class Session:
    principal: Principal
    token: str
    grant: Grant

    @property
    def csrf(self) -> str:
        return csrf_token(self.token)


def csrf_token(token: str) -> str:
    """A value only a page rendered for this signed-in user carries: their token is in an
    HttpOnly cookie, so another site can neither read it nor compute this."""
    return hmac.new(token.encode(), b"pingan-csrf", hashlib.sha256).hexdigest()


def new_sign_in_nonce() -> str:
    return secrets.token_urlsafe(24)


def token_of(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(SESSION_COOKIE) or None


def session_of(request: Request) -> Session:
    token = token_of(request)
    if token is None:
        raise unauthenticated()
    auth: AuthRuntime = request.app.state.auth
    try:
        verified = auth.verify(token)
    except InvalidToken as exc:
        raise refused(exc) from None
    principal = verified.principal
    request.state.principal = principal
    stations = auth.settings.auth_station_townships
    grant = Grant(principal, Action.SIGNED_IN, township_scope(principal, stations))
    return Session(principal, token, grant)


def page_requires(action: Action) -> Any:
    """A page's declaration of its action, as `pingan.auth.rules.requires` is a route's:
    the same table, the same refusal, read from the session cookie."""
    roles = TABLE[action]

    async def check(request: Request) -> Session:
        session = session_of(request)
        if session.principal.role not in roles:
            raise role_not_allowed(session.principal, action)
        return Session(
            session.principal,
            session.token,
            Grant(session.principal, action, session.grant.townships),
        )

    setattr(check, ACTION_ATTRIBUTE, action)
    return Depends(check)


def public_page() -> Any:
    async def public() -> None:
        return None

    setattr(public, ACTION_ATTRIBUTE, Action.PUBLIC)
    return Depends(public)


def check_csrf(session: Session, submitted: str) -> None:
    if not hmac.compare_digest(session.csrf, submitted):
        raise Problem(
            403, "csrf-refused", "the form is stale or from another site; reload the page"
        )
