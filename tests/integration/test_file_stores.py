"""Both file stores keep content by its SHA-256: the same tests over a directory and over an
S3-compatible server (moto in server mode, started by the suite)."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pingan.files import FileNotStored, FileStore, StoredFile
from pingan.files.directory import PARTIAL, DirectoryStore
from pingan.files.s3 import S3Location, S3Store
from tests.servers import wait_until

PHOTO = b"\xff\xd8\xff\xe0" + os.urandom(200 * 1024)


@pytest.fixture(params=["directory", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FileStore]:
    if request.param == "directory":
        made: FileStore = DirectoryStore(tmp_path / "files")
    else:
        location: S3Location = request.getfixturevalue("s3_location")
        made = S3Store(location, create_bucket=True)
    try:
        yield made
    finally:
        made.close()


def test_a_file_is_stored_under_its_sha256_and_read_back_whole(store: FileStore) -> None:
    stored = store.put(io.BytesIO(PHOTO), media_type="image/jpeg", name="整改前.jpg")

    sha256 = hashlib.sha256(PHOTO).hexdigest()
    assert stored == StoredFile(sha256, len(PHOTO), "image/jpeg", "整改前.jpg")
    assert store.stat(sha256) == stored
    assert b"".join(store.read(sha256)) == PHOTO


def test_the_same_content_twice_is_one_file_and_keeps_its_first_name(store: FileStore) -> None:
    first = store.put(io.BytesIO(PHOTO), media_type="image/jpeg", name="a.jpg")
    second = store.put(io.BytesIO(PHOTO), media_type="image/jpeg", name="b.jpg")

    assert second == first
    assert store.stat(first.sha256) == first


def test_an_unknown_hash_is_missing_and_cannot_be_read(store: FileStore) -> None:
    kept = store.put(io.BytesIO(b"%PDF-1.7 report"), media_type="application/pdf", name="r.pdf")
    unknown = hashlib.sha256(b"never stored").hexdigest()

    assert store.stat(unknown) is None
    assert store.missing([kept.sha256, unknown, "not-a-hash"]) == [unknown, "not-a-hash"]
    with pytest.raises(FileNotStored):
        store.read(unknown)
    with pytest.raises(FileNotStored):
        store.read("../../etc/passwd")


def test_an_empty_file_is_a_file(store: FileStore) -> None:
    stored = store.put(io.BytesIO(b""), media_type="application/pdf", name="empty.pdf")

    assert (stored.sha256, stored.size) == (hashlib.sha256(b"").hexdigest(), 0)
    assert b"".join(store.read(stored.sha256)) == b""


class _Broken(io.RawIOBase):
    """A source that fails half way, as a client that goes away does."""

    def __init__(self, data: bytes) -> None:
        self.source = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.source.tell() >= len(PHOTO) // 2:
            raise ConnectionResetError("client gone")
        return self.source.read(size)


def test_a_source_that_fails_half_way_leaves_nothing_behind(store: FileStore) -> None:
    with pytest.raises(ConnectionResetError):
        store.put(_Broken(PHOTO), media_type="image/jpeg", name="cut.jpg")  # type: ignore[arg-type]

    assert store.stat(hashlib.sha256(PHOTO).hexdigest()) is None
    assert store.put(io.BytesIO(PHOTO), media_type="image/jpeg", name="whole.jpg").size == len(
        PHOTO
    )


WRITER = """
import sys
from pathlib import Path
from pingan.files.directory import DirectoryStore
DirectoryStore(Path(sys.argv[1])).put(sys.stdin.buffer, media_type="image/jpeg", name="x.jpg")
"""


def test_a_writer_killed_mid_file_leaves_no_file_under_its_hash(tmp_path: Path) -> None:
    root = tmp_path / "files"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root)], stdin=subprocess.PIPE, start_new_session=True
    )
    assert writer.stdin is not None
    writer.stdin.write(PHOTO[: len(PHOTO) // 2])
    writer.stdin.flush()
    partial = root / PARTIAL
    wait_until(
        lambda: any(p.stat().st_size > 0 for p in partial.glob("upload-*")),
        what="the writer's partial file",
    )
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(10)
    writer.stdin.close()

    store = DirectoryStore(root)
    sha256 = hashlib.sha256(PHOTO).hexdigest()
    assert store.stat(sha256) is None
    assert [p for p in root.rglob("*") if p.is_file() and PARTIAL not in p.parts] == []
    stored = store.put(io.BytesIO(PHOTO), media_type="image/jpeg", name="again.jpg")
    assert stored.sha256 == sha256 and b"".join(store.read(sha256)) == PHOTO


def test_content_without_its_details_is_not_a_stored_file(tmp_path: Path) -> None:
    store = DirectoryStore(tmp_path / "files")
    stored = store.put(io.BytesIO(PHOTO), media_type="image/jpeg", name="p.jpg")
    (tmp_path / "files" / stored.sha256[:2] / f"{stored.sha256}.json").unlink()

    assert store.stat(stored.sha256) is None
