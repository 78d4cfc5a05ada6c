"""Process settings, read from the environment (and a `.env` file if present).

Each field is the environment variable of its name upper-cased (`job_interval_s` is
`JOB_INTERVAL_S`); a variable set in the environment wins over the same one in `.env`, which
is read from the directory the process starts in. `docs/settings.md` lists them all
(`python -m pingan.docs` writes it from this model).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

OFFICE_TIMEZONE = "Asia/Shanghai"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    nats_url: str = Field(
        default="nats://127.0.0.1:4222",
        description="The NATS server (JetStream); `pingan up` starts one unless this is set",
    )
    # Each service logs in as itself: from a file of every service's password (`pingan up`),
    # or as the one user a container runs as.
    nats_credentials_file: Path | None = Field(
        default=None, description="File of every service's NATS password (`pingan up` writes it)"
    )
    nats_user: str | None = Field(default=None, description="The NATS user this process runs as")
    nats_password: SecretStr | None = Field(default=None, description="That user's password")
    database_url: str = Field(
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        description="The PostgreSQL server; each service creates and uses its own database on "
        "it. `pingan up` starts one unless this is set",
    )
    database_prefix: str = Field(
        default="pingan_", description="Prefix of each service's database name (`pingan_hazards`)"
    )

    stream_duplicate_window_s: float = Field(
        default=24 * 3600,
        gt=0,
        description="How long JetStream remembers a message id to drop a resent duplicate; "
        "longer than any outage you plan for",
    )
    stream_replicas: int = Field(
        default=1, ge=1, description="Replicas of each stream (3 on a NATS cluster)"
    )

    relay_batch_size: int = Field(
        default=500, ge=1, description="Stored events the outbox relay reads at a time"
    )
    relay_poll_interval_s: float = Field(
        default=1.0, gt=0, description="How often the relay looks for new events without a NOTIFY"
    )
    relay_publish_timeout_s: float = Field(
        default=5.0, gt=0, description="How long the relay waits for a publish's ack"
    )
    relay_lock_retry_s: float = Field(
        default=2.0, gt=0, description="How often a standby relay tries to take over"
    )

    projection_batch_size: int = Field(
        default=256, ge=1, description="Messages a read view or reaction fetches at a time"
    )
    projection_fetch_timeout_s: float = Field(
        default=1.0, gt=0, description="How long a fetch waits for messages"
    )
    projection_ack_wait_s: float = Field(
        default=30.0, gt=0, description="How long JetStream waits for an ack before redelivery"
    )
    projection_max_deliver: int = Field(
        default=5,
        ge=2,
        description="Deliveries of a failing event before it goes to the dead-letter subject",
    )

    areas_file: Path | None = Field(
        default=None,
        description="JSON or YAML of extra or renamed areas, laid over the shipped ones",
    )

    timezone: str = Field(
        default=OFFICE_TIMEZONE,
        description="The office's time zone (IANA name): its local dates key deadlines and "
        "reports, a time given without a zone is read in it, and times are answered in it",
    )
    job_interval_s: float = Field(
        default=300.0,
        gt=0,
        description="How often `pingan jobs` runs each scheduled job (the deadline check)",
    )
    business_date_limit_days: int = Field(
        default=3660,
        ge=0,
        description="How far back a command's `business_date` may lie, in days",
    )
    accident_check_interval_s: float = Field(
        default=120.0,
        gt=0,
        description="How often the safety accidents' clocks are checked: they run in hours "
        "(生产安全事故报告和调查处理条例 arts. 9, 11, 29)",
    )
    monitoring_failed_sample: Literal["follow_up", "hazard"] = Field(
        default="follow_up",
        description="What a failed food or drug sample opens: a follow-up (核查处置) with a "
        "deadline, or a reported hazard",
    )
    monitoring_follow_up_days: int = Field(
        default=90, ge=1, le=365, description="Days a failed sample's follow-up is due within"
    )

    consistency_timeout_s: float = Field(
        default=5.0,
        ge=0,
        description="How long a query with `min_position` waits for its view when it names "
        "no `wait`",
    )
    consistency_max_timeout_s: float = Field(
        default=30.0, ge=0, description="The longest `wait` a query may ask for"
    )
    # One more query than this is answered 503 at once, never queued.
    consistency_max_waiters: int = Field(
        default=256, ge=1, description="Queries waiting for a view at once, per process"
    )
    consistency_listen_retry_s: float = Field(
        default=0.5, gt=0, description="How soon a lost LISTEN connection is opened again"
    )

    db_connect_timeout_s: int = Field(
        default=2, ge=1, description="A PostgreSQL connect gives up after (libpq: 2 s at least)"
    )
    db_pool_size: int = Field(default=5, ge=1, description="Event-store connections per process")
    db_max_waiting: int = Field(
        default=20, ge=1, description="Commands queued for a connection; one more is a 503"
    )
    # Bounds on every database connection (both clients): see "Time budgets" in README.md.
    db_statement_timeout_s: float = Field(
        default=2.0, gt=0, description="A statement is cancelled by the server after"
    )
    db_lock_timeout_s: int = Field(default=1, ge=1, description="A lock is waited for at most")
    db_idle_in_transaction_s: int = Field(
        default=5, ge=1, description="An idle open transaction is ended after"
    )
    db_tcp_user_timeout_s: float = Field(
        default=2.0, gt=0, description="TCP user time-out and keepalives of event-store connections"
    )
    db_reconnect_interval_s: float = Field(
        default=0.2, gt=0, description="A lost PostgreSQL is tried again every"
    )
    db_pool_wait_s: float = Field(
        default=1.0, gt=0, description="A command waits for a pooled connection at most"
    )
    command_budget_s: float = Field(
        default=5.0, gt=0, description="A command answers within (else 503 command-timed-out)"
    )
    readyz_budget_s: float = Field(default=1.0, gt=0, description="`/readyz` answers within")
    # Each get still reads any newer events (fast-forward), so several processes writing the
    # same aggregates stay correct.
    aggregate_cache_size: int = Field(
        default=1000, ge=0, description="Aggregates kept in memory between commands; 0: none"
    )

    # Only the accounts service needs the signing key; every other API verifies with public
    # keys: the signing key's own, and the earlier ones kept in the bundle after a rotation.
    auth_signing_key_file: Path | None = Field(
        default=None, description="PEM Ed25519 private key that signs tokens"
    )
    auth_public_keys_file: Path | None = Field(
        default=None, description="PEM bundle of further public keys that verify tokens"
    )
    auth_issuer: str = Field(default="pingan", description="The tokens' `iss`")
    auth_audience: str = Field(default="pingan-api", description="The tokens' `aud`")
    auth_token_ttl_h: float = Field(
        default=12.0, gt=0, le=24 * 90, description="How long a signed-in token lasts, in hours"
    )
    auth_leeway_s: float = Field(
        default=30.0, ge=0, le=600, description="Clock skew allowed when checking a token"
    )
    auth_station_townships: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Per police station (派出所), the townships it covers; a station not listed "
        "whose name is a township's covers that township",
    )

    # Abuse limits: see "Limits" in README.md.
    limit_body_bytes: int = Field(
        default=256 * 1024, ge=1024, description="The largest request body (JSON commands)"
    )
    limit_upload_body_bytes: int = Field(
        default=21 * 1024 * 1024,
        ge=1024,
        description="The largest body of an upload route: a file of FILES_MAX_BYTES with its "
        "multipart envelope (the gateway's bound for uploads too)",
    )
    limit_query_bytes: int = Field(default=4096, ge=256, description="The longest query string")
    limit_query_params: int = Field(
        default=64, ge=1, description="The most query parameters of one request"
    )
    # The service account (bulk loads, benchmarks) has its own rate.
    rate_commands_per_minute: float = Field(
        default=120.0, gt=0, description="Commands per user, per minute, across every process"
    )
    rate_commands_burst: int = Field(default=60, ge=1, description="Commands per user at once")
    rate_service_per_minute: float = Field(
        default=600_000.0, gt=0, description="Commands of the `service` role, per minute"
    )
    rate_service_burst: int = Field(
        default=10_000, ge=1, description="Commands of the `service` role at once"
    )
    rate_sign_in_per_minute: float = Field(
        default=5.0, gt=0, description="Sign-in attempts per login name, per minute"
    )
    rate_sign_in_burst: int = Field(
        default=10, ge=1, description="Sign-in attempts per login name at once"
    )
    rate_sign_in_address_per_minute: float = Field(
        default=30.0, gt=0, description="Sign-in attempts per client address, per minute"
    )
    rate_sign_in_address_burst: int = Field(
        default=60, ge=1, description="Sign-in attempts per client address at once"
    )
    cors_allowed_origins: list[str] = Field(
        default_factory=list,
        description="Browser origins allowed to call the API (CORS), as JSON, e.g. "
        '["https://portal.example"]; empty: no CORS headers at all',
    )
    web_api_url: str | None = Field(
        default=None,
        description="Where the dashboard's pages reach the API, e.g. http://gateway:8000 when "
        "the services' APIs run in other processes; unset: in this process",
    )
    # Each service keeps its files in its own folder or key prefix.
    files_backend: Literal["directory", "s3"] = Field(
        default="directory",
        description="Where evidence files are stored by content hash: a directory, or an "
        "S3-compatible object store",
    )
    files_dir: Path = Field(
        default=Path(".pingan/files"),
        description="The directory store's root (`pingan up`: <data dir>/files)",
    )
    files_max_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1024, description="The largest evidence file, in bytes"
    )
    files_s3_bucket: str = Field(default="pingan-evidence", description="The object store's bucket")
    files_s3_endpoint_url: str | None = Field(
        default=None, description="The object store's URL, e.g. http://minio:9000; AWS if unset"
    )
    files_s3_region: str = Field(default="us-east-1", description="The object store's region")
    files_s3_access_key_id: str | None = Field(
        default=None, description="The object store's access key id"
    )
    files_s3_secret_access_key: SecretStr | None = Field(
        default=None, description="The object store's secret access key"
    )
    files_s3_create_bucket: bool = Field(
        default=True, description="Create the bucket on start when it is missing"
    )
    # "none" seals nothing: only to show what the forget scan would find.
    privacy_cipher: Literal["aes-256-gcm", "sm4-gcm", "none"] = Field(
        default="aes-256-gcm", description="The cipher that seals new personal data"
    )
    privacy_secret_file: Path | None = Field(
        default=None,
        description="File of the hex secret of personal-data look-ups and key wrapping "
        "(kept in the privacy database when unset)",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
