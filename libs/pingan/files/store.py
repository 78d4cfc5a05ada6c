"""What a file store is: content in, content out, named by its SHA-256.

The same content stored twice is one file, and its first name and type stay: a second upload
changes nothing. A file is visible under its hash only once all of it is stored.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

CHUNK_BYTES = 64 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def is_sha256(value: str) -> bool:
    """A hash as the stores name files: 64 lower-case hex digits."""
    return bool(_SHA256.match(value))


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    media_type: str
    name: str


class FileNotStored(LookupError):
    def __init__(self, sha256: str) -> None:
        super().__init__(sha256)
        self.sha256 = sha256


class FilesNotStored(LookupError):
    """A command names files that the store does not hold."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"no file is stored with sha256 {', '.join(missing)}")
        self.missing = missing


class FileStoreUnavailable(RuntimeError):
    """The store cannot be reached (the object store is down or refuses the service)."""


class FileStore(ABC):
    """Blocking, like the files and the S3 client beneath it: call it from a worker thread."""

    @abstractmethod
    def put(self, source: BinaryIO, *, media_type: str, name: str) -> StoredFile:
        """Store what `source` holds from its current position to its end."""

    @abstractmethod
    def stat(self, sha256: str) -> StoredFile | None:
        """The stored file with this hash, or None."""

    @abstractmethod
    def read(self, sha256: str) -> Iterator[bytes]:
        """The file's content in chunks; FileNotStored if there is none."""

    def missing(self, hashes: Iterable[str]) -> list[str]:
        """Those of `hashes` that name no stored file, in their order."""
        return [h for h in hashes if not is_sha256(h) or self.stat(h) is None]

    def resolve(self, hashes: Iterable[str]) -> list[StoredFile]:
        """The stored files these hashes name, in their order; FilesNotStored naming every one
        that the store does not hold."""
        wanted = list(dict.fromkeys(hashes))
        found = {h: self.stat(h) if is_sha256(h) else None for h in wanted}
        missing = [h for h, stored in found.items() if stored is None]
        if missing:
            raise FilesNotStored(missing)
        return [stored for stored in found.values() if stored is not None]

    def close(self) -> None:  # noqa: B027 - most stores hold nothing to close
        """Release what the store holds open."""


def hashed_chunks(source: BinaryIO, update: Callable[[bytes], None]) -> Iterator[bytes]:
    """`source`'s chunks, each given to `update` (a hash's) as it passes."""
    while chunk := source.read(CHUNK_BYTES):
        update(chunk)
        yield chunk
