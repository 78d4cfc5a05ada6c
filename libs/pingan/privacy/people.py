"""The people registry: a person is an id issued at first mention, found again by a keyed
hash of their phone or identity number, with a key of their own that seals their fields."""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pingan.privacy.ciphers import FieldCipher, Tampered, cipher_named
from pingan.privacy.retention import RecordKind
from pingan.privacy.sealed import Sealed, SealedValue, parse


class Field(StrEnum):
    NAME = "name"
    PHONE = "phone"
    ID_NUMBER = "id_number"


#: What a reader sees in place of a value whose key was deleted.
FORGOTTEN = "[已删除]"
#: What a reader sees in place of a value they may not see.
WITHHELD = "[已隐藏]"


@dataclass(frozen=True)
class PersonRef:
    id: UUID


@dataclass(frozen=True)
class Mention:
    """A person as one record names them: their id and their fields, sealed."""

    person: PersonRef
    name: Sealed | None
    phone: Sealed | None
    id_number: Sealed | None


@dataclass(frozen=True)
class PersonKey:
    person_id: UUID
    version: int
    algorithm: str
    wrapped: bytes


@dataclass(frozen=True)
class Reader:
    """Who reads personal data, and why: written to the read audit with every value opened."""

    subject: str
    role: str
    purpose: str


@dataclass(frozen=True)
class ReadRecord:
    at: datetime
    subject: str
    role: str
    person_id: UUID
    field: str
    purpose: str
    record_id: str


@dataclass(frozen=True)
class Disclosure:
    """One sealed value to open for a reader, and the record it belongs to."""

    sealed: Sealed
    field: Field
    record_id: str


@dataclass(frozen=True)
class ForgetOutcome:
    person_id: UUID
    forgotten: bool
    kinds: tuple[str, ...]
    rules: tuple[str, ...] = field(default=())


class RetainedByLaw(Exception):
    """The person is named in records that a law requires to be kept."""

    def __init__(self, person_id: UUID, rules: Sequence[str]) -> None:
        self.person_id = person_id
        self.rules = tuple(rules)
        super().__init__("; ".join(self.rules))


class UnknownPerson(LookupError):
    pass


def normalised(value: str) -> str:
    text = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in text if ch.isalnum()).upper()


class People(ABC):
    """The registry's logic; a subclass keeps people, keys, mentions and the audit."""

    def __init__(self, secret: bytes, cipher: FieldCipher) -> None:
        self.cipher = cipher
        self._lookup_key = _derive(secret, b"pingan-privacy-lookup")
        self._wrapping = AESGCM(_derive(secret, b"pingan-privacy-key-wrapping"))

    def lookups(self, phone: str | None, id_number: str | None) -> list[bytes]:
        found = [("id_number", id_number), ("phone", phone)]
        return [
            hmac.new(self._lookup_key, f"{kind}:{normalised(v)}".encode(), hashlib.sha256).digest()
            for kind, v in found
            if v and normalised(v)
        ]

    def mention(
        self,
        kind: RecordKind,
        record_id: UUID | str,
        *,
        name: str | None = None,
        phone: str | None = None,
        id_number: str | None = None,
    ) -> Mention:
        """The person with this phone or identity number (a new one if none is known, or
        when neither is given), noted as named by `record_id`, with their fields sealed."""
        dek = os.urandom(self.cipher.key_bytes)
        fresh = PersonKey(uuid4(), 1, self.cipher.name, b"")
        fresh = PersonKey(fresh.person_id, 1, fresh.algorithm, self._wrap(fresh, dek))
        key = self._find_or_issue(self.lookups(phone, id_number), fresh)
        self._note_mention(key.person_id, kind, str(record_id))
        plain = self._unwrap(key)

        def seal(value: str | None, f: Field) -> Sealed | None:
            if value is None:
                return None
            cipher = cipher_named(key.algorithm)
            payload = cipher.seal(plain, value.encode(), _context(key.person_id, f))
            return SealedValue(key.algorithm, key.person_id, key.version, payload).text()

        return Mention(
            PersonRef(key.person_id),
            seal(name, Field.NAME),
            seal(phone, Field.PHONE),
            seal(id_number, Field.ID_NUMBER),
        )

    def reveal(self, disclosures: Sequence[Disclosure], reader: Reader) -> list[str]:
        """The plaintext of each value (FORGOTTEN where its key is gone), each opened value
        recorded in the read audit in the same transaction as the key look-up."""
        values = [parse(d.sealed) for d in disclosures]
        wanted = {(v.person_id, v.key_version) for v in values if v is not None}
        keys = self._keys(sorted(wanted))
        answers: list[str] = []
        opened: list[tuple[UUID, Disclosure]] = []
        for d, value in zip(disclosures, values, strict=True):
            if value is None:  # recorded before sealing: shown as it is, to the same readers
                answers.append(d.sealed)
                continue
            key = keys.get((value.person_id, value.key_version))
            if key is None:
                answers.append(FORGOTTEN)
                continue
            cipher = cipher_named(value.algorithm)
            try:
                text = cipher.open(
                    self._unwrap(key), value.payload, _context(value.person_id, d.field)
                )
            except Tampered:
                answers.append(FORGOTTEN)
                continue
            answers.append(text.decode())
            opened.append((value.person_id, d))
        if opened:
            self._audit(opened, reader)
        return answers

    def forget(self, person_id: UUID, *, by: str, reason: str) -> ForgetOutcome:
        """Delete the person's keys and look-ups (crypto-shredding), unless a record kind that
        names them must be kept by law: then refuse with the rules hit. Either way recorded."""
        return self._forget(person_id, by, reason)

    @abstractmethod
    def _find_or_issue(self, lookups: list[bytes], fresh: PersonKey) -> PersonKey: ...

    @abstractmethod
    def _note_mention(self, person_id: UUID, kind: RecordKind, record_id: str) -> None: ...

    @abstractmethod
    def _keys(self, wanted: list[tuple[UUID, int]]) -> dict[tuple[UUID, int], PersonKey]: ...

    @abstractmethod
    def _audit(self, opened: list[tuple[UUID, Disclosure]], reader: Reader) -> None: ...

    @abstractmethod
    def _forget(self, person_id: UUID, by: str, reason: str) -> ForgetOutcome: ...

    @abstractmethod
    def reads(self, person_id: UUID | None = None, limit: int = 100) -> list[ReadRecord]: ...

    def close(self) -> None:
        return None

    def _wrap(self, key: PersonKey, dek: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._wrapping.encrypt(nonce, dek, _key_context(key))

    def _unwrap(self, key: PersonKey) -> bytes:
        return self._wrapping.decrypt(key.wrapped[:12], key.wrapped[12:], _key_context(key))


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _context(person_id: UUID, f: Field) -> bytes:
    return person_id.bytes + f.value.encode()


def _key_context(key: PersonKey) -> bytes:
    return key.person_id.bytes + f"{key.version}:{key.algorithm}".encode()
