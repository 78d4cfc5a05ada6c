"""Files in an S3-compatible object store (MinIO in docker-compose), through boto3.

Each file is one object, `<prefix><sha256>`, its type as the object's Content-Type and its
name in the object's metadata (percent-encoded: metadata travels in HTTP headers, which carry
no Chinese). A PUT is atomic in S3: an object is visible whole or not at all, and the store
checks the content against its SHA-256 (`ChecksumSHA256`), so a body cut short is refused.
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import quote, unquote

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.response import StreamingBody

from pingan.files.store import (
    CHUNK_BYTES,
    FileNotStored,
    FileStore,
    FileStoreUnavailable,
    StoredFile,
    hashed_chunks,
    is_sha256,
)

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

NAME_KEY = "name"
#: Uploads up to this size stay in memory while they are hashed; larger ones spill to disk.
SPOOL_BYTES = 1024 * 1024


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str = ""
    endpoint_url: str | None = None
    region: str = "us-east-1"
    access_key_id: str | None = None
    secret_access_key: str | None = None
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0


class S3Store(FileStore):
    def __init__(self, location: S3Location, *, create_bucket: bool = False) -> None:
        self.location = location
        self.client: S3Client = boto3.client(
            "s3",
            endpoint_url=location.endpoint_url,
            region_name=location.region,
            aws_access_key_id=location.access_key_id,
            aws_secret_access_key=location.secret_access_key,
            config=Config(
                connect_timeout=location.connect_timeout_s,
                read_timeout=location.read_timeout_s,
                retries={"max_attempts": 3, "mode": "standard"},
                # Path-style addressing: MinIO and other self-hosted stores have no
                # per-bucket host names.
                s3={"addressing_style": "path"},
            ),
        )
        if create_bucket:
            with _reachable():
                self._ensure_bucket()

    def _ensure_bucket(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.location.bucket)
        except ClientError as error:
            if _status(error) != 404:
                raise
            self.client.create_bucket(Bucket=self.location.bucket)

    def _key(self, sha256: str) -> str:
        return f"{self.location.prefix}{sha256}"

    def put(self, source: BinaryIO, *, media_type: str, name: str) -> StoredFile:
        digest = hashlib.sha256()
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            for chunk in hashed_chunks(source, digest.update):
                spool.write(chunk)
            size = spool.tell()
            sha256 = digest.hexdigest()
            existing = self.stat(sha256)
            if existing is not None:
                return existing
            spool.seek(0)
            with _reachable():
                self.client.put_object(
                    Bucket=self.location.bucket,
                    Key=self._key(sha256),
                    Body=spool,
                    ContentLength=size,
                    ContentType=media_type,
                    ChecksumSHA256=base64.b64encode(digest.digest()).decode(),
                    Metadata={NAME_KEY: quote(name, safe="")},
                )
        return StoredFile(sha256, size, media_type, name)

    def stat(self, sha256: str) -> StoredFile | None:
        if not is_sha256(sha256):
            return None
        try:
            with _reachable(404):
                head = self.client.head_object(Bucket=self.location.bucket, Key=self._key(sha256))
        except ClientError:
            return None
        name = unquote(head.get("Metadata", {}).get(NAME_KEY, sha256))
        return StoredFile(sha256, head["ContentLength"], head["ContentType"], name)

    def read(self, sha256: str) -> Iterator[bytes]:
        if not is_sha256(sha256):
            raise FileNotStored(sha256)
        try:
            with _reachable(404):
                answer = self.client.get_object(Bucket=self.location.bucket, Key=self._key(sha256))
        except ClientError:
            raise FileNotStored(sha256) from None
        return _chunks(answer["Body"])

    def close(self) -> None:
        self.client.close()


def _chunks(body: StreamingBody) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK_BYTES)
    finally:
        body.close()


@contextmanager
def _reachable(*passed: int) -> Iterator[None]:
    """Failures to reach the store become FileStoreUnavailable; a client error whose status
    is one of `passed` (404: no such object) goes through as it is."""
    try:
        yield
    except ClientError as error:
        if _status(error) in passed:
            raise
        raise FileStoreUnavailable(f"the file store refused the request: {error}") from error
    except BotoCoreError as error:
        raise FileStoreUnavailable(f"the file store cannot be reached: {error}") from error


def _status(error: ClientError) -> int:
    meta = error.response.get("ResponseMetadata", {})
    return int(meta.get("HTTPStatusCode", 0))
