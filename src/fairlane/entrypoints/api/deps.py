"""Request dependencies: the wired application and the caller's API key with its role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from fairlane.bootstrap import Application
from fairlane.services.keys import Permission, authenticate, require
from fairlane.services.ports import ApiKeyRow

__all__ = ["AppDep", "caller_with", "get_app"]

_bearer = HTTPBearer(auto_error=False, description="An API key: 'Authorization: Bearer fl_...'")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Or the key in X-API-Key.")


def get_app(request: Request) -> Application:
    application: Application = request.app.state.fairlane
    return application


AppDep = Annotated[Application, Depends(get_app)]


def caller_with(permission: Permission) -> Callable[..., ApiKeyRow]:
    """A dependency that authenticates the key (401) and checks its role (403)."""

    def dependency(
        application: AppDep,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        header: Annotated[str | None, Depends(_header)],
    ) -> ApiKeyRow:
        secret = bearer.credentials if bearer is not None else header
        row = authenticate(secret, uow=application.uow)
        require(row, permission)
        return row

    return dependency
