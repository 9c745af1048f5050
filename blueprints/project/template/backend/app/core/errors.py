"""Domain errors raised by services; the API turns them into HTTP statuses."""


class DomainError(Exception):
    """Root of the errors a service raises on purpose."""


class NotFoundError(DomainError):
    """The requested row does not exist for this tenant (HTTP 404)."""

    def __init__(self, resource: str, identifier: object) -> None:
        super().__init__(f"{resource} {identifier} not found")
        self.resource = resource
        self.identifier = identifier


class ConflictError(DomainError):
    """The change would break a constraint, e.g. a unique value (HTTP 409)."""
