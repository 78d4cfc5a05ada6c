"""Long-running processes: signals, the HTTP server and the background workers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Coroutine, Generator, Sequence
from typing import Any, TypeVar

import uvicorn
from fastapi import FastAPI

from pingan.run.processes import stop_with_parent

log = logging.getLogger(__name__)

T = TypeVar("T")


class QuietServer(uvicorn.Server):
    """uvicorn without its own signal handling: the supervisor decides when to stop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run a long-running process's main coroutine on uvloop where it is installed: its
    transports make each socket write and read a fraction of the stdlib loop's cost, which is
    most of what a projector or an API worker spends between database round trips."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def stop_on_signals(stop: asyncio.Event) -> None:
    """Stop on Ctrl-C or SIGTERM, and, under `pingan up`, when the parent goes away."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    stop_with_parent(stop)


class PortInUse(OSError):
    pass


def bind(host: str, port: int) -> socket.socket:
    """A listening socket for the HTTP server (shared by worker processes)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # asyncio turns Nagle's algorithm off on accepted connections only when the listening
    # socket says it is TCP; with protocol 0 a keep-alive answer waits for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def http_server(app: FastAPI) -> QuietServer:
    config = uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False)
    return QuietServer(config)


async def serve_until(
    stop: asyncio.Event,
    *,
    server: QuietServer | None = None,
    sock: socket.socket | None = None,
    workers: Sequence[Coroutine[Any, Any, None]] = (),
    on_ready: Any = None,
) -> None:
    """Run the server and workers until `stop` is set or the server ends, then wind down."""
    tasks = [asyncio.create_task(worker) for worker in workers]
    server_task = None
    if server is not None:
        server_task = asyncio.create_task(server.serve(sockets=[sock] if sock else None))
        # uvicorn exposes start-up only as a flag, so it is polled.
        while not server.started and not server_task.done():  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        if server_task.done():
            stop.set()
    if on_ready is not None and not stop.is_set():
        on_ready()
    watch: list[asyncio.Task[Any]] = [asyncio.create_task(stop.wait())]
    if server_task is not None:
        watch.append(server_task)
    await asyncio.wait(watch, return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    if server is not None and server_task is not None:
        server.should_exit = True
        await server_task
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            log.error("worker ended with %r", result)
    for task in watch:
        task.cancel()
