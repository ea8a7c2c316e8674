"""The /v1 routes: thin adapters from HTTP to the service layer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Response

from fairlane.entrypoints.api.deps import AppDep, caller_with
from fairlane.entrypoints.api.models import (
    AccountOut,
    AuditEntryOut,
    BulkUpsertOut,
    KeyCreated,
    KeyIn,
    KeyOut,
    PolicyOut,
    PolicyVersionOut,
    QueueOut,
    TicketAccepted,
    TicketOut,
)
from fairlane.entrypoints.api.problems import PROBLEM_RESPONSES, problems_located_in
from fairlane.errors import FieldProblem, NotFound, ValidationFailed
from fairlane.services import accounts as account_service
from fairlane.services.events import EventOutcome, TicketEventIn, record_event, sla_report
from fairlane.services.health import HealthOutcome, HealthSignalIn, record_health
from fairlane.services.intake import accept_ticket
from fairlane.services.keys import Permission, Role, create_key
from fairlane.services.ports import ApiKeyRow
from fairlane.services.schemas import AccountIn, TicketIn
from fairlane.services.tickets import explain, get_ticket, list_queue, ticket_audit
from fairlane.services.webhooks import WebhookIn, create_subscription, redeliver

__all__ = ["router"]

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES)
TicketId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
AccountId = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[^\s/?#\x00]+$")]


def _ticket_out(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "explanation": explain(row)}


@router.post(
    "/tickets",
    response_model=TicketAccepted,
    status_code=201,
    tags=["tickets"],
    summary="Accept a ticket (idempotent on source + external_id)",
)
def post_ticket(
    app: AppDep,
    response: Response,
    ticket: TicketIn,
    caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.WRITE_TICKETS))],
) -> dict[str, Any]:
    """Matches the account, decides priority, VIP eligibility, lane and SLA targets, and writes
    them with their audit entries in one transaction. A retry with the same content returns the
    stored ticket with status 200; the same key with different content is a 409."""
    with problems_located_in("body"):
        outcome = accept_ticket(
            ticket,
            uow=app.uow,
            policy=app.policy,
            clock=app.clock,
            crm=app.crm,
            actor=f"key:{caller.name}",
        )
    assert outcome.ticket_id is not None
    if not outcome.is_new:
        response.status_code = 200
    response.headers["Location"] = f"/v1/tickets/{outcome.ticket_id}"
    row = outcome.ticket or get_ticket(outcome.ticket_id, uow=app.uow)
    return {**_ticket_out(row), "is_new": outcome.is_new}


@router.get(
    "/tickets",
    response_model=QueueOut,
    tags=["tickets"],
    summary="Open tickets in queue order (severity beats status)",
)
def get_queue(
    app: AppDep,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.READ_TICKETS))],
    team: Annotated[str | None, Query(max_length=64, pattern=r"^[^\x00]*$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    with problems_located_in("query"):
        rows = list_queue(uow=app.uow, policy=app.policy, team=team, limit=limit)
    return {"tickets": [_ticket_out(r) for r in rows]}


@router.get("/tickets/{ticket_id}", response_model=TicketOut, tags=["tickets"])
def get_one_ticket(
    app: AppDep,
    ticket_id: TicketId,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.READ_TICKETS))],
) -> dict[str, Any]:
    return _ticket_out(get_ticket(ticket_id, uow=app.uow))


@router.get(
    "/tickets/{ticket_id}/audit",
    response_model=list[AuditEntryOut],
    tags=["tickets"],
    summary="The ticket's append-only audit trail (M9)",
)
def get_ticket_audit(
    app: AppDep,
    ticket_id: TicketId,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.READ_AUDIT))],
) -> list[dict[str, Any]]:
    return ticket_audit(ticket_id, uow=app.uow)


@router.post(
    "/tickets/{ticket_id}/events",
    response_model=EventOutcome,
    tags=["tickets"],
    summary="Record an agent reply, a customer message or a status change (moves the clocks)",
)
def post_ticket_event(
    app: AppDep,
    response: Response,
    ticket_id: TicketId,
    event: TicketEventIn,
    caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.WRITE_TICKETS))],
) -> EventOutcome:
    """Waiting on the customer or on hold pauses the clocks (S4); an agent reply meets the first
    response and sets the next-update promise; a customer message restarts the update clock
    (S7). An event repeated with the same external_id changes nothing (200, is_new false)."""
    with problems_located_in("body"):
        outcome = record_event(
            ticket_id,
            event,
            uow=app.uow,
            policy=app.policy,
            clock=app.clock,
            actor=f"key:{caller.name}",
        )
    response.status_code = 201 if outcome.is_new else 200
    return outcome


@router.get(
    "/tickets/{ticket_id}/sla",
    tags=["tickets"],
    summary="The ticket's SLA clocks: target, due, elapsed, paused, state, breached-by, why",
)
def get_ticket_sla(
    app: AppDep,
    ticket_id: TicketId,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.READ_TICKETS))],
) -> dict[str, Any]:
    return sla_report(ticket_id, uow=app.uow, policy=app.policy, clock=app.clock)


@router.put(
    "/accounts/{account_id}",
    response_model=AccountOut,
    tags=["accounts"],
    summary="Create or update one account",
)
def put_account(
    app: AppDep,
    response: Response,
    account_id: AccountId,
    account: AccountIn,
    caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.WRITE_ACCOUNTS))],
) -> dict[str, Any]:
    if account.id != account_id:
        raise ValidationFailed(
            "The body's id must equal the id in the path.",
            [
                FieldProblem(
                    ("body", "id"), f"{account.id!r} differs from the path's {account_id!r}"
                )
            ],
        )
    result = account_service.upsert_accounts(
        [account], uow=app.uow, clock=app.clock, policy=app.policy, actor=f"key:{caller.name}"
    )
    if result.created:
        response.status_code = 201
    return _account_out(app, account_id)


@router.post(
    "/accounts/bulk",
    response_model=BulkUpsertOut,
    tags=["accounts"],
    summary="Create or update up to 1,000 accounts, all or nothing",
)
def bulk_accounts(
    app: AppDep,
    accounts: Annotated[list[AccountIn], Body(max_length=1000)],
    caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.WRITE_ACCOUNTS))],
) -> dict[str, Any]:
    with problems_located_in("body"):
        result = account_service.upsert_accounts(
            accounts, uow=app.uow, clock=app.clock, policy=app.policy, actor=f"key:{caller.name}"
        )

    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "account_ids": list(result.account_ids),
    }


@router.get(
    "/accounts/{account_id}",
    response_model=AccountOut,
    tags=["accounts"],
    summary="An account with its current VIP evaluation and why",
)
def get_account(
    app: AppDep,
    account_id: AccountId,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.READ_ACCOUNTS))],
) -> dict[str, Any]:
    return _account_out(app, account_id)


def _account_out(app: Any, account_id: str) -> dict[str, Any]:
    view = account_service.get_account_view(
        account_id, uow=app.uow, clock=app.clock, policy=app.policy
    )
    return {
        "account": account_service.account_dict(view.account),
        "vip": view.vip.as_dict(),
        "evaluated_at": view.evaluated_at,
    }


@router.get("/policy", response_model=PolicyOut, tags=["policy"], summary="The effective policy")
def get_policy(
    app: AppDep, _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.READ_POLICY))]
) -> dict[str, Any]:
    policy = app.policy
    return {
        "ref": policy.ref,
        "name": policy.name,
        "version": policy.version,
        "document": policy.as_dict(),
    }


@router.post(
    "/accounts/{account_id}/health-signals",
    response_model=HealthOutcome,
    status_code=201,
    tags=["accounts"],
    summary="Record health component readings; scores, alerts and tightens open tickets (A3, A4)",
)
def post_health_signal(
    app: AppDep,
    account_id: AccountId,
    signal: HealthSignalIn,
    caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.WRITE_ACCOUNTS))],
) -> HealthOutcome:
    with problems_located_in("body"):
        return record_health(
            account_id,
            signal,
            uow=app.uow,
            policy=app.policy,
            clock=app.clock,
            actor=f"key:{caller.name}",
        )


@router.get(
    "/accounts/{account_id}/health",
    tags=["accounts"],
    summary="The account's health score history, newest first",
)
def get_health(
    app: AppDep,
    account_id: AccountId,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.READ_ACCOUNTS))],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    with app.uow() as store:
        account = store.get_account(account_id)
        if account is None:
            raise NotFound("account", account_id)
        history = store.health_history(account_id, limit=limit)
    return {
        "account_id": account_id,
        "score": account.health_score,
        "scored_at": account.health_scored_at,
        "drop_points": account.health_drop_points,
        "history": history,
    }


@router.post(
    "/webhooks",
    status_code=201,
    tags=["webhooks"],
    summary="Subscribe a URL to events (admin); the secret is shown once",
)
def post_webhook(
    app: AppDep,
    hook: WebhookIn,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.MANAGE_WEBHOOKS))],
) -> dict[str, Any]:
    return create_subscription(hook, uow=app.uow, clock=app.clock)


@router.get("/webhooks", tags=["webhooks"], summary="Webhook subscriptions (never their secrets)")
def list_webhooks(
    app: AppDep,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.MANAGE_WEBHOOKS))],
) -> list[dict[str, Any]]:
    with app.uow() as store:
        rows = store.list_subscriptions()
    return [{k: v for k, v in row.items() if k != "secret"} for row in rows]


@router.delete(
    "/webhooks/{subscription_id}",
    status_code=204,
    tags=["webhooks"],
    summary="Stop a subscription (its past deliveries are kept)",
)
def delete_webhook(
    app: AppDep,
    subscription_id: TicketId,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.MANAGE_WEBHOOKS))],
) -> Response:
    with app.uow() as store:
        if not store.delete_subscription(subscription_id, now=app.clock.now()):
            raise NotFound("webhook subscription", subscription_id)
    return Response(status_code=204)


@router.get(
    "/webhooks/deliveries",
    tags=["webhooks"],
    summary="Recent deliveries, newest first; filter by status (pending, delivered, dead)",
)
def list_webhook_deliveries(
    app: AppDep,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.MANAGE_WEBHOOKS))],
    status: Annotated[str | None, Query(pattern=r"^(pending|delivered|dead|cancelled)$")] = None,
    subscription_id: Annotated[
        str | None, Query(max_length=40, pattern=r"^[A-Za-z0-9_-]+$")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    with app.uow() as store:
        return store.list_deliveries(subscription_id=subscription_id, status=status, limit=limit)


@router.post(
    "/webhooks/deliveries/{delivery_id}/redeliver",
    status_code=202,
    tags=["webhooks"],
    summary="Send a dead or delivered delivery again",
)
def post_redeliver(
    app: AppDep,
    delivery_id: TicketId,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.MANAGE_WEBHOOKS))],
) -> dict[str, str]:
    redeliver(delivery_id, uow=app.uow, clock=app.clock)
    return {"id": delivery_id, "status": "pending"}


@router.get(
    "/policy/changelog",
    response_model=list[PolicyVersionOut],
    tags=["policy"],
    summary="Every policy version that decided anything (M9)",
)
def get_policy_changelog(
    app: AppDep, _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.READ_POLICY))]
) -> list[dict[str, Any]]:
    with app.uow() as store:
        return store.policy_changelog()


@router.post(
    "/keys",
    response_model=KeyCreated,
    status_code=201,
    tags=["admin"],
    summary="Create an API key (admin)",
)
def post_key(
    app: AppDep,
    key: KeyIn,
    _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.MANAGE_KEYS))],
) -> dict[str, Any]:
    created = create_key(name=key.name, role=Role(key.role), uow=app.uow, clock=app.clock)
    return {
        "id": created.id,
        "name": created.name,
        "role": created.role.value,
        "key": created.secret,
    }


@router.get("/keys", response_model=list[KeyOut], tags=["admin"], summary="List API keys (admin)")
def list_keys(
    app: AppDep, _caller: Annotated[ApiKeyRow, Depends(caller_with(Permission.MANAGE_KEYS))]
) -> list[dict[str, Any]]:
    with app.uow() as store:
        rows = store.list_api_keys()
    return [
        {
            "id": r.id,
            "name": r.name,
            "role": r.role,
            "created_at": r.created_at,
            "revoked_at": r.revoked_at,
        }
        for r in rows
    ]
