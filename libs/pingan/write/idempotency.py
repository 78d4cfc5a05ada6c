"""Idempotent creation: a key the client sends with a creating command, claimed in the same
transaction as the aggregate it creates, so a retry answers the first answer and never makes
a second aggregate.

The claim is an aggregate of its own whose id derives from (scope, key): claiming a key twice
is a version conflict on that id, so two racing requests cannot both commit, and a crash
cannot leave a key without its aggregate nor an aggregate without its key.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from pingan.write.domain import RuleViolation

NAMESPACE = UUID("5d2b7f0e-3c1a-4f7e-9b8d-2a6c4e1f0b93")


def fingerprint(body: bytes) -> str:
    """The sha256 of the body as canonical JSON (keys sorted, no spaces); of the raw bytes
    when the body is not JSON."""
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        canonical = body
    else:
        canonical = json.dumps(
            parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    return hashlib.sha256(canonical).hexdigest()


@dataclass(frozen=True)
class Claim:
    """A client's key for one creating command, within a scope (the route it was sent to)."""

    scope: str
    key: str
    fingerprint: str

    @property
    def record_id(self) -> UUID:
        return uuid5(NAMESPACE, f"{self.scope}\n{self.key}")


class KeyReused(RuleViolation):
    def __init__(self) -> None:
        super().__init__(
            "同一个 Idempotency-Key 已用于内容不同的请求 "
            "(this Idempotency-Key was already used with another request body)"
        )


class IdempotencyRecord(Aggregate):
    """The first use of a key: which request (by fingerprint) and which aggregate it created."""

    class Claimed(Aggregate.Created):
        scope: str
        key: str
        fingerprint: str
        created_id: UUID

    @staticmethod
    def create_id(scope: str, key: str, fingerprint: str, created_id: UUID) -> UUID:
        return Claim(scope, key, fingerprint).record_id

    @event(Claimed)
    def __init__(self, scope: str, key: str, fingerprint: str, created_id: UUID) -> None:
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
        self.created_id = created_id

    @classmethod
    def claim(cls, claim: Claim, created_id: UUID) -> IdempotencyRecord:
        return cls(
            scope=claim.scope, key=claim.key, fingerprint=claim.fingerprint, created_id=created_id
        )
