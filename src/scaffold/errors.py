"""The one error hierarchy of scaffold.

Core code raises these; the CLI prints them once and turns them into exit codes
(0 success or no-op, 1 conflict or failed check, 2 invalid input).
"""

from __future__ import annotations

from pathlib import Path


class ScaffoldError(Exception):
    """Root of every error scaffold reports to a user."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        path: str | Path | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        location = ""
        if self.path is not None:
            location = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{location}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class InvalidInputError(ScaffoldError, ValueError):
    """A name, field spec or option the user typed is not valid (exit 2)."""

    exit_code = 2


class ProjectError(ScaffoldError):
    """The project is not in a state scaffold can work with: missing config,
    missing or unparsable file it must edit (exit 2)."""

    exit_code = 2


class ConflictError(ScaffoldError):
    """Files changed since scaffold generated them, or would be clobbered (exit 1)."""

    exit_code = 1

    def __init__(self, message: str, *, paths: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.paths = paths

    def __str__(self) -> str:
        listing = "".join(f"\n  {p}" for p in self.paths)
        text = f"{self.message}{listing}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class BlueprintError(ScaffoldError):
    """A blueprint or generator spec is broken or fails to render (exit 1)."""

    exit_code = 1


class UnsafeBlueprintError(BlueprintError):
    """A blueprint reaches outside its own folder: a ``_subdirectory``, a symlink or a rendered
    path that leads out of the template or the project (exit 2: nothing is read or written)."""

    exit_code = 2
