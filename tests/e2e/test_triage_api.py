"""Triage over HTTP: a ticket's signals and models, and the review queue (T6, T9)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from fairlane.bootstrap import Application
from fairlane.entrypoints.api.app import create_app
from fairlane.services.keys import Role, create_key
from tests.conftest import ticket_data
from tests.e2e.conftest import bearer


@pytest.fixture
def keys(unsure_app: Application) -> dict[str, dict[str, str]]:
    return {
        role.value: bearer(
            create_key(
                name=role.value, role=role, uow=unsure_app.uow, clock=unsure_app.clock
            ).secret
        )
        for role in Role
    }


@pytest.fixture
def http(unsure_app: Application) -> Iterator[TestClient]:
    with TestClient(create_app(unsure_app)) as test_client:
        yield test_client


def _ticket(http: TestClient, keys: dict[str, dict[str, str]]) -> str:
    body = "Something is off with the numbers on our invoice"
    response = http.post("/v1/tickets", json=ticket_data(body=body), headers=keys["integration"])
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["needs_review"] is True
    assert ticket["intent"] is None
    return str(ticket["id"])


def test_an_agent_sees_the_queue_and_accepts_a_suggestion(
    http: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    ticket_id = _ticket(http, keys)
    queue = http.get("/v1/reviews", headers=keys["agent"]).json()
    assert [r["field"] for r in queue] == ["priority", "intent"]  # priority first
    intent = next(r for r in queue if r["field"] == "intent")
    response = http.post(
        f"/v1/reviews/{intent['id']}/accept", json={"note": "looks right"}, headers=keys["agent"]
    )
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["final"]) == ("accepted", "billing")
    triage = http.get(f"/v1/tickets/{ticket_id}/triage", headers=keys["agent"]).json()
    assert triage["intent"] == "billing"


def test_a_correction_is_an_override_and_counts_in_the_rate(
    http: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    _ticket(http, keys)
    review = http.get("/v1/reviews", headers=keys["lead"]).json()[0]
    response = http.post(
        f"/v1/reviews/{review['id']}/correct", json={"value": "P1"}, headers=keys["lead"]
    )
    assert response.status_code == 200, response.text
    stats = http.get("/v1/reviews/stats", headers=keys["lead"]).json()
    assert (stats["corrected"], stats["pending"], stats["override_rate"]) == (1, 1, 1.0)


def test_an_integration_key_may_not_decide_reviews(
    http: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    _ticket(http, keys)
    review = http.get("/v1/reviews", headers=keys["integration"]).json()[0]
    response = http.post(f"/v1/reviews/{review['id']}/accept", json={}, headers=keys["integration"])
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


def test_deciding_twice_is_a_409_and_an_unknown_review_a_404(
    http: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    _ticket(http, keys)
    review = http.get("/v1/reviews", headers=keys["agent"]).json()[0]
    assert (
        http.post(f"/v1/reviews/{review['id']}/accept", json={}, headers=keys["agent"]).status_code
        == 200
    )
    again = http.post(f"/v1/reviews/{review['id']}/accept", json={}, headers=keys["agent"])
    assert again.status_code == 409
    assert http.post("/v1/reviews/999999/accept", json={}, headers=keys["agent"]).status_code == 404


def test_a_bad_correction_names_the_field_and_changes_nothing(
    http: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    _ticket(http, keys)
    review = http.get("/v1/reviews", headers=keys["agent"]).json()[0]
    response = http.post(
        f"/v1/reviews/{review['id']}/correct", json={"value": "P9"}, headers=keys["agent"]
    )
    assert response.status_code == 422
    assert "P9" in response.text
    missing = http.post(f"/v1/reviews/{review['id']}/correct", json={}, headers=keys["agent"])
    assert missing.status_code == 422
    assert "body.value" in missing.text
    still = http.get("/v1/reviews", headers=keys["agent"]).json()
    assert len(still) == 2


def test_an_unknown_review_status_is_a_422_naming_the_choices(
    http: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    response = http.get("/v1/reviews?status=done", headers=keys["agent"])
    assert response.status_code == 422
    assert "pending, accepted, corrected" in response.text
