"""Real servers for the test suite, and processes the tests start and kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from pingan.run.settings import Settings


def wait_until(
    condition: Callable[[], Any], timeout_s: float = 20.0, what: str = "condition"
) -> Any:
    """Poll `condition` until it returns something truthy, or fail after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    delay = 0.01
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        time.sleep(delay)
        delay = min(delay * 1.5, 0.2)


def banner_token(proc: Proc) -> str:
    """The district-office token that `pingan up` prints in its banner."""
    for line in proc.output().splitlines():
        if line.startswith("  token:"):
            return line.split()[-1]
    raise AssertionError(f"no token in the banner:\n{proc.output()[-3000:]}")


def settings_env(settings: Settings) -> dict[str, str]:
    return {
        key.upper(): str(value.get_secret_value() if isinstance(value, SecretStr) else value)
        for key, value in settings.model_dump().items()
        if value is not None
    }


class Proc:
    """A `pingan` command run as its own process, its output kept in a file."""

    def __init__(
        self,
        args: list[str],
        env: Mapping[str, str],
        log_dir: Path,
        name: str,
        unset: tuple[str, ...] = (),
        module: str = "pingan",
    ) -> None:
        self.args = args
        self.log_path = log_dir / f"{name}.log"
        self._log = self.log_path.open("ab")
        inherited = {k: v for k, v in os.environ.items() if k not in unset}
        full_env = {**inherited, **env, "PYTHONUNBUFFERED": "1"}
        self.popen = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill9(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)
        self._log.close()

    def terminate(self, timeout_s: float = 15.0) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(10)
                raise AssertionError(
                    f"{self.args} ignored SIGTERM:\n{self.output()[-3000:]}"
                ) from None
        self._log.close()
        return self.popen.returncode


def postgres_pids(data_dir: Path) -> list[int]:
    """The postmaster of the server in `data_dir` and every process it started."""
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name in parentheses may hold spaces: the parent pid follows it.
        if int(stat.rpartition(")")[2].split()[1]) == postmaster:
            children.append(int(entry.name))
    return [postmaster, *children]


def signal_all(pids: list[int], signum: signal.Signals) -> None:
    for pid in pids:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass
