"""Request dependencies: the wired application and the caller's API key with its role."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from fairlane.bootstrap import Application
from fairlane.services.keys import Permission, authenticate, require
from fairlane.services.ports import ApiKeyRow

__all__ = ["AppDep", "KeyCache", "caller_with", "get_app"]

_bearer = HTTPBearer(auto_error=False, description="An API key: 'Authorization: Bearer fl_...'")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Or the key in X-API-Key.")


def get_app(request: Request) -> Application:
    application: Application = request.app.state.fairlane
    return application


AppDep = Annotated[Application, Depends(get_app)]


class KeyCache:
    """Authenticated keys, remembered for a few seconds so a busy integration does not pay a
    database round trip per request. A revoked key stops working within ``ttl_seconds``."""

    def __init__(self, ttl_seconds: float = 10.0) -> None:
        self.ttl_seconds = ttl_seconds
        self._rows: dict[str, tuple[float, ApiKeyRow]] = {}
        self._lock = threading.Lock()

    def authenticate(self, secret: str | None, application: Application) -> ApiKeyRow:
        digest = hashlib.sha256((secret or "").encode()).hexdigest()
        now = time.monotonic()
        with self._lock:
            cached = self._rows.get(digest)
        if cached is not None and now - cached[0] < self.ttl_seconds:
            return cached[1]
        row = authenticate(secret, uow=application.uow)
        with self._lock:
            if len(self._rows) > 10_000:
                self._rows.clear()
            self._rows[digest] = (now, row)
        return row


def caller_with(permission: Permission) -> Callable[..., ApiKeyRow]:
    """A dependency that authenticates the key (401) and checks its role (403)."""

    def dependency(
        request: Request,
        application: AppDep,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        header: Annotated[str | None, Depends(_header)],
    ) -> ApiKeyRow:
        secret = bearer.credentials if bearer is not None else header
        cache: KeyCache = request.app.state.key_cache
        row = cache.authenticate(secret, application)
        require(row, permission)
        return row

    return dependency
