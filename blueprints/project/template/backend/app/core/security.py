"""Passwords (argon2, through pwdlib) and access tokens (HS256 JWTs, through PyJWT)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash

from app.core.config import settings

ALGORITHM = "HS256"
password_hash = PasswordHash.recommended()
"""How passwords are hashed: argon2id at pwdlib's recommended cost, about 0.2 s a hash
and as much a check, by design. The tests swap in argon2's cheapest parameters."""
# Verified when the email is unknown, so that a login takes as long either way.
_DUMMY_HASH = password_hash.hash("not a real password")


def hash_password(password: str) -> str:
    """The argon2 hash to store."""
    return password_hash.hash(password)


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches the ``stored`` hash; ``None`` (no such user)
    costs the same time."""
    if stored is None:
        password_hash.verify(password, _DUMMY_HASH)
        return False
    return password_hash.verify(password, stored)


@dataclass(frozen=True)
class TokenClaims:
    """What a verified token says: who, in which tenant."""

    user_id: str
    tenant_id: str


def create_access_token(
    user_id: str, tenant_id: str, *, expires_in: timedelta | None = None
) -> str:
    """A signed token for ``user_id`` acting in ``tenant_id``."""
    now = datetime.now(UTC)
    lifetime = expires_in or timedelta(minutes=settings.access_token_minutes)
    claims = {"sub": user_id, "tid": tenant_id, "iat": now, "exp": now + lifetime}
    secret = settings.secret_key.get_secret_value()
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_access_token(token: str) -> TokenClaims | None:
    """The claims of a token whose signature and expiry hold, else None."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[ALGORITHM],
            options={"require": ["sub", "tid", "exp", "iat"]},
        )
    except jwt.InvalidTokenError:
        return None
    user_id, tenant_id = claims["sub"], claims["tid"]
    if not isinstance(user_id, str) or not isinstance(tenant_id, str):
        return None
    return TokenClaims(user_id=user_id, tenant_id=tenant_id)
