"""Process settings, read from the environment (and a `.env` file if present)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

OFFICE_TIMEZONE = "Asia/Shanghai"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    nats_url: str = "nats://127.0.0.1:4222"
    # Each service logs in as itself: from a file of every service's password (`pingan up`),
    # or as the one user a container runs as.
    nats_credentials_file: Path | None = None
    nats_user: str | None = None
    nats_password: SecretStr | None = None
    database_url: str = "postgresql://postgres@127.0.0.1:5432/postgres"
    database_prefix: str = "pingan_"

    stream_duplicate_window_s: float = Field(default=24 * 3600, gt=0)
    stream_replicas: int = Field(default=1, ge=1)

    relay_batch_size: int = Field(default=500, ge=1)
    relay_poll_interval_s: float = Field(default=1.0, gt=0)
    relay_publish_timeout_s: float = Field(default=5.0, gt=0)
    relay_lock_retry_s: float = Field(default=2.0, gt=0)

    projection_batch_size: int = Field(default=256, ge=1)
    projection_fetch_timeout_s: float = Field(default=1.0, gt=0)
    projection_ack_wait_s: float = Field(default=30.0, gt=0)
    projection_max_deliver: int = Field(default=5, ge=2)

    areas_file: Path | None = Field(
        default=None,
        description="JSON or YAML of extra or renamed areas, laid over the shipped ones",
    )

    timezone: str = OFFICE_TIMEZONE
    job_interval_s: float = Field(default=300.0, gt=0)

    consistency_timeout_s: float = Field(default=5.0, ge=0)
    consistency_max_timeout_s: float = Field(default=30.0, ge=0)
    # Queries waiting at once per process; one more is answered 503 at once.
    consistency_max_waiters: int = Field(default=256, ge=1)
    consistency_listen_retry_s: float = Field(default=0.5, gt=0)

    db_connect_timeout_s: int = Field(default=2, ge=1)
    db_pool_size: int = Field(default=5, ge=1)
    db_max_waiting: int = Field(default=20, ge=1)
    # Bounds on every database connection (both clients): see "Time budgets" in README.md.
    db_statement_timeout_s: float = Field(default=2.0, gt=0)
    db_lock_timeout_s: int = Field(default=1, ge=1)
    db_idle_in_transaction_s: int = Field(default=5, ge=1)
    db_tcp_user_timeout_s: float = Field(default=2.0, gt=0)
    db_reconnect_interval_s: float = Field(default=0.2, gt=0)
    db_pool_wait_s: float = Field(default=1.0, gt=0)
    command_budget_s: float = Field(default=5.0, gt=0)
    readyz_budget_s: float = Field(default=1.0, gt=0)
    # Aggregates kept in memory between commands; each get still reads any newer events
    # (fast-forward), so several processes writing the same aggregates stay correct.
    aggregate_cache_size: int = Field(default=1000, ge=0)

    # Bearer tokens. Only the accounts service needs the signing key; every other API
    # verifies with public keys: the signing key's own, and the earlier ones kept in the
    # bundle after a rotation.
    auth_signing_key_file: Path | None = Field(
        default=None, description="PEM Ed25519 private key that signs tokens"
    )
    auth_public_keys_file: Path | None = Field(
        default=None, description="PEM bundle of further public keys that verify tokens"
    )
    auth_issuer: str = "pingan"
    auth_audience: str = "pingan-api"
    auth_token_ttl_h: float = Field(default=12.0, gt=0, le=24 * 90)
    auth_leeway_s: float = Field(default=30.0, ge=0, le=600)
    auth_station_townships: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Per police station (派出所), the townships it covers; a station not listed "
        "whose name is a township's covers that township",
    )

    # Abuse limits: see "Limits" in README.md.
    limit_body_bytes: int = Field(default=256 * 1024, ge=1024)
    # A file of FILES_MAX_BYTES with its multipart envelope; the gateway's bound for uploads.
    limit_upload_body_bytes: int = Field(default=21 * 1024 * 1024, ge=1024)
    limit_query_bytes: int = Field(default=4096, ge=256)
    limit_query_params: int = Field(default=64, ge=1)
    # Commands per user, counted across every API process; the service account (bulk loads,
    # benchmarks) has its own rate.
    rate_commands_per_minute: float = Field(default=120.0, gt=0)
    rate_commands_burst: int = Field(default=60, ge=1)
    rate_service_per_minute: float = Field(default=600_000.0, gt=0)
    rate_service_burst: int = Field(default=10_000, ge=1)
    # Sign-in attempts, per login name and per client address.
    rate_sign_in_per_minute: float = Field(default=5.0, gt=0)
    rate_sign_in_burst: int = Field(default=10, ge=1)
    rate_sign_in_address_per_minute: float = Field(default=30.0, gt=0)
    rate_sign_in_address_burst: int = Field(default=60, ge=1)
    # Browser origins allowed to call the API (CORS); empty: no CORS headers at all.
    cors_allowed_origins: list[str] = Field(default_factory=list)
    # Evidence files (pingan.files), stored by content hash: a directory, or an S3-compatible
    # object store. Each service keeps its files in its own folder or key prefix.
    files_backend: Literal["directory", "s3"] = "directory"
    files_dir: Path = Field(
        default=Path(".pingan/files"),
        description="The directory store's root (`pingan up`: <data dir>/files)",
    )
    files_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    files_s3_bucket: str = "pingan-evidence"
    files_s3_endpoint_url: str | None = Field(
        default=None, description="The object store's URL, e.g. http://minio:9000; AWS if unset"
    )
    files_s3_region: str = "us-east-1"
    files_s3_access_key_id: str | None = None
    files_s3_secret_access_key: SecretStr | None = None
    files_s3_create_bucket: bool = Field(
        default=True, description="Create the bucket on start when it is missing"
    )
    # Personal data (pingan.privacy): the cipher that seals new values, and the file of the
    # secret behind the look-up hashes and the key wrapping (kept in the privacy database
    # when unset). "none" seals nothing: only to show what the forget scan would find.
    privacy_cipher: Literal["aes-256-gcm", "sm4-gcm", "none"] = "aes-256-gcm"
    privacy_secret_file: Path | None = Field(
        default=None, description="File of the hex secret of personal-data look-ups"
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
