"""Property-based fuzzing of the whole OpenAPI schema: no input may produce a 5xx.

Schemathesis generates valid and invalid requests for every operation; fairlane must answer
each with a 2xx or a 4xx problem, never a server error. (Its strategies are driven through
Hypothesis directly: schemathesis' pytest plugin does not yet run under pytest 9.)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from fairlane.bootstrap import Application, bootstrap
from fairlane.clock import FixedClock
from fairlane.config import Settings
from fairlane.entrypoints.api.app import create_app
from fairlane.services.keys import Role, create_key


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    database = Path(tmp_path_factory.mktemp("fuzz")) / "fuzz.db"
    clock = FixedClock(datetime(2026, 11, 23, 14, 0, tzinfo=UTC))
    application: Application = bootstrap(
        Settings(database_url=f"sqlite:///{database}"), clock=clock
    )
    key = create_key(name="fuzz", role=Role.ADMIN, uow=application.uow, clock=clock).secret
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app(application)), key
    application.close()


def test_no_request_makes_the_api_fail_with_a_server_error(fuzzed: tuple[Any, str]) -> None:
    schema, key = fuzzed
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9, "every route should be in the OpenAPI schema"
    for operation in operations:
        _fuzz(operation, key)


def _fuzz(operation: Any, key: str) -> None:
    modes = st.sampled_from(["positive", "negative"])

    @given(data=st.data(), mode=modes)
    @settings(
        max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    def run(data: st.DataObject, mode: str) -> None:
        case = data.draw(operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode)))
        response = case.call(headers={"Authorization": f"Bearer {key}"})
        case.validate_response(response, checks=[not_a_server_error])
        if response.status_code >= 400:
            content_type = response.headers.get("content-type", [""])[0]
            assert content_type.startswith("application/problem+json"), (
                operation.label,
                response.status_code,
                response.text[:200],
            )

    run()
