"""Evidence files, stored by the SHA-256 of their content: a directory in the embedded default,
an S3-compatible object store in a deployment."""

from pingan.files.media import ACCEPTED, detect_media_type
from pingan.files.store import (
    FileNotStored,
    FilesNotStored,
    FileStore,
    FileStoreUnavailable,
    StoredFile,
    is_sha256,
)

__all__ = [
    "ACCEPTED",
    "FileNotStored",
    "FileStore",
    "FileStoreUnavailable",
    "FilesNotStored",
    "StoredFile",
    "detect_media_type",
    "is_sha256",
]
