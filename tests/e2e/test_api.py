"""The REST API as an integrator meets it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import account_data, ticket_data
from tests.e2e.conftest import bearer

PROBLEM = "application/problem+json"


def test_new_ticket_is_created_and_its_retry_returns_it_with_200(
    client: TestClient, key_for: dict[str, str]
) -> None:
    headers = bearer(key_for["integration"])
    first = client.post("/v1/tickets", json=ticket_data(), headers=headers)
    assert first.status_code == 201
    assert first.headers["location"] == f"/v1/tickets/{first.json()['id']}"
    retry = client.post("/v1/tickets", json=ticket_data(), headers=headers)
    assert retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]
    assert retry.json()["is_new"] is False


def test_ticket_response_explains_every_decision(
    client: TestClient, key_for: dict[str, str]
) -> None:
    headers = bearer(key_for["integration"])
    client.put("/v1/accounts/acme", json=account_data(arr="300000"), headers=headers)
    body = client.post(
        "/v1/tickets", json=ticket_data(body="We are talking to our lawyer."), headers=headers
    ).json()
    assert body["priority"] == "P2"
    assert body["lane"] == "vip"
    assert any(
        line.startswith("Priority: P2 (High): trigger 'legal'") for line in body["explanation"]
    )
    assert any("high-arr" in line for line in body["explanation"])
    assert body["explanation"][-1] == f"Decided under policy {body['policy_ref']}."


def test_same_key_with_different_content_is_a_409_problem(
    client: TestClient, key_for: dict[str, str]
) -> None:
    headers = bearer(key_for["integration"])
    client.post("/v1/tickets", json=ticket_data(), headers=headers)
    response = client.post("/v1/tickets", json=ticket_data(subject="Changed"), headers=headers)
    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM


def test_missing_key_is_a_401_problem(client: TestClient) -> None:
    response = client.post("/v1/tickets", json=ticket_data())
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert "fairlane keys create" in response.json()["detail"]


def test_wrong_role_is_a_403_problem_naming_the_roles_that_may(
    client: TestClient, key_for: dict[str, str]
) -> None:
    response = client.get("/v1/keys", headers=bearer(key_for["agent"]))
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM
    assert "admin" in response.json()["detail"]


def test_agent_may_not_change_accounts(client: TestClient, key_for: dict[str, str]) -> None:
    response = client.put(
        "/v1/accounts/acme", json=account_data(), headers=bearer(key_for["agent"])
    )
    assert response.status_code == 403


def test_revoked_or_made_up_keys_are_refused(client: TestClient) -> None:
    assert client.get("/v1/policy", headers=bearer("fl_000000000000_nope")).status_code == 401
    assert client.get("/v1/policy", headers={"X-API-Key": "not-a-key"}).status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"created_at": "2026-11-23T09:00:00"}, "body.created_at"),
        ({"priority": "P1"}, "body.priority"),
        ({"requester_email": "not an email"}, "body.requester_email"),
        ({"subject": "", "body": ""}, "body.body"),
        ({"source": ""}, "body.source"),
    ],
)
def test_bad_ticket_is_a_422_problem_naming_the_field(
    client: TestClient, key_for: dict[str, str], change: dict[str, str], field: str
) -> None:
    response = client.post(
        "/v1/tickets", json=ticket_data(**change), headers=bearer(key_for["integration"])
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert field in [error["field"] for error in response.json()["errors"]]


def test_rejected_ticket_writes_nothing(client: TestClient, key_for: dict[str, str]) -> None:
    headers = bearer(key_for["integration"])
    client.post("/v1/tickets", json=ticket_data(created_at="2026-11-23T09:00:00"), headers=headers)
    queue = client.get("/v1/tickets", headers=headers).json()
    assert queue["tickets"] == []


def test_oversized_body_is_a_413_problem(client: TestClient, key_for: dict[str, str]) -> None:
    huge = ticket_data(body="x" * 2_000_000)
    response = client.post("/v1/tickets", json=huge, headers=bearer(key_for["integration"]))
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


def test_malformed_json_is_a_422_problem(client: TestClient, key_for: dict[str, str]) -> None:
    headers = {**bearer(key_for["integration"]), "content-type": "application/json"}
    response = client.post("/v1/tickets", content=b'{"source": ', headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_audit_trail_lists_each_decision_with_the_policy_version(
    client: TestClient, key_for: dict[str, str]
) -> None:
    created = client.post(
        "/v1/tickets", json=ticket_data(), headers=bearer(key_for["integration"])
    ).json()
    audit = client.get(f"/v1/tickets/{created['id']}/audit", headers=bearer(key_for["lead"])).json()
    assert [entry["action"] for entry in audit][:2] == ["ticket.accepted", "priority.decided"]
    assert {entry["policy_ref"] for entry in audit} == {created["policy_ref"]}


def test_unknown_ticket_is_a_404_problem(client: TestClient, key_for: dict[str, str]) -> None:
    response = client.get("/v1/tickets/tkt_missing", headers=bearer(key_for["agent"]))
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


def test_account_shows_its_current_vip_evaluation(
    client: TestClient, key_for: dict[str, str]
) -> None:
    headers = bearer(key_for["integration"])
    put = client.put(
        "/v1/accounts/acme",
        json=account_data(is_strategic=True, strategic_reason="partnership"),
        headers=headers,
    )
    assert put.status_code == 201
    body = client.get("/v1/accounts/acme", headers=headers).json()
    assert body["vip"]["is_eligible"] is True
    assert body["vip"]["matched"] == ["strategic"]
    assert any("strategic" in reason for reason in body["vip"]["reasons"])


def test_bulk_account_upsert_is_all_or_nothing(client: TestClient, key_for: dict[str, str]) -> None:
    headers = bearer(key_for["integration"])
    records = [
        account_data(id="a1", email_domains=["a1.example"]),
        account_data(id="a2", email_domains=["a2.example"], segment="galactic"),
    ]
    response = client.post("/v1/accounts/bulk", json=records, headers=headers)
    assert response.status_code == 422
    assert "body.1.segment" in [e["field"] for e in response.json()["errors"]]
    assert client.get("/v1/accounts/a1", headers=headers).status_code == 404


def test_identifier_claimed_by_another_account_is_a_409(
    client: TestClient, key_for: dict[str, str]
) -> None:
    headers = bearer(key_for["integration"])
    client.put("/v1/accounts/acme", json=account_data(), headers=headers)
    response = client.put("/v1/accounts/other", json=account_data(id="other"), headers=headers)
    assert response.status_code == 409
    assert "acme.example" in response.json()["detail"]


def test_admin_can_create_keys_that_work(client: TestClient, key_for: dict[str, str]) -> None:
    created = client.post(
        "/v1/keys", json={"name": "helpdesk", "role": "agent"}, headers=bearer(key_for["admin"])
    )
    assert created.status_code == 201
    assert client.get("/v1/policy", headers=bearer(created.json()["key"])).status_code == 200


def test_queue_filter_by_unknown_team_names_the_parameter(
    client: TestClient, key_for: dict[str, str]
) -> None:
    response = client.get("/v1/tickets?team=nope", headers=bearer(key_for["agent"]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.team"


def test_policy_level_ticket_problems_name_the_body_field(
    client: TestClient, key_for: dict[str, str]
) -> None:
    response = client.post(
        "/v1/tickets", json=ticket_data(team="suport-emea"), headers=bearer(key_for["integration"])
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "body.team"
    assert error["suggestion"] == "did you mean 'support-emea'?"


def test_creating_an_account_answers_201_and_updating_it_200(
    client: TestClient, key_for: dict[str, str]
) -> None:
    headers = bearer(key_for["integration"])
    assert client.put("/v1/accounts/acme", json=account_data(), headers=headers).status_code == 201
    assert (
        client.put("/v1/accounts/acme", json=account_data(arr="1"), headers=headers).status_code
        == 200
    )


def test_ticket_events_move_the_clocks_and_sla_explains_them(
    client: TestClient, key_for: dict[str, str]
) -> None:
    headers = bearer(key_for["integration"])
    ticket = client.post("/v1/tickets", json=ticket_data(), headers=headers).json()
    event = {"kind": "status_changed", "status": "waiting_on_customer", "external_id": "e1"}
    first = client.post(f"/v1/tickets/{ticket['id']}/events", json=event, headers=headers)
    assert first.status_code == 201
    assert first.json()["status"] == "waiting_on_customer"
    retry = client.post(f"/v1/tickets/{ticket['id']}/events", json=event, headers=headers)
    assert retry.status_code == 200
    sla = client.get(f"/v1/tickets/{ticket['id']}/sla", headers=headers).json()
    assert {c["kind"]: c["state"] for c in sla["clocks"]} == {
        "first_response": "paused",
        "resolution": "paused",
    }


def test_status_change_without_a_status_is_a_422_problem(
    client: TestClient, key_for: dict[str, str]
) -> None:
    headers = bearer(key_for["integration"])
    ticket = client.post("/v1/tickets", json=ticket_data(), headers=headers).json()
    response = client.post(
        f"/v1/tickets/{ticket['id']}/events", json={"kind": "status_changed"}, headers=headers
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_event_for_an_unknown_ticket_is_a_404_problem(
    client: TestClient, key_for: dict[str, str]
) -> None:
    response = client.post(
        "/v1/tickets/tkt_nope/events",
        json={"kind": "agent_reply"},
        headers=bearer(key_for["integration"]),
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


def test_only_admins_manage_webhooks_and_secrets_are_never_listed(
    client: TestClient, key_for: dict[str, str]
) -> None:
    hook = {
        "url": "https://example.test/hook",
        "events": ["ticket.created"],
        "secret": "a-very-long-secret-1",
    }
    assert (
        client.post("/v1/webhooks", json=hook, headers=bearer(key_for["lead"])).status_code == 403
    )
    created = client.post("/v1/webhooks", json=hook, headers=bearer(key_for["admin"]))
    assert created.status_code == 201
    listed = client.get("/v1/webhooks", headers=bearer(key_for["admin"])).json()
    assert listed[0]["id"] == created.json()["id"]
    assert "secret" not in listed[0]
    gone = client.delete(f"/v1/webhooks/{created.json()['id']}", headers=bearer(key_for["admin"]))
    assert gone.status_code == 204


def test_health_signals_are_scored_and_kept_as_history(
    client: TestClient, key_for: dict[str, str]
) -> None:
    headers = bearer(key_for["integration"])
    client.put("/v1/accounts/acme", json=account_data(), headers=headers)
    posted = client.post(
        "/v1/accounts/acme/health-signals",
        json={"usage": 20, "support": 20, "executive": 20, "financial": 20},
        headers=headers,
    )
    assert posted.status_code == 201
    assert posted.json()["score"] == 20
    history = client.get("/v1/accounts/acme/health", headers=headers).json()
    assert [h["score"] for h in history["history"]] == [20]


def test_health_signal_for_an_unknown_account_is_a_404(
    client: TestClient, key_for: dict[str, str]
) -> None:
    response = client.post(
        "/v1/accounts/nobody/health-signals",
        json={"usage": 50},
        headers=bearer(key_for["integration"]),
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


def test_health_signal_without_readings_names_the_problem(
    client: TestClient, key_for: dict[str, str]
) -> None:
    headers = bearer(key_for["integration"])
    client.put("/v1/accounts/acme", json=account_data(), headers=headers)
    response = client.post("/v1/accounts/acme/health-signals", json={"usage": 101}, headers=headers)
    assert response.status_code == 422
    assert "body.usage" in [e["field"] for e in response.json()["errors"]]
