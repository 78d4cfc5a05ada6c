"""Files in memory: for unit tests on the in-memory event store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import BinaryIO

from pingan.files.store import FileNotStored, FileStore, StoredFile, is_sha256


class MemoryStore(FileStore):
    def __init__(self) -> None:
        self._files: dict[str, tuple[StoredFile, bytes]] = {}

    def put(self, source: BinaryIO, *, media_type: str, name: str) -> StoredFile:
        data = source.read()
        sha256 = hashlib.sha256(data).hexdigest()
        if sha256 not in self._files:
            self._files[sha256] = (StoredFile(sha256, len(data), media_type, name), data)
        return self._files[sha256][0]

    def stat(self, sha256: str) -> StoredFile | None:
        found = self._files.get(sha256) if is_sha256(sha256) else None
        return None if found is None else found[0]

    def read(self, sha256: str) -> Iterator[bytes]:
        if sha256 not in self._files:
            raise FileNotStored(sha256)
        return iter([self._files[sha256][1]])
