"""Data access to users, tenants and memberships (global tables, not tenant-scoped)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.identity import Membership, Tenant, User


class IdentityRepository:
    """Reads and writes identity rows; the caller commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def user_by_email(self, email: str) -> User | None:
        """The user with this email (compared in lower case), or None."""
        return self._session.scalar(select(User).where(User.email == email.lower()))

    def user(self, user_id: str) -> User | None:
        """The user with this id, or None."""
        return self._session.get(User, user_id)

    def membership(self, user_id: str, tenant_id: str) -> Membership | None:
        """The user's membership of the tenant, or None."""
        query = select(Membership).where(
            Membership.user_id == user_id, Membership.tenant_id == tenant_id
        )
        return self._session.scalar(query)

    def memberships(self, user_id: str) -> list[tuple[Membership, Tenant]]:
        """The user's memberships with their tenants, first created first."""
        query = (
            select(Membership, Tenant)
            .join(Tenant, Tenant.id == Membership.tenant_id)
            .where(Membership.user_id == user_id)
            .order_by(Membership.id)
        )
        rows = self._session.execute(query)
        return [(membership, tenant) for membership, tenant in rows]

    def tenant(self, tenant_id: str) -> Tenant | None:
        """The tenant with this id, or None."""
        return self._session.get(Tenant, tenant_id)

    def add(self, row: User | Tenant | Membership) -> None:
        """Insert a row and load the columns the database generated."""
        self._session.add(row)
        self._session.flush()
        self._session.refresh(row)
