"""Files in a directory: `<root>/<first two hex digits>/<sha256>` beside its `.json` details.

A file is written to a temporary file in `<root>/.partial/`, flushed to disk and renamed into
place, its details first and its content last: a crash at any point leaves at most a partial
file under `.partial/`, never one under its hash, and a file is visible only with its details.
Renames within one file system are atomic, so two processes storing the same content at once
both end with the one whole file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pingan.files.store import (
    CHUNK_BYTES,
    FileNotStored,
    FileStore,
    StoredFile,
    hashed_chunks,
    is_sha256,
)

PARTIAL = ".partial"
#: Partial files older than this are a crashed writer's, and removed when a store opens.
STALE_PARTIAL_S = 3600.0


class DirectoryStore(FileStore):
    def __init__(self, root: Path) -> None:
        self.root = root
        self.partial = root / PARTIAL
        self.partial.mkdir(parents=True, exist_ok=True)
        self._sweep()

    def _sweep(self) -> None:
        cutoff = time.time() - STALE_PARTIAL_S
        for leftover in self.partial.iterdir():
            with contextlib.suppress(FileNotFoundError):
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()

    def _content(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def _details(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.json"

    def put(self, source: BinaryIO, *, media_type: str, name: str) -> StoredFile:
        digest = hashlib.sha256()
        size = 0
        fd, temp_name = tempfile.mkstemp(dir=self.partial, prefix="upload-")
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in hashed_chunks(source, digest.update):
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            existing = self.stat(sha256)
            if existing is not None:
                return existing
            stored = StoredFile(sha256, size, media_type, name)
            folder = self._content(sha256).parent
            folder.mkdir(exist_ok=True)
            details = {"size": size, "media_type": media_type, "name": name}
            self._write_atomically(
                self._details(sha256), json.dumps(details, ensure_ascii=False).encode()
            )
            os.replace(temp, self._content(sha256))
            _sync_directory(folder)
            return stored
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()

    def _write_atomically(self, target: Path, data: bytes) -> None:
        fd, temp_name = tempfile.mkstemp(dir=self.partial, prefix="details-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp_name, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)

    def stat(self, sha256: str) -> StoredFile | None:
        if not is_sha256(sha256):
            return None
        content = self._content(sha256)
        try:
            size = content.stat().st_size
            details = json.loads(self._details(sha256).read_bytes())
        except FileNotFoundError:
            return None
        return StoredFile(sha256, size, str(details["media_type"]), str(details["name"]))

    def read(self, sha256: str) -> Iterator[bytes]:
        if self.stat(sha256) is None:
            raise FileNotStored(sha256)
        return _chunks(self._content(sha256))


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as source:
        while chunk := source.read(CHUNK_BYTES):
            yield chunk


def _sync_directory(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
