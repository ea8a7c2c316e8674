"""The real FastAPI application over a real database, driven through HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from fairlane.bootstrap import Application
from fairlane.entrypoints.api.app import create_app
from fairlane.services.keys import Role, create_key


@pytest.fixture
def client(app: Application) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


@pytest.fixture
def key_for(app: Application) -> dict[str, str]:
    """A header carrying a fresh key for each role: key_for['admin'] etc."""
    return {
        role.value: create_key(
            name=f"test-{role.value}", role=role, uow=app.uow, clock=app.clock
        ).secret
        for role in Role
    }


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
