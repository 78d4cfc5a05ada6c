"""A group of `pingan` child processes, each one of the commands an operator could run alone
(`serve`, `relay`, `project`, `react`, `jobs`), kept running until the group is stopped.

A child says it is ready with one line on its stdout, and stops by itself when its stdin
closes, so that children never outlive a parent that was killed. A child that dies is started
again after a back-off that grows while it keeps dying early. uvicorn's own multi-process
mode serves only an app; this group also carries the relays and consumers, one supervisor for
all of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

SUPERVISED_ENV = "PINGAN_SUPERVISED"
READY_LINE = "pingan-ready"


@dataclass(frozen=True)
class ChildSpec:
    """One child: a name for the logs and the `pingan` arguments it runs with."""

    name: str
    args: tuple[str, ...]
    pass_fds: tuple[int, ...] = ()


class ChildFailed(RuntimeError):
    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"{name} {detail}")
        self.name = name


@dataclass
class _Child:
    spec: ChildSpec
    process: asyncio.subprocess.Process
    ready: asyncio.Event
    started_at: float
    failures: int = 0


class ProcessGroup:
    def __init__(
        self,
        children: Sequence[ChildSpec],
        env: Mapping[str, str],
        *,
        backoff_s: tuple[float, float] = (0.2, 10.0),
        stable_s: float = 30.0,
    ) -> None:
        self._specs = list(children)
        self._children: list[_Child] = []
        self._env = {**os.environ, **env, SUPERVISED_ENV: "1", "PYTHONUNBUFFERED": "1"}
        self._backoff_s = backoff_s
        self._stable_s = stable_s
        self._stopping = False
        self._tasks: set[asyncio.Task[None]] = set()

    def pids(self) -> dict[str, int]:
        return {c.spec.name: c.process.pid for c in self._children if c.process.returncode is None}

    async def start(self, ready_timeout_s: float) -> None:
        """Start every child and wait until each says it is ready (or fail naming it)."""
        for spec in self._specs:
            self._children.append(_Child(spec, *await self._spawn(spec), time.monotonic()))
        deadline = time.monotonic() + ready_timeout_s
        for child in self._children:
            await self._await_ready(child, deadline - time.monotonic())

    async def supervise(self, stop: asyncio.Event) -> None:
        """Restart children that die, until `stop` is set; then stop them all."""
        for child in self._children:
            self._watch(child)
        await stop.wait()
        await self.stop()

    async def stop(self, grace_s: float = 15.0) -> None:
        self._stopping = True
        running = [c.process for c in self._children if c.process.returncode is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        waits = [asyncio.create_task(p.wait()) for p in running]
        if waits:
            await asyncio.wait(waits, timeout=grace_s)
            for process in running:
                if process.returncode is None:
                    log.warning("child %d did not stop in %.0f s; killing it", process.pid, grace_s)
                    with contextlib.suppress(ProcessLookupError):
                        process.kill()
            await asyncio.gather(*waits)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _spawn(self, spec: ChildSpec) -> tuple[asyncio.subprocess.Process, asyncio.Event]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "pingan",
            *spec.args,
            env=self._env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            pass_fds=spec.pass_fds,
        )
        ready = asyncio.Event()
        if process.stdout is not None:
            self._track(_read_stdout(process.stdout, ready))
        return process, ready

    async def _await_ready(self, child: _Child, timeout_s: float) -> None:
        ready = asyncio.create_task(child.ready.wait())
        ended = asyncio.create_task(child.process.wait())
        await asyncio.wait(
            {ready, ended}, timeout=max(timeout_s, 0), return_when=asyncio.FIRST_COMPLETED
        )
        ready.cancel()
        ended.cancel()
        if child.ready.is_set():
            return
        if child.process.returncode is not None:
            raise ChildFailed(child.spec.name, f"exited with code {child.process.returncode}")
        raise ChildFailed(child.spec.name, f"was not ready within {timeout_s:.0f} s")

    def _watch(self, child: _Child) -> None:
        self._track(self._keep_running(child))

    async def _keep_running(self, child: _Child) -> None:
        while not self._stopping:
            code = await child.process.wait()
            if self._stopping:
                return
            lived = time.monotonic() - child.started_at
            child.failures = 0 if lived >= self._stable_s else child.failures + 1
            first, most = self._backoff_s
            delay = min(first * 2 ** max(child.failures - 1, 0), most)
            log.warning(
                "%s (pid %d) ended with code %s after %.1f s; starting it again in %.1f s",
                child.spec.name,
                child.process.pid,
                code,
                lived,
                delay,
            )
            await asyncio.sleep(delay)
            if not self._stopping:
                child.process, child.ready = await self._spawn(child.spec)
                child.started_at = time.monotonic()

    def _track(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


async def _read_stdout(stdout: asyncio.StreamReader, ready: asyncio.Event) -> None:
    """Note the ready line; pass anything else a child prints on to our own stdout."""
    async for raw in stdout:
        line = raw.decode(errors="replace").rstrip("\n")
        if line == READY_LINE:
            ready.set()
        else:
            print(line, flush=True)


def supervised() -> bool:
    return os.environ.get(SUPERVISED_ENV) == "1"


def announce_ready() -> None:
    """Tell the supervising parent, if any, that this process is ready."""
    if supervised():
        print(READY_LINE, flush=True)


def stop_with_parent(stop: asyncio.Event) -> None:
    """Set `stop` when the supervising parent goes away (its end of our stdin closes)."""
    if not supervised():
        return
    loop = asyncio.get_running_loop()
    fd = sys.stdin.fileno()

    def readable() -> None:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            loop.remove_reader(fd)
            stop.set()

    loop.add_reader(fd, readable)
