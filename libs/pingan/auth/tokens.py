"""Bearer tokens: JWTs signed with EdDSA (Ed25519), naming the caller and its role."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from pingan.auth.keys import Keyring, SigningKey
from pingan.auth.principal import Principal, Role

ALGORITHM = "EdDSA"
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub", "jti", "role")


@dataclass(frozen=True)
class TokenPolicy:
    issuer: str
    audience: str
    leeway_s: float = 30.0


@dataclass(frozen=True)
class IssuedToken:
    token: str
    token_id: str
    expires_at: datetime


class InvalidToken(Exception):
    """The token cannot be trusted. `reason` names why, for the answer's texts."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def issue(
    key: SigningKey,
    policy: TokenPolicy,
    *,
    subject: str,
    name: str,
    role: Role,
    township: str | None = None,
    station: str | None = None,
    ttl: timedelta,
    now: datetime | None = None,
) -> IssuedToken:
    now = now or datetime.now(UTC)
    expires = now + ttl
    token_id = uuid.uuid4().hex
    claims: dict[str, Any] = {
        "iss": policy.issuer,
        "aud": policy.audience,
        "sub": subject,
        "name": name,
        "role": role.value,
        "jti": token_id,
        "iat": int(now.timestamp()),
        "exp": int(expires.timestamp()),
    }
    if township:
        claims["township"] = township
    if station:
        claims["station"] = station
    token = jwt.encode(claims, key.private, algorithm=ALGORITHM, headers={"kid": key.kid})
    return IssuedToken(token, token_id, datetime.fromtimestamp(claims["exp"], UTC))


@dataclass(frozen=True)
class Verified:
    principal: Principal
    expires_at: datetime


def verify(token: str, keyring: Keyring, policy: TokenPolicy) -> Verified:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError:
        raise InvalidToken("malformed", "the token is not a well-formed JWT") from None
    # Pinned: a token may not choose its own algorithm (`none`, or HS256 keyed with a public key).
    if header.get("alg") != ALGORITHM:
        raise InvalidToken("algorithm", f"tokens must be signed with {ALGORITHM}")
    kid = header.get("kid")
    key = keyring.get(kid) if isinstance(kid, str) else None
    if key is None:
        raise InvalidToken("unknown-key", "the token is signed with an unknown key")
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=policy.audience,
            issuer=policy.issuer,
            leeway=policy.leeway_s,
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken("expired", "the token has expired") from None
    except jwt.InvalidSignatureError:
        raise InvalidToken("signature", "the token's signature does not verify") from None
    except (jwt.InvalidAudienceError, jwt.InvalidIssuerError):
        raise InvalidToken(
            "audience", "the token is meant for another issuer or audience"
        ) from None
    except jwt.InvalidTokenError as exc:
        raise InvalidToken("malformed", f"the token is not acceptable: {exc}") from None
    return Verified(_principal(claims), datetime.fromtimestamp(claims["exp"], UTC))


def _principal(claims: dict[str, Any]) -> Principal:
    try:
        role = Role(claims["role"])
    except ValueError:
        raise InvalidToken("malformed", "the token names an unknown role") from None
    values = [claims.get(k) for k in ("sub", "name", "township", "station", "jti")]
    if not all(isinstance(v, str | None) for v in values):
        raise InvalidToken("malformed", "the token's claims have the wrong types")
    return Principal(
        subject=str(claims["sub"]),
        name=str(claims.get("name") or claims["sub"]),
        role=role,
        township=claims.get("township"),
        station=claims.get("station"),
        token_id=str(claims["jti"]),
    )
