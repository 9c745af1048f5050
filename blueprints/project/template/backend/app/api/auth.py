"""Login (OAuth2 password flow) and the current user."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, status
from fastapi.security import OAuth2PasswordRequestForm

from app.api.deps import CurrentIdentity, SessionDep
from app.api.errors import ERROR_RESPONSES
from app.core.config import settings
from app.schemas.identity import Me, MembershipRead, TenantRead, Token
from app.services.identity import IdentityService

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/token",
    responses={
        status.HTTP_401_UNAUTHORIZED: {"description": "Incorrect email or password"},
        status.HTTP_403_FORBIDDEN: {"description": "Not a member of that tenant"},
    },
)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    tenant: Annotated[str | None, Form(max_length=36)] = None,
) -> Token:
    """Exchange an email (``username``) and a password for an access token.

    ``tenant`` picks one of the user's tenants; without it, the first they joined.
    """
    token = IdentityService(session).login(form.username, form.password, tenant)
    return Token(access_token=token, expires_in=settings.access_token_minutes * 60)


@router.get("/me", responses=ERROR_RESPONSES)
def me(identity: CurrentIdentity, session: SessionDep) -> Me:
    """The current user, the tenant of their token and every tenant they belong to."""
    tenants = IdentityService(session).tenants_of(identity.user.id)
    return Me(
        id=identity.user.id,
        email=identity.user.email,
        tenant=TenantRead(id=identity.tenant.id, name=identity.tenant.name),
        role=identity.role,
        tenants=[
            MembershipRead(id=tenant.id, name=tenant.name, role=role)
            for tenant, role in tenants
        ],
    )
