"""Ed25519 signing keys and the keyring of public keys that verify tokens.

A key's id (`kid`) is its RFC 7638 thumbprint, so a key file needs no metadata and the same
key has the same id everywhere. The signing key is one PEM file (PKCS#8, mode 0600); the
public keys of earlier signing keys are kept in a PEM bundle beside it, so tokens signed
before a rotation verify until they expire. Verifiers need only the public keys.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIGNING_KEY_NAME = "signing-key.pem"
PUBLIC_KEYS_NAME = "public-keys.pem"
_PEM_END = b"-----END PUBLIC KEY-----"


class KeyFileError(Exception):
    """A key file is missing, unreadable or not an Ed25519 key."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
    canonical = json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()
    return _b64url(hashlib.sha256(canonical).digest())


def new_private_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def parse_private(pem: bytes, origin: str = "key") -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{origin}: not a PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{origin}: not an Ed25519 key")
    return key


def parse_public_bundle(pem: bytes, origin: str = "keys") -> list[Ed25519PublicKey]:
    keys: list[Ed25519PublicKey] = []
    for block in pem.split(_PEM_END)[:-1]:
        try:
            key = serialization.load_pem_public_key(block + _PEM_END)
        except ValueError as exc:
            raise KeyFileError(f"{origin}: not a PEM public key ({exc})") from None
        if not isinstance(key, Ed25519PublicKey):
            raise KeyFileError(f"{origin}: not an Ed25519 key")
        keys.append(key)
    return keys


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {path}: {exc.strerror or exc}") from None


def write_secret(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, replacing any old one in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private: Ed25519PrivateKey


@dataclass(frozen=True)
class KeyFiles:
    """Where a deployment keeps its keys: either may be absent (a verifier needs no signing
    key; a lone signing key verifies its own tokens)."""

    signing: Path | None
    public: Path | None = None

    @classmethod
    def in_dir(cls, directory: Path) -> KeyFiles:
        return cls(directory / SIGNING_KEY_NAME, directory / PUBLIC_KEYS_NAME)

    def signing_key(self) -> SigningKey:
        if self.signing is None:
            raise KeyFileError("no signing key configured (AUTH_SIGNING_KEY_FILE)")
        private = parse_private(_read(self.signing), str(self.signing))
        return SigningKey(key_id(private.public_key()), private)

    def public_keys(self) -> dict[str, Ed25519PublicKey]:
        keys: list[Ed25519PublicKey] = []
        if self.public is not None and self.public.exists():
            keys += parse_public_bundle(_read(self.public), str(self.public))
        if self.signing is not None and self.signing.exists():
            keys.append(self.signing_key().private.public_key())
        if not keys:
            raise KeyFileError(
                "no keys configured (AUTH_SIGNING_KEY_FILE or AUTH_PUBLIC_KEYS_FILE)"
            )
        return {key_id(key): key for key in keys}

    def stamp(self) -> tuple[float, ...]:
        """Changes whenever a key file is replaced."""
        return tuple(
            p.stat().st_mtime if p.exists() else -1.0
            for p in (self.signing, self.public)
            if p is not None
        )


def create_signing_key(files: KeyFiles) -> bool:
    """Create the signing key if there is none; True if one was made."""
    if files.signing is None:
        raise KeyFileError("no signing key file given")
    if files.signing.exists():
        return False
    write_secret(files.signing, new_private_pem())
    return True


def rotate(files: KeyFiles) -> str:
    """Make a new signing key. The bundle keeps every public key, the old ones included, so
    tokens signed before stay valid until they expire, and verifiers need only the bundle.
    Returns the new kid."""
    if files.signing is None or files.public is None:
        raise KeyFileError("rotation needs both the signing key file and the public keys file")
    bundle = _read(files.public) if files.public.exists() else b""
    if files.signing.exists():
        bundle += public_pem(files.signing_key().private.public_key())
    fresh = parse_private(new_private_pem())
    write_secret(files.public, bundle + public_pem(fresh.public_key()))
    write_secret(
        files.signing,
        fresh.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    return key_id(fresh.public_key())


class Keyring:
    """The public keys that verify tokens, by kid; read again from the files when a token
    names an unknown kid and the files have changed (a rotation elsewhere)."""

    def __init__(self, files: KeyFiles) -> None:
        self.files = files
        self._lock = threading.Lock()
        self._stamp = files.stamp()
        self._keys = files.public_keys()

    def get(self, kid: str) -> Ed25519PublicKey | None:
        key = self._keys.get(kid)
        if key is None and self.files.stamp() != self._stamp:
            with self._lock:
                self._stamp = self.files.stamp()
                self._keys = self.files.public_keys()
            key = self._keys.get(kid)
        return key

    @property
    def kids(self) -> list[str]:
        return sorted(self._keys)


class Signer:
    """The current signing key, read again when its file is replaced (after a rotation)."""

    def __init__(self, files: KeyFiles) -> None:
        self.files = files
        self._stamp = files.stamp()
        self._key = files.signing_key()

    def current(self) -> SigningKey:
        if self.files.stamp() != self._stamp:
            self._stamp = self.files.stamp()
            self._key = self.files.signing_key()
        return self._key
