"""The accounts API: sign-in and sign-out, token revocation, and the register of users,
which only the district office keeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from pingan.api.problems import Problem, not_found
from pingan.api.ratelimit import limit_sign_in
from pingan.auth.accounts import AccountExists, AccountNotFound
from pingan.auth.actions import Action
from pingan.auth.guard import Auth, CurrentPrincipal
from pingan.auth.passwords import check_password, hash_password
from pingan.auth.principal import Principal
from pingan.auth.rules import Grant, requires
from pingan.auth.schemas import (
    AccountChange,
    AccountOut,
    Login,
    NewAccount,
    PrincipalOut,
    Revoke,
    Session,
    SignIn,
)

#: How long a revocation is kept when the token's own expiry is not given: the longest life.
LONGEST_TOKEN = timedelta(days=90)

sessions = APIRouter(prefix="/sessions", tags=["sessions"])
tokens = APIRouter(prefix="/tokens", tags=["sessions"])
users = APIRouter(prefix="/users", tags=["users"])


def account_manager(grant: Annotated[Grant, requires(Action.ACCOUNTS_MANAGE)]) -> Principal:
    return grant.principal


DistrictOffice = Annotated[Principal, Depends(account_manager)]
SignedIn = [requires(Action.SIGNED_IN)]


@sessions.post(
    "",
    status_code=201,
    response_model=Session,
    responses={401: {}},
    dependencies=[requires(Action.PUBLIC)],
)
async def sign_in(body: SignIn, request: Request, auth: Auth) -> Session:
    """Sign in with login and password; the answer carries a bearer token."""
    if auth.signer is None:
        raise Problem(503, "not-ready", "this process holds no signing key")
    await limit_sign_in(auth, body.login, request.client.host if request.client else None)
    found = await auth.store.credentials(body.login)
    valid = await run_in_threadpool(
        check_password, found.password_hash if found else None, body.password
    )
    if found is None or not valid or found.account.disabled:
        raise Problem(
            401,
            "sign-in-failed",
            "wrong login or password, or account disabled",
            headers={"WWW-Authenticate": 'Bearer realm="pingan"'},
        )
    account = found.account
    issued = auth.issue(
        subject=account.login,
        name=account.name,
        role=account.role,
        township=account.township,
        station=account.station,
    )
    principal = auth.verify(issued.token).principal
    return Session(
        token=issued.token,
        token_id=issued.token_id,
        expires_at=issued.expires_at,
        principal=PrincipalOut.of(principal),
    )


@sessions.get("/current", response_model=PrincipalOut, dependencies=SignedIn)
async def who_am_i(principal: CurrentPrincipal) -> PrincipalOut:
    """The caller, as the token names it."""
    return PrincipalOut.of(principal)


@sessions.delete("/current", status_code=204, dependencies=SignedIn)
async def sign_out(request: Request, principal: CurrentPrincipal, auth: Auth) -> Response:
    """Sign out: the token presented is revoked in every process at once."""
    expires: datetime = request.state.token_expires_at
    await auth.store.revoke(principal.token_id, expires, principal)
    await auth.changed()
    return Response(status_code=204)


@tokens.post("/revoke", status_code=204)
async def revoke_token(body: Revoke, principal: DistrictOffice, auth: Auth) -> Response:
    """Revoke a token by its id (`jti`): refused in every process at once."""
    expires = body.expires_at or datetime.now(UTC) + LONGEST_TOKEN
    await auth.store.revoke(body.token_id, expires, principal)
    await auth.changed()
    return Response(status_code=204)


@users.get("", response_model=list[AccountOut])
async def list_users(_: DistrictOffice, auth: Auth) -> list[AccountOut]:
    """Every account, by login name."""
    return [AccountOut.of(a) for a in await auth.store.all()]


@users.post("", status_code=201, response_model=AccountOut)
async def add_user(body: NewAccount, principal: DistrictOffice, auth: Auth) -> AccountOut:
    """Open an account."""
    password_hash = await run_in_threadpool(hash_password, body.password)
    try:
        account = await auth.store.add(
            login=body.login,
            name=body.name,
            role=body.role,
            township=body.township,
            station=body.station,
            password_hash=password_hash,
            actor=principal,
        )
    except AccountExists as exc:
        raise Problem(409, "account-exists", str(exc), params={"login": exc.login}) from None
    return AccountOut.of(account)


@users.get("/{login}", response_model=AccountOut)
async def get_user(login: Login, _: DistrictOffice, auth: Auth) -> AccountOut:
    """One account."""
    try:
        return AccountOut.of(await auth.store.get(login))
    except AccountNotFound:
        raise not_found("account", login) from None


@users.patch("/{login}", response_model=AccountOut)
async def change_user(
    login: Login, body: AccountChange, principal: DistrictOffice, auth: Auth
) -> AccountOut:
    """Change an account; `disabled: true` refuses its tokens in every process at once."""
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    for required in ("name", "role", "disabled"):
        if changes.get(required, "") is None:
            del changes[required]
    password = changes.pop("password", None)
    if password is not None:
        changes["password_hash"] = await run_in_threadpool(hash_password, password)
    if not changes:
        return await get_user(login, principal, auth)
    try:
        account = await auth.store.update(login, changes, principal)
    except AccountNotFound:
        raise not_found("account", login) from None
    await auth.changed()
    return AccountOut.of(account)


ROUTERS = (sessions, tokens, users)
