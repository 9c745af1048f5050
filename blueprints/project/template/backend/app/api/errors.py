"""The one place where errors become HTTP answers; no database text reaches a client."""

import logging

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError

from app.core.errors import AuthenticationError, DomainError

logger = logging.getLogger(__name__)

ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status.HTTP_401_UNAUTHORIZED: {"description": "Missing, expired or forged token"},
    status.HTTP_403_FORBIDDEN: {"description": "Not a member of the token's tenant"},
}
"""Statuses every authenticated route may answer, for the OpenAPI document."""


def _answer(status_code: int, detail: str) -> JSONResponse:
    headers = (
        {"WWW-Authenticate": "Bearer"}
        if status_code == status.HTTP_401_UNAUTHORIZED
        else None
    )
    return JSONResponse({"detail": detail}, status_code=status_code, headers=headers)


def domain_error(request: Request, error: Exception) -> JSONResponse:
    """A service's error, with the status its class declares."""
    assert isinstance(error, DomainError)
    if isinstance(error, AuthenticationError):
        logger.info("refused %s %s: %s", request.method, request.url.path, error)
    return _answer(error.status_code, str(error))


def integrity_error(request: Request, error: Exception) -> JSONResponse:
    """A constraint the service did not foresee; the database text stays in the log."""
    logger.warning(
        "integrity error on %s %s: %s", request.method, request.url.path, error
    )
    return _answer(status.HTTP_409_CONFLICT, "the change conflicts with existing data")


def data_error(request: Request, error: Exception) -> JSONResponse:
    """A value the database refused (out of range, invalid text)."""
    logger.warning("data error on %s %s: %s", request.method, request.url.path, error)
    return _answer(
        status.HTTP_422_UNPROCESSABLE_CONTENT, "a value is out of the range allowed"
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(IntegrityError, integrity_error)
    app.add_exception_handler(DataError, data_error)
