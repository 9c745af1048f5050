"""Schemas of the /auth API."""

from typing import Literal

from pydantic import BaseModel


class Token(BaseModel):
    """An access token, as the OAuth2 password flow returns it."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    """Seconds until the token expires."""


class TenantRead(BaseModel):
    """A tenant of the current user."""

    id: str
    name: str


class MembershipRead(BaseModel):
    """One of the user's tenants, and their role there."""

    id: str
    name: str
    role: str


class Me(BaseModel):
    """The current user, the tenant the token acts in, and every tenant they may use."""

    id: str
    email: str
    tenant: TenantRead
    role: str
    tenants: list[MembershipRead]
