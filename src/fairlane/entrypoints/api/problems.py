"""One table from errors to HTTP status, rendered as RFC 9457 problem+json."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from fairlane.errors import (
    AuthenticationFailed,
    Conflict,
    FairlaneError,
    FieldProblem,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)

__all__ = [
    "PROBLEM_RESPONSES",
    "STATUS_FOR",
    "install_problem_handlers",
    "problem_response",
    "problems_located_in",
]

STATUS_FOR: dict[type[FairlaneError], int] = {
    ValidationFailed: 422,
    NotFound: 404,
    Conflict: 409,
    AuthenticationFailed: 401,
    PermissionDenied: 403,
}
_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid input",
}

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": title, "content": {"application/problem+json": {}}}
    for status, title in _TITLES.items()
    if status in (401, 403, 404, 409, 413, 422)
}


def problem_response(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = [
            {
                "field": p.path,
                "message": p.message,
                **({"suggestion": p.suggestion} if p.suggestion else {}),
            }
            for p in errors
        ]
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


@contextmanager
def problems_located_in(part: str) -> Iterator[None]:
    """Service-level problems name fields (``team``); over HTTP they say where: ``body.team``."""
    try:
        yield
    except ValidationFailed as exc:
        exc.problems = [replace(p, location=(part, *p.location)) for p in exc.problems]
        raise


def _status(exc: FairlaneError) -> int:
    for kind, status in STATUS_FOR.items():
        if isinstance(exc, kind):
            return status
    return 400


async def _fairlane_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, FairlaneError)
    status = _status(exc)
    problems = exc.problems if isinstance(exc, ValidationFailed) else None
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return problem_response(status, exc.detail, title=exc.title, errors=problems, headers=headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        location = tuple(str(part) for part in error.get("loc", ()))
        message = str(error.get("msg", "invalid"))
        if error.get("type") == "extra_forbidden":
            message = "unknown field; remove it (see the schema in /docs)"
        if error.get("type") == "json_invalid":
            message = "the body is not valid JSON: " + str(error.get("ctx", {}).get("error", ""))
        problems.append(FieldProblem(location, message))
    names = ", ".join(p.path for p in problems[:5])
    return problem_response(422, f"The request was not accepted; fix: {names}.", errors=problems)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))


def install_problem_handlers(app: Any) -> None:
    app.add_exception_handler(FairlaneError, _fairlane_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
