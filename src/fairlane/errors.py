"""The one exception tree of fairlane.

Every error carries attributes a caller can act on; entrypoints map them to HTTP status
(problem+json) and CLI exit codes in one table (``entrypoints/api/problems.py`` and
``entrypoints/cli/common.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AuthenticationFailed",
    "Conflict",
    "FairlaneError",
    "FieldProblem",
    "NotFound",
    "PermissionDenied",
    "PolicyInvalid",
    "ValidationFailed",
]


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with one input field.

    ``location`` names the field as a path (``("body", "created_at")``, ``("sla", "matrix",
    "vip")``); ``line`` and ``column`` are filled in when the input came from a file.
    """

    location: tuple[str | int, ...]
    message: str
    line: int | None = None
    column: str | None = None
    suggestion: str | None = None

    @property
    def path(self) -> str:
        return ".".join(str(part) for part in self.location) or "(root)"

    def describe(self) -> str:
        where = self.path
        if self.line is not None:
            where = f"line {self.line}" + (f", column {self.column!r}" if self.column else "")
        text = f"{where}: {self.message}"
        if self.suggestion:
            text += f" ({self.suggestion})"
        return text


class FairlaneError(Exception):
    """Base of every error fairlane raises on purpose."""

    title = "fairlane error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ValidationFailed(FairlaneError):
    """Input was rejected; nothing was written. ``problems`` names every bad field."""

    title = "Invalid input"

    def __init__(self, detail: str, problems: list[FieldProblem] | None = None) -> None:
        super().__init__(detail)
        self.problems = list(problems or [])

    def __str__(self) -> str:
        lines = [self.detail, *("  - " + p.describe() for p in self.problems)]
        return "\n".join(lines)


class PolicyInvalid(ValidationFailed):
    """A policy document was rejected whole; ``problems`` names each key path."""

    title = "Invalid policy"


class NotFound(FairlaneError):
    title = "Not found"

    def __init__(self, kind: str, identifier: str) -> None:
        super().__init__(f"No {kind} with id {identifier!r}.")
        self.kind = kind
        self.identifier = identifier


class Conflict(FairlaneError):
    title = "Conflict"


class AuthenticationFailed(FairlaneError):
    title = "Authentication required"


class PermissionDenied(FairlaneError):
    title = "Forbidden"

    def __init__(self, detail: str, *, role: str, needed: str) -> None:
        super().__init__(detail)
        self.role = role
        self.needed = needed
