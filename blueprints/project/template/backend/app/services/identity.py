"""Login, the identity of a request, and the creation of users and tenants."""

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.errors import AuthenticationError, ConflictError, PermissionDeniedError
from app.core.security import (
    create_access_token,
    decode_access_token,
    hash_password,
    verify_password,
)
from app.models.identity import MAX_EMAIL_LENGTH, ROLES, Membership, Tenant, User
from app.repositories.identity import IdentityRepository


@dataclass(frozen=True)
class Identity:
    """Who a request acts as: a user, in one of their tenants, with a role there."""

    user: User
    tenant: Tenant
    role: str


class IdentityService:
    """Use cases of users, tenants and memberships."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._repository = IdentityRepository(session)

    def login(self, email: str, password: str, tenant_id: str | None = None) -> str:
        """An access token for the user acting in ``tenant_id`` (default: their first
        tenant). AuthenticationError on bad credentials, PermissionDeniedError if the
        user is not a member of that tenant."""
        # an address no user can have (too long, a NUL byte PostgreSQL would refuse)
        # is not looked up, but costs the same time as a wrong password
        possible = len(email) <= MAX_EMAIL_LENGTH and "\x00" not in email
        user = self._repository.user_by_email(email) if possible else None
        if not verify_password(password, user.password_hash if user else None):
            raise AuthenticationError("incorrect email or password")
        assert user is not None  # verify_password is False without a user
        memberships = self._repository.memberships(user.id)
        chosen = [
            tenant
            for _, tenant in memberships
            if tenant_id is None or tenant.id == tenant_id
        ]
        if not chosen:
            raise PermissionDeniedError("not a member of this tenant")
        return create_access_token(user.id, chosen[0].id)

    def identify(self, token: str) -> Identity:
        """The identity a token proves, while its user's membership still exists.

        AuthenticationError for a missing, expired or forged token or a deleted user;
        PermissionDeniedError once the membership is gone.
        """
        claims = decode_access_token(token)
        if claims is None:
            raise AuthenticationError("invalid or expired token")
        user = self._repository.user(claims.user_id)
        if user is None:
            raise AuthenticationError("invalid or expired token")
        membership = self._repository.membership(user.id, claims.tenant_id)
        tenant = self._repository.tenant(claims.tenant_id)
        if membership is None or tenant is None:
            raise PermissionDeniedError("no longer a member of this tenant")
        return Identity(user=user, tenant=tenant, role=membership.role)

    def tenants_of(self, user_id: str) -> list[tuple[Tenant, str]]:
        """The user's tenants and their role in each, first joined first."""
        return [
            (tenant, membership.role)
            for membership, tenant in self._repository.memberships(user_id)
        ]

    def create_tenant(self, name: str) -> Tenant:
        """A new tenant."""
        tenant = Tenant(name=name)
        self._repository.add(tenant)
        self._session.commit()
        return tenant

    def create_user(self, email: str, password: str) -> User:
        """A new user; ConflictError if the email is taken, ValueError if it is not
        an email address."""
        try:
            address = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise ValueError(f"not a valid email address: {error}") from error
        user = User(email=address.lower(), password_hash=hash_password(password))
        try:
            self._repository.add(user)
            self._session.commit()
        except IntegrityError as error:
            self._session.rollback()
            raise ConflictError("a user with this email already exists") from error
        return user

    def add_member(self, user: User, tenant: Tenant, role: str) -> Membership:
        """Make ``user`` a member of ``tenant``; ConflictError if they already are."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        membership = Membership(user_id=user.id, tenant_id=tenant.id, role=role)
        try:
            self._repository.add(membership)
            self._session.commit()
        except IntegrityError as error:
            self._session.rollback()
            raise ConflictError("already a member of this tenant") from error
        return membership

    def create_admin(self, email: str, password: str, tenant_name: str) -> Identity:
        """The first user of a new tenant, as its admin."""
        tenant = self.create_tenant(tenant_name)
        user = self.create_user(email, password)
        self.add_member(user, tenant, "admin")
        return Identity(user=user, tenant=tenant, role="admin")
