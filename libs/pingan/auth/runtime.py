"""The auth side of an API process: the keyring, the refusal list and the accounts database."""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime, timedelta

import asyncpg

from pingan.api import ratelimit
from pingan.api.times import use_office_zone
from pingan.auth.accounts import AccountStore, setup
from pingan.auth.keys import KeyFiles, Keyring, Signer
from pingan.auth.principal import Role
from pingan.auth.refusals import RefusalList
from pingan.auth.tokens import InvalidToken, IssuedToken, TokenPolicy, Verified, issue, verify
from pingan.run.locks import lock_key
from pingan.run.postgres import PgTarget, ensure_database
from pingan.run.settings import Settings

ACCOUNTS = "accounts"
#: Tokens whose signature a process remembers having checked.
VERIFIED_TOKENS_KEPT = 10_000


def key_files(settings: Settings) -> KeyFiles:
    return KeyFiles(settings.auth_signing_key_file, settings.auth_public_keys_file)


def token_policy(settings: Settings) -> TokenPolicy:
    return TokenPolicy(settings.auth_issuer, settings.auth_audience, settings.auth_leeway_s)


def accounts_db(settings: Settings) -> tuple[PgTarget, PgTarget]:
    server = PgTarget.from_url(settings.database_url)
    return server, server.with_database(settings.database_prefix + ACCOUNTS)


async def open_accounts(settings: Settings) -> asyncpg.Pool:
    """A pool on the accounts database, created with its tables if missing."""
    server, db = accounts_db(settings)
    await ensure_database(server, db.database)
    pool = await db.create_pool(min_size=1, max_size=settings.db_pool_size)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", lock_key("pingan-schema:accounts"))
        await setup(conn)
        await ratelimit.setup(conn)
    return pool


class AuthRuntime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        use_office_zone(settings.timezone)
        self.files = key_files(settings)
        self.keyring = Keyring(self.files)
        self.signer = Signer(self.files) if self.files.signing else None
        self.policy = token_policy(settings)
        self.db = accounts_db(settings)[1]
        self.refusals = RefusalList(self.db.connect)
        self._signatures: OrderedDict[str, Verified] = OrderedDict()
        self._pool: asyncpg.Pool | None = None

    @property
    def store(self) -> AccountStore:
        if self._pool is None:
            raise RuntimeError("auth runtime not started")
        return AccountStore(self._pool)

    async def start(self) -> None:
        self._pool = await open_accounts(self.settings)
        await self.refusals.start()

    async def stop(self) -> None:
        await self.refusals.stop()
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    def verify(self, token: str) -> Verified:
        """The token's principal; refused if it is invalid, revoked or its account disabled."""
        verified = self._verified_signature(token)
        refusal = self.refusals.refuses(verified.principal)
        if refusal == "disabled":
            raise InvalidToken("disabled", "the account is disabled")
        if refusal == "revoked":
            raise InvalidToken("revoked", "the token has been revoked")
        return verified

    def _verified_signature(self, token: str) -> Verified:
        """A client sends the same token with every request: its signature is checked once
        (an Ed25519 verification costs more than the rest of the check), its expiry each
        time, and revocation and disabling each time by the caller."""
        now = datetime.now(UTC) - timedelta(seconds=self.policy.leeway_s)
        known = self._signatures.get(token)
        if known is not None and known.expires_at > now:
            self._signatures.move_to_end(token)
            return known
        verified = verify(token, self.keyring, self.policy)
        self._signatures[token] = verified
        if len(self._signatures) > VERIFIED_TOKENS_KEPT:
            self._signatures.popitem(last=False)
        return verified

    def issue(
        self,
        *,
        subject: str,
        name: str,
        role: Role,
        township: str | None = None,
        station: str | None = None,
        ttl: timedelta | None = None,
    ) -> IssuedToken:
        if self.signer is None:
            raise RuntimeError("this process holds no signing key")
        return issue(
            self.signer.current(),
            self.policy,
            subject=subject,
            name=name,
            role=role,
            township=township,
            station=station,
            ttl=ttl or timedelta(hours=self.settings.auth_token_ttl_h),
        )

    async def changed(self) -> None:
        """Apply a change made by this process at once, before its own NOTIFY arrives."""
        async with self.store.pool.acquire() as conn:
            await self.refusals.refresh(conn)
