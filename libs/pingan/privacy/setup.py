"""Opening the registry a process uses: the shared privacy database on the service's server."""

from __future__ import annotations

from pingan.privacy.ciphers import cipher_named
from pingan.privacy.store import PostgresPeople, secret_from
from pingan.run.postgres import PgTarget, ensure_database
from pingan.run.settings import Settings
from pingan.write.eventstore import bounded_pool_arguments

DATABASE = "privacy"


def privacy_database(settings: Settings) -> PgTarget:
    return PgTarget.from_url(settings.database_url).with_database(
        settings.database_prefix + DATABASE
    )


async def ensure_privacy_database(settings: Settings) -> None:
    target = privacy_database(settings)
    await ensure_database(PgTarget.from_url(settings.database_url), target.database)


def open_people(settings: Settings) -> PostgresPeople:
    """Blocking (creates its tables): call it in a thread from asyncio."""
    db = privacy_database(settings)
    return PostgresPeople(
        db.conninfo,
        cipher_named(settings.privacy_cipher),
        secret_from(settings.privacy_secret_file),
        bounded_pool_arguments(db, settings),
        open_wait_s=2 * settings.db_connect_timeout_s + settings.db_pool_wait_s,
    )
