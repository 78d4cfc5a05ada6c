"""The text form of a sealed value, as it sits in events, snapshots, messages and views:

    pd1:<algorithm>:<person id>:<key version>:<payload>

The payload is base64url of nonce, ciphertext and tag; for the disabled cipher it is the
plaintext itself. The person id says whose key opens it, so a value can be redacted once that
key is gone without knowing anything else about the record.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TypeAlias
from uuid import UUID

PREFIX = "pd1"

#: A personal value in sealed text form. Domain events and contracts declare their personal
#: fields with this type; it is a plain `str` to the transcoder and to JSON.
Sealed: TypeAlias = str


@dataclass(frozen=True)
class SealedValue:
    algorithm: str
    person_id: UUID
    key_version: int
    payload: bytes

    def text(self) -> Sealed:
        if self.algorithm == "none":
            body = self.payload.decode()
        else:
            body = base64.urlsafe_b64encode(self.payload).decode().rstrip("=")
        return f"{PREFIX}:{self.algorithm}:{self.person_id.hex}:{self.key_version}:{body}"


def parse(text: str) -> SealedValue | None:
    """The sealed value `text` holds, or None for text recorded before sealing existed."""
    parts = text.split(":", 4)
    if len(parts) != 5 or parts[0] != PREFIX:
        return None
    _, algorithm, person, version, body = parts
    try:
        person_id, key_version = UUID(hex=person), int(version)
        if algorithm == "none":
            payload = body.encode()
        else:
            payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError:
        return None
    return SealedValue(algorithm, person_id, key_version, payload)


def is_sealed(text: str | None) -> bool:
    return text is not None and parse(text) is not None
