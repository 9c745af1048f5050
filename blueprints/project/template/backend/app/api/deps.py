"""Dependencies shared by every route module."""

from typing import Annotated

from fastapi import Header

from app.db import get_session

__all__ = ["get_session", "get_tenant_id"]


def get_tenant_id(x_tenant_id: Annotated[str, Header(min_length=1)]) -> str:
    """Return the tenant of the request, from the required ``X-Tenant-ID`` header."""
    return x_tenant_id
