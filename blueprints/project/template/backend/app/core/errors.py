"""Domain errors raised by services; app.api.errors turns them into HTTP answers."""


class DomainError(Exception):
    """Root of the errors a service raises on purpose."""

    status_code = 400


class NotFoundError(DomainError):
    """The requested row does not exist for this tenant (HTTP 404)."""

    status_code = 404

    def __init__(self, resource: str, identifier: object) -> None:
        super().__init__(f"{resource} {identifier} not found")
        self.resource = resource
        self.identifier = identifier


class ConflictError(DomainError):
    """The change would break a constraint, e.g. a unique value (HTTP 409)."""

    status_code = 409


class AuthenticationError(DomainError):
    """No valid credentials: missing, expired or forged token, wrong password (401)."""

    status_code = 401


class PermissionDeniedError(DomainError):
    """Authenticated, but not allowed: e.g. not a member of that tenant (403)."""

    status_code = 403
