"""Field ciphers: each seals one value under one person's key, bound to that person and field.

The algorithm is chosen by the `privacy_cipher` setting and written into every sealed value,
so values sealed before a change of setting still open.
"""

from __future__ import annotations

import os
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
TAG_BYTES = 16


class Tampered(ValueError):
    """A sealed value that does not open under its key: altered, or moved to another field."""


class FieldCipher(Protocol):
    name: str
    key_bytes: int

    def seal(self, key: bytes, plaintext: bytes, context: bytes) -> bytes: ...

    def open(self, key: bytes, sealed: bytes, context: bytes) -> bytes: ...


class AesGcm:
    """AES-256-GCM (cryptography), the default."""

    name = "aes256gcm"
    key_bytes = 32

    def seal(self, key: bytes, plaintext: bytes, context: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + AESGCM(key).encrypt(nonce, plaintext, context)

    def open(self, key: bytes, sealed: bytes, context: bytes) -> bytes:
        try:
            return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context)
        except InvalidTag:
            raise Tampered(self.name) from None


class Sm4Gcm:
    """SM4 (GB/T 32907-2016) in GCM mode, through cryptography's OpenSSL build."""

    name = "sm4gcm"
    key_bytes = 16

    def seal(self, key: bytes, plaintext: bytes, context: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(context)
        body = encryptor.update(plaintext) + encryptor.finalize()
        return nonce + body + encryptor.tag

    def open(self, key: bytes, sealed: bytes, context: bytes) -> bytes:
        nonce, body, tag = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:-TAG_BYTES], sealed[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(context)
        try:
            return decryptor.update(body) + decryptor.finalize()
        except InvalidTag:
            raise Tampered(self.name) from None


class Disabled:
    """No encryption at all: the plaintext is stored as it is. Only to show that the forget
    scan finds what a missing cipher leaves behind; never in production."""

    name = "none"
    key_bytes = 0

    def seal(self, key: bytes, plaintext: bytes, context: bytes) -> bytes:
        return plaintext

    def open(self, key: bytes, sealed: bytes, context: bytes) -> bytes:
        return sealed


CIPHERS: dict[str, FieldCipher] = {c.name: c for c in (AesGcm(), Sm4Gcm(), Disabled())}
#: Setting values and the cipher each names.
SETTING_NAMES = {"aes-256-gcm": "aes256gcm", "sm4-gcm": "sm4gcm", "none": "none"}


def cipher_named(name: str) -> FieldCipher:
    try:
        return CIPHERS[SETTING_NAMES.get(name, name)]
    except KeyError:
        raise ValueError(f"unknown field cipher {name!r}") from None
