"""One `pingan up` per data directory, held by a lock file for the life of the process.

The kernel drops a `flock` when its process dies, however it dies, so a lock left by a killed
instance never blocks the next one; the file's contents only describe the holder.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

LOCK_FILE = "pingan.lock"


@dataclass(frozen=True)
class InstanceInfo:
    pid: int
    url: str | None = None

    def describe(self) -> str:
        return f"pid {self.pid}, {self.url}" if self.url else f"pid {self.pid}"


class DataDirInUse(RuntimeError):
    def __init__(self, data_dir: Path, holder: InstanceInfo | None) -> None:
        self.data_dir = data_dir
        self.holder = holder
        who = holder.describe() if holder else "pid unknown"
        super().__init__(
            f"数据目录 {data_dir} 正由另一个 Pingan 实例使用 ({who})。\n"
            f"data directory {data_dir} is in use by another `pingan up` ({who}); "
            "stop it first, or pass another --data-dir"
        )


class InstanceLock:
    """An exclusive, non-blocking lock on `<data_dir>/pingan.lock` naming its holder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock at once or raise `DataDirInUse`; never waits."""
        # os.open makes the descriptor non-inheritable, so that no server started later
        # (PostgreSQL outlives its parent) keeps the lock alive.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DataDirInUse(self.data_dir, read_holder(self.path)) from None
        self._fd = fd
        self.record(InstanceInfo(pid=os.getpid()))

    def record(self, info: InstanceInfo) -> None:
        """Describe the holder in the lock file (it is read only by a refused instance)."""
        if self._fd is None:
            raise RuntimeError("the instance lock is not held")
        data = json.dumps(asdict(info)).encode()
        # Written before cutting to length, so a reader never sees an empty file mid-update.
        os.pwrite(self._fd, data, 0)
        os.ftruncate(self._fd, len(data))

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def read_holder(path: Path) -> InstanceInfo | None:
    """What the lock file says about its holder; None if it says nothing usable yet."""
    try:
        data = json.loads(path.read_text())
        url = data.get("url")
        return InstanceInfo(pid=int(data["pid"]), url=str(url) if url else None)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
