"""The `pingan token`, `pingan keys` and `pingan users` commands."""

from __future__ import annotations

import asyncio
import getpass
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import click

from pingan.auth.accounts import AccountExists, AccountNotFound, AccountStore
from pingan.auth.keys import KeyFileError, KeyFiles, new_private_pem, rotate
from pingan.auth.passwords import hash_password
from pingan.auth.principal import ROLE_TITLES, Principal, Role
from pingan.auth.runtime import key_files, open_accounts, token_policy
from pingan.auth.tokens import issue
from pingan.reference import UnknownArea, current_district, load_district, use_district
from pingan.run.settings import Settings

T = TypeVar("T")

KEYS_DIR = "keys"


def keys_in(data_dir: Path) -> KeyFiles:
    """Where `pingan up` keeps the keys of its data directory."""
    return KeyFiles.in_dir(data_dir.expanduser().resolve() / KEYS_DIR)


def _files(data_dir: Path | None) -> KeyFiles:
    return keys_in(data_dir) if data_dir is not None else key_files(Settings())


def _township(value: str | None) -> str | None:
    if value is None:
        return None
    use_district(load_district(Settings().areas_file))
    try:
        return current_district().township(value).name
    except UnknownArea as exc:
        close = "、".join(exc.matches) or "-"
        raise click.BadParameter(
            f"本区没有乡镇(街道)「{value}」(no such township); 相近 (close matches): {close}",
            param_hint="--township",
        ) from None


ROLE = click.option(
    "--role", required=True, type=click.Choice([r.value for r in Role]), help="The role."
)
TOWNSHIP = click.option("--township", help="Township or street (乡镇/街道), for its officers.")
STATION = click.option("--station", help="Police station (派出所), for police.")
DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The data directory of `pingan up`; without it, the key files that the settings "
    "name (AUTH_SIGNING_KEY_FILE, AUTH_PUBLIC_KEYS_FILE).",
)


def office_token(files: KeyFiles, ttl: timedelta = timedelta(days=1)) -> str:
    """A district-office token: how a new installation gets in before it has accounts."""
    return issue(
        files.signing_key(),
        token_policy(Settings()),
        subject="token:district_office",
        name=ROLE_TITLES[Role.DISTRICT_OFFICE],
        role=Role.DISTRICT_OFFICE,
        ttl=ttl,
    ).token


@click.command()
@DATA_DIR
@ROLE
@TOWNSHIP
@STATION
@click.option("--name", help="The name recorded as who acted (default: the role's title).")
@click.option("--subject", help="The token's subject (default: token:<role>).")
@click.option(
    "--ttl",
    type=click.FloatRange(min=0, min_open=True),
    default=24.0,
    show_default=True,
    help="Hours until the token expires.",
)
def token(
    data_dir: Path | None,
    role: str,
    township: str | None,
    station: str | None,
    name: str | None,
    subject: str | None,
    ttl: float,
) -> None:
    """Print a bearer token signed with the data directory's (or the configured) key."""
    chosen = Role(role)
    canonical = _township(township)
    if chosen is Role.TOWNSHIP_OFFICER and canonical is None:
        raise click.BadParameter("a township officer needs --township", param_hint="--township")
    try:
        key = _files(data_dir).signing_key()
    except KeyFileError as exc:
        raise click.ClickException(str(exc)) from exc
    issued = issue(
        key,
        token_policy(Settings()),
        subject=subject or f"token:{chosen.value}",
        name=name or ROLE_TITLES[chosen],
        role=chosen,
        township=canonical,
        station=station,
        ttl=timedelta(hours=ttl),
    )
    click.echo(issued.token)


@click.group()
def keys() -> None:
    """Make and rotate the Ed25519 key that signs tokens."""


@keys.command("new")
def keys_new() -> None:
    """Print a new signing key (PEM) for a deployment's secret; nothing is written."""
    click.echo(new_private_pem().decode(), nl=False)


@keys.command("rotate")
@DATA_DIR
def keys_rotate(data_dir: Path | None) -> None:
    """Sign new tokens with a new key; tokens signed before stay valid until they expire."""
    try:
        kid = rotate(_files(data_dir))
    except KeyFileError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(kid)


@keys.command("list")
@DATA_DIR
def keys_list(data_dir: Path | None) -> None:
    """The ids of the keys that verify tokens; the signing key's is marked with *."""
    files = _files(data_dir)
    try:
        current = files.signing_key().kid if files.signing and files.signing.exists() else None
        kids = sorted(files.public_keys())
    except KeyFileError as exc:
        raise click.ClickException(str(exc)) from exc
    for kid in kids:
        click.echo(f"{'*' if kid == current else ' '} {kid}")


def _operator() -> Principal:
    login = getpass.getuser()
    return Principal(f"cli:{login}", login, Role.DISTRICT_OFFICE, None, None, "cli")


def _with_store(action: Callable[[AccountStore], Awaitable[T]]) -> T:
    async def run() -> T:
        pool = await open_accounts(Settings())
        try:
            return await action(AccountStore(pool))
        finally:
            await pool.close()

    return asyncio.run(run())


@click.group()
def users() -> None:
    """Keep the register of users (in the accounts database that DATABASE_URL names)."""


@users.command("add")
@click.argument("login")
@click.option("--name", required=True, help="Display name, e.g. 王芳.")
@ROLE
@TOWNSHIP
@STATION
@click.password_option(help="Asked for when not given.")
def users_add(
    login: str, name: str, role: str, township: str | None, station: str | None, password: str
) -> None:
    """Open an account."""
    from pydantic import ValidationError

    from pingan.auth.schemas import NewAccount

    try:
        account = NewAccount(
            login=login,
            name=name,
            role=Role(role),
            township=_township(township),
            station=station,
            password=password,
        )
    except ValidationError as exc:
        raise click.BadParameter("; ".join(e["msg"] for e in exc.errors())) from None

    async def add(store: AccountStore) -> None:
        await store.add(
            login=account.login,
            name=account.name,
            role=account.role,
            township=account.township,
            station=account.station,
            password_hash=hash_password(account.password),
            actor=_operator(),
        )

    try:
        _with_store(add)
    except AccountExists as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"added {login}")


def _set_disabled(login: str, disabled: bool) -> None:
    try:
        _with_store(lambda store: store.update(login, {"disabled": disabled}, _operator()))
    except AccountNotFound as exc:
        raise click.ClickException(str(exc)) from exc


@users.command("disable")
@click.argument("login")
def users_disable(login: str) -> None:
    """Disable an account: its tokens are refused at once, everywhere."""
    _set_disabled(login, True)
    click.echo(f"disabled {login}")


@users.command("enable")
@click.argument("login")
def users_enable(login: str) -> None:
    """Enable a disabled account again."""
    _set_disabled(login, False)
    click.echo(f"enabled {login}")


@users.command("list")
def users_list() -> None:
    """Every account: login, name, role, township or station, state."""
    for a in _with_store(lambda store: store.all()):
        where = a.township or a.station or "-"
        state = "disabled" if a.disabled else "active"
        click.echo(f"{a.login}\t{a.name}\t{a.role.value}\t{where}\t{state}")


COMMANDS = (token, keys, users)
