"""The file store a service's settings name."""

from __future__ import annotations

from pingan.files.directory import DirectoryStore
from pingan.files.store import FileStore
from pingan.run.settings import Settings


def open_file_store(settings: Settings, service: str) -> FileStore:
    """The service's own part of the store: a folder of the directory, a prefix of the bucket."""
    if settings.files_backend == "s3":
        # boto3 takes a good part of a second to import, in every process that serves.
        from pingan.files.s3 import S3Location, S3Store

        secret = settings.files_s3_secret_access_key
        location = S3Location(
            bucket=settings.files_s3_bucket,
            prefix=f"{service}/",
            endpoint_url=settings.files_s3_endpoint_url,
            region=settings.files_s3_region,
            access_key_id=settings.files_s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret is not None else None,
        )
        return S3Store(location, create_bucket=settings.files_s3_create_bucket)
    return DirectoryStore(settings.files_dir.expanduser() / service)
