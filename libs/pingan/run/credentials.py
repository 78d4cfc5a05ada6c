"""NATS passwords of a data dir: made at random on its first start, kept in a file only its
owner can read, and the same on every later start."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from pingan.bus.identity import NatsIdentity
from pingan.run.settings import Settings

MODE = 0o600


class UnknownNatsUser(LookupError):
    pass


def read_credentials(path: Path) -> dict[str, str]:
    loaded = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(loaded, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in loaded.items()
    ):
        raise ValueError(f"{path}: expected an object of user names and passwords")
    return loaded


def ensure_credentials(path: Path, users: Iterable[str]) -> dict[str, str]:
    """The passwords in `path`, with a new one for each user not there yet (a service added
    since); a user no longer wanted keeps its password, unused."""
    known = read_credentials(path) if path.exists() else {}
    wanted = {user: known.get(user) or secrets.token_urlsafe(24) for user in users}
    merged = {**known, **wanted}
    if merged != known:
        _write_private(path, merged)
    elif path.stat().st_mode & 0o777 != MODE:
        path.chmod(MODE)
    return merged


def _write_private(path: Path, credentials: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(credentials, out, indent=2, sort_keys=True)
        out.write("\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def identity_for(settings: Settings, user: str) -> NatsIdentity | None:
    """`user`'s NATS credentials: from the credentials file if one is set, else from
    NATS_USER/NATS_PASSWORD; None when neither is (the server then needs no login, or the
    URL carries one)."""
    if settings.nats_credentials_file is not None:
        credentials = read_credentials(settings.nats_credentials_file)
        if user not in credentials:
            raise UnknownNatsUser(f"no NATS credentials for {user!r} in the credentials file")
        return NatsIdentity(user, credentials[user])
    if settings.nats_user and settings.nats_password is not None:
        return NatsIdentity(settings.nats_user, settings.nats_password.get_secret_value())
    return None
