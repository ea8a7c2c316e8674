"""The FastAPI application factory."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from fairlane import __version__
from fairlane.bootstrap import Application
from fairlane.entrypoints.api.deps import KeyCache
from fairlane.entrypoints.api.limits import BodySizeLimit
from fairlane.entrypoints.api.problems import install_problem_handlers
from fairlane.entrypoints.api.routes import router
from fairlane.entrypoints.api.routes_triage import router as triage_router

__all__ = ["create_app"]

DESCRIPTION = """
fairlane decides, for every incoming ticket, how urgent it is, which lane it runs in (VIP or
standard) and when its first response and resolution are due, and explains each decision.

Authenticate with an API key (`fairlane keys create --role integration`) sent as
`Authorization: Bearer fl_...` or `X-API-Key: fl_...`. Errors are `application/problem+json`
with an `errors` list naming each field.
"""


def create_app(application: Application) -> FastAPI:
    app = FastAPI(
        title="fairlane",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=[
            {"name": "tickets"},
            {"name": "accounts"},
            {"name": "policy"},
            {"name": "webhooks"},
            {"name": "admin"},
        ],
    )
    app.state.fairlane = application
    app.state.key_cache = KeyCache()
    install_problem_handlers(app)
    app.include_router(router)
    app.include_router(triage_router)

    @app.get("/healthz", tags=["admin"], summary="Liveness and the active policy")
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "policy": application.policy.ref}

    app.add_middleware(BodySizeLimit, max_bytes=application.settings.max_body_bytes)
    return app
