"""Files over HTTP: an upload taken into a file store, and a stored file served back.

An upload is refused before it is stored when it is larger than the bound (413), when its
content is none of the accepted types (415), or when its name claims another type than its
content is (415): the type comes from the content's first bytes, never from the name or the
Content-Type the client sent.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import BinaryIO
from urllib.parse import quote

from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from pingan.api.problems import Problem
from pingan.files.media import ACCEPTED, HEAD_BYTES, detect_media_type, extension_fits
from pingan.files.store import FileStore, StoredFile, is_sha256

MAX_NAME_CHARS = 200
_SEPARATORS = re.compile(r"[\\/]")


class FileUploaded(BaseModel):
    sha256: str = Field(description="SHA-256 of the content: how commands refer to the file")
    size: int = Field(description="Bytes")
    media_type: str = Field(description="The type told from the content")
    name: str = Field(description="The file's name, as first uploaded")
    href: str = Field(description="Where the file is served back")


def accepted_types() -> list[str]:
    return list(ACCEPTED)


def file_too_large(limit: int) -> Problem:
    return Problem(
        413,
        "file-too-large",
        f"the file is larger than {limit} bytes",
        params={"limit": limit},
        max_bytes=limit,
    )


def file_type_refused(name: str) -> Problem:
    return Problem(
        415,
        "file-type-refused",
        f"{name} is none of the accepted types (JPEG, PNG, HEIC/HEIF, WebP photos, PDF)",
        params={"name": name},
        accepted_types=accepted_types(),
    )


def file_name_mismatch(name: str, media_type: str) -> Problem:
    return Problem(
        415,
        "file-name-mismatch",
        f"{name} is named as another type than its content, which is {media_type}",
        params={"name": name, "media_type": media_type},
        detected_type=media_type,
        accepted_types=accepted_types(),
    )


def file_not_found(sha256: str) -> Problem:
    return Problem(
        404, "not-found", f"no file with sha256 {sha256}", params={"what": "file", "id": sha256}
    )


def clean_name(name: str | None) -> str:
    """The last part of a client's path, without control characters, bounded in length."""
    last = _SEPARATORS.split(name or "")[-1]
    kept = "".join(c for c in last if unicodedata.category(c)[0] != "C").strip()
    if len(kept) > MAX_NAME_CHARS:
        stem, dot, extension = kept.rpartition(".")
        kept = (stem[: MAX_NAME_CHARS - len(extension) - 1] + dot + extension) if dot else kept
        kept = kept[:MAX_NAME_CHARS]
    return kept


def take_upload(
    store: FileStore, source: BinaryIO, size: int | None, name: str | None, max_bytes: int
) -> StoredFile:
    """Check an upload (a seekable file, as a multipart parser spools it) and store it.
    Blocking: call it from a worker thread."""
    if size is None:
        size = source.seek(0, io.SEEK_END)
        source.seek(0)
    if size > max_bytes:
        raise file_too_large(max_bytes)
    head = source.read(HEAD_BYTES)
    source.seek(0)
    cleaned = clean_name(name)
    media_type = detect_media_type(head)
    if media_type is None:
        raise file_type_refused(cleaned or "the file")
    if not extension_fits(cleaned, media_type):
        raise file_name_mismatch(cleaned, media_type)
    return store.put(source, media_type=media_type, name=cleaned)


def serve_file(store: FileStore, sha256: str) -> StreamingResponse:
    """The stored file, streamed with its type; its content never changes under its hash, so
    a client may keep it. Blocking: call it from a worker thread."""
    stored = store.stat(sha256) if is_sha256(sha256) else None
    if stored is None:
        raise file_not_found(sha256)
    headers = {
        "Content-Length": str(stored.size),
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(stored.name, safe='')}",
        "ETag": f'"{stored.sha256}"',
        "Cache-Control": "private, max-age=31536000, immutable",
        # Browsers must not second-guess the type (a PDF is not to run as a page).
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
    }
    return StreamingResponse(store.read(sha256), media_type=stored.media_type, headers=headers)
