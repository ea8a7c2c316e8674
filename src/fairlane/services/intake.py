"""Ticket intake: validate, deduplicate, match the account, decide, audit, in one transaction.

The single-ticket API and batch imports share :func:`accept_tickets`; a batch is one
transaction per call, so callers chunk large files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from fairlane.clock import Clock
from fairlane.domain.accounts import Account
from fairlane.domain.audit import AuditEntry, OutboxEvent
from fairlane.domain.tickets import Lane, TicketDraft
from fairlane.errors import Conflict, FairlaneError, FieldProblem, ValidationFailed
from fairlane.ids import new_id
from fairlane.policy.compiled import CompiledPolicy
from fairlane.policy.conditions import suggest
from fairlane.policy.decisions import (
    VipEvaluation,
    decide_lane,
    decide_sla,
    decide_triage,
    evaluate_vip,
)
from fairlane.services.clocks import intake_clock_rows
from fairlane.services.crm import CrmRefresher
from fairlane.services.matching import AccountMatch, identifiers_for, match_account
from fairlane.services.ports import DuplicateTicket, Store, UnitOfWork
from fairlane.services.reviews import review_rows
from fairlane.services.risk import REPEAT_WINDOW, at_risk_event, intake_risk
from fairlane.services.schemas import TicketIn
from fairlane.services.steps import tier2_step
from fairlane.triage.reading import TextReading

__all__ = ["CLOCK_SKEW", "IntakeOutcome", "accept_ticket", "accept_tickets"]

CLOCK_SKEW = timedelta(minutes=5)
_RETRIES = 3


@dataclass(frozen=True, slots=True)
class IntakeOutcome:
    """What became of one input: a ticket id (new or the existing one), or the problem."""

    position: int
    ticket_id: str | None
    is_new: bool
    problem: FairlaneError | None = None
    ticket: dict[str, Any] | None = None  # the stored row, for a ticket created by this call


def accept_ticket(
    ticket: TicketIn,
    *,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    clock: Clock,
    crm: CrmRefresher | None = None,
    actor: str = "api",
) -> IntakeOutcome:
    """Accept one ticket; raise its problem (ValidationFailed, Conflict) instead of returning it."""
    outcome = accept_tickets([ticket], uow=uow, policy=policy, clock=clock, crm=crm, actor=actor)[0]
    if outcome.problem is not None:
        raise outcome.problem
    return outcome


def accept_tickets(
    tickets: Sequence[TicketIn],
    *,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    clock: Clock,
    crm: CrmRefresher | None = None,
    actor: str = "api",
) -> list[IntakeOutcome]:
    """Accept a batch in one transaction; problems are reported per position, never raised."""
    for attempt in range(_RETRIES):
        try:
            return _accept(tickets, uow=uow, policy=policy, clock=clock, crm=crm, actor=actor)
        except DuplicateTicket:
            if attempt == _RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _accept(
    tickets: Sequence[TicketIn],
    *,
    uow: UnitOfWork,
    policy: CompiledPolicy,
    clock: Clock,
    crm: CrmRefresher | None,
    actor: str,
) -> list[IntakeOutcome]:
    received_at = clock.now()
    outcomes: dict[int, IntakeOutcome] = {}
    drafts: dict[int, tuple[TicketDraft, str]] = {}
    for position, ticket in enumerate(tickets):
        problem = check_ticket(ticket, policy, received_at=received_at)
        if problem is not None:
            outcomes[position] = IntakeOutcome(position, None, False, problem)
        else:
            drafts[position] = (_draft(ticket, received_at, policy), payload_hash(ticket))
    refreshed = crm.refresh([d for d, _ in drafts.values()]) if crm is not None else None
    with uow() as store:
        existing = store.find_ticket_keys([(d.source, d.external_id) for d, _ in drafts.values()])
        fresh = _dedupe(drafts, existing, outcomes)
        if refreshed is not None:
            refreshed.apply(store, clock=clock, actor=actor, policy=policy)
        index = store.find_accounts(
            ids={d.account_id for d, _ in fresh.values() if d.account_id},
            identifiers=set().union(*(identifiers_for(d) for d, _ in fresh.values())),
        )
        emails = [d.requester_email for d, _ in fresh.values() if d.requester_email]
        since = min((d.created_at for d, _ in fresh.values()), default=received_at)
        writer = _Writer(
            policy,
            actor,
            received_at,
            repeat=store.requester_ticket_counts(emails, since=since - REPEAT_WINDOW),
        )
        readings = policy.reader.read([_text(d) for d, _ in fresh.values()])
        for (position, (draft, digest)), reading in zip(fresh.items(), readings, strict=True):
            stored = match_account(draft, index)
            crm_match = refreshed.match_for(draft) if refreshed is not None else None
            match = _choose_match(stored, crm_match)
            row = writer.add(draft, digest, match, reading)
            outcomes[position] = IntakeOutcome(position, row["id"], True, ticket=row)
        writer.flush(store)
    return [outcomes[i] for i in range(len(tickets))]


def _text(draft: TicketDraft) -> str:
    """What the models read: the subject, then the body."""
    return f"{draft.subject}\n{draft.body}" if draft.subject else draft.body


def _choose_match(stored: AccountMatch, crm_match: AccountMatch | None) -> AccountMatch:
    """An account id named by the ticket wins; then the CRM's live answer; then stored identifiers.

    The CRM's accounts were upserted before ``stored`` was matched, so a stored match already
    reads the refreshed record when the CRM returned the same account.
    """
    if crm_match is None:
        return stored
    if stored.matched_by != "account_id" and crm_match.account is not None:
        return crm_match
    return replace(stored, reason=f"{stored.reason}; {crm_match.reason}")


def _dedupe(
    drafts: dict[int, tuple[TicketDraft, str]],
    existing: dict[tuple[str, str], tuple[str, str]],
    outcomes: dict[int, IntakeOutcome],
) -> dict[int, tuple[TicketDraft, str]]:
    """Retries return the stored ticket; the same key with different content is a conflict."""
    fresh: dict[int, tuple[TicketDraft, str]] = {}
    first_in_batch: dict[tuple[str, str], tuple[int, str]] = {}
    for position, (draft, digest) in drafts.items():
        key = (draft.source, draft.external_id)
        stored = existing.get(key)
        earlier = first_in_batch.get(key)
        known_digest = stored[1] if stored else (earlier[1] if earlier else None)
        if known_digest is None:
            first_in_batch[key] = (position, digest)
            fresh[position] = (draft, digest)
        elif known_digest != digest:
            outcomes[position] = IntakeOutcome(
                position,
                stored[0] if stored else None,
                False,
                Conflict(
                    f"A different ticket with source {draft.source!r} and external_id "
                    f"{draft.external_id!r} was already accepted; send a new external_id for a new "
                    "ticket (a retry must repeat the original content exactly)."
                ),
            )
        else:
            outcomes[position] = IntakeOutcome(position, stored[0] if stored else None, False)
    return fresh


def check_ticket(
    ticket: TicketIn, policy: CompiledPolicy, *, received_at: datetime
) -> ValidationFailed | None:
    """Checks that need the policy or the clock (the schema has done the rest)."""
    problems = []
    if ticket.team is not None and ticket.team not in policy.team_calendars:
        problems.append(
            FieldProblem(
                ("team",),
                f"no team named {ticket.team!r} in policy {policy.ref}",
                suggestion=suggest(ticket.team, sorted(policy.team_calendars)),
            )
        )
    if ticket.created_at is not None and ticket.created_at > received_at + CLOCK_SKEW:
        problems.append(
            FieldProblem(
                ("created_at",),
                f"{ticket.created_at.isoformat()} is in the "
                f"future (now is {received_at.isoformat()})",
            )
        )
    if problems:
        return ValidationFailed("The ticket was not accepted.", problems)
    return None


def payload_hash(ticket: TicketIn) -> str:
    canonical = json.dumps(ticket.model_dump(mode="json", exclude_none=True), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _draft(ticket: TicketIn, received_at: datetime, policy: CompiledPolicy) -> TicketDraft:
    return TicketDraft(
        source=ticket.source,
        external_id=ticket.external_id,
        subject=ticket.subject,
        body=ticket.body,
        received_at=received_at,
        created_at=ticket.created_at or received_at,
        requester_email=ticket.requester_email,
        requester_client_id=ticket.requester_client_id,
        requester_tags=tuple(ticket.requester_tags),
        account_id=ticket.account_id,
        channel=ticket.channel,
        team=ticket.team or policy.default_team,
    )


class _Writer:
    """Decides each ticket and collects its row, audit entries and events for one flush."""

    def __init__(
        self,
        policy: CompiledPolicy,
        actor: str,
        received_at: datetime,
        *,
        repeat: dict[str, int],
    ) -> None:
        self.policy, self.actor, self.received_at = policy, actor, received_at
        self.repeat = repeat  # tickets per requester e-mail in the window before the batch
        self.rows: list[dict[str, Any]] = []
        self.audit: list[AuditEntry] = []
        self.events: list[OutboxEvent] = []
        self.clocks: list[dict[str, Any]] = []
        self.steps: list[dict[str, Any]] = []
        self.reviews: list[dict[str, Any]] = []
        self._vip_cache: dict[str, VipEvaluation] = {}

    def _vip(self, account: Account | None) -> VipEvaluation:
        if account is None:
            return evaluate_vip(None, self.policy, now=self.received_at)
        cached = self._vip_cache.get(account.id)
        if cached is None:
            cached = self._vip_cache[account.id] = evaluate_vip(
                account, self.policy, now=self.received_at
            )
        return cached

    def add(
        self, draft: TicketDraft, digest: str, match: AccountMatch, reading: TextReading
    ) -> dict[str, Any]:
        """Decide one ticket; returns its row as it will be stored."""
        policy, now = self.policy, self.received_at
        ticket_id = new_id("tkt")
        triage = decide_triage(draft.subject, draft.body, policy, reading)
        vip = self._vip(match.account)
        lane = decide_lane(vip, triage, policy)
        team = draft.team or policy.default_team
        sla = decide_sla(
            lane=lane.lane,
            priority=triage.priority,
            team=team,
            account=match.account,
            started_at=draft.created_at,
            policy=policy,
            now=now,
        )
        account_id = match.account.id if match.account else None
        risk, signals = intake_risk(
            reading,
            match.account,
            text=_text(draft),
            repeat_contacts=self.repeat.get(draft.requester_email or "", 0),
            policy=policy,
            now=now,
        )
        if draft.requester_email:  # later tickets of the batch see this one
            self.repeat[draft.requester_email] = self.repeat.get(draft.requester_email, 0) + 1
        decisions: dict[str, dict[str, Any]] = {
            "account": {
                "account_id": account_id,
                "matched_by": match.matched_by,
                "reason": match.reason,
            },
            "triage": triage.as_dict(),
            "risk": {**risk.as_dict(), "signals": signals.as_dict()},
            "vip": vip.as_dict(),
            "lane": {"lane": lane.lane.value, "reasons": list(lane.reasons)},
            "sla": sla.as_dict(),
        }
        self.rows.append(
            {
                "id": ticket_id,
                "source": draft.source,
                "external_id": draft.external_id,
                "payload_hash": digest,
                "status": "open",
                "subject": draft.subject,
                "body": draft.body,
                "requester_email": draft.requester_email,
                "requester_client_id": draft.requester_client_id,
                "account_id": account_id,
                "channel": draft.channel,
                "team": team,
                "priority": triage.priority.value,
                "lane": lane.lane.value,
                "is_escalation_required": triage.is_escalation_required,
                "intent": triage.intent,
                "attention": reading.attention,
                "escalation_risk": risk.score,
                "needs_review": triage.needs_review,
                "created_at": draft.created_at,
                "received_at": now,
                "first_response_due_at": sla.first_response_due_at,
                "resolution_due_at": sla.resolution_due_at,
                "policy_ref": policy.ref,
                "decisions": decisions,
            }
        )
        common: dict[str, Any] = {
            "occurred_at": now,
            "actor": self.actor,
            "subject_type": "ticket",
            "subject_id": ticket_id,
            "ticket_id": ticket_id,
            "account_id": account_id,
            "policy_ref": policy.ref,
        }
        self.audit += [
            AuditEntry(
                action="ticket.accepted",
                **common,
                inputs={
                    "source": draft.source,
                    "external_id": draft.external_id,
                    "requester_email": draft.requester_email,
                    "requester_client_id": draft.requester_client_id,
                    "created_at": draft.created_at.isoformat(),
                    "payload_hash": digest,
                },
                outcome=decisions["account"],
                reasons=(match.reason,),
            ),
            AuditEntry(
                action="priority.decided",
                **common,
                inputs={
                    "subject_chars": len(draft.subject),
                    "body_chars": len(draft.body),
                    # what the models read (the full readings are in the ticket's decisions)
                    "models": {
                        name: [r.model_id, r.label, round(r.confidence, 4)]
                        for name, r in (("intent", reading.intent), ("urgency", reading.urgency))
                    },
                    "sentiment": round(reading.sentiment.compound, 4),
                    "attention": reading.attention,
                    "threshold": policy.document.triage.confidence_threshold,
                },
                outcome={
                    "priority": triage.priority.value,
                    "priority_source": triage.source,
                    "priority_confidence": round(triage.confidence, 4),
                    "intent": triage.intent,
                    "signals": [h.name for h in triage.hits],
                    "is_escalation_required": triage.is_escalation_required,
                    "needs_review": triage.needs_review,
                    "held_for_review": [
                        [x.field, x.value, round(x.confidence, 4)] for x in triage.suggestions
                    ],
                    "escalation_risk": risk.score,
                },
                reasons=triage.reasons,
            ),
            AuditEntry(
                action="vip.evaluated",
                **common,
                inputs={"facts": vip.facts},
                outcome={"is_eligible": vip.is_eligible, "matched": list(vip.matched)},
                reasons=vip.reasons,
            ),
            AuditEntry(
                action="lane.decided",
                **common,
                inputs={
                    "is_vip_eligible": vip.is_eligible,
                    "priority": triage.priority.value,
                    "signals": sorted(triage.signal_names),
                },
                outcome={"lane": lane.lane.value},
                reasons=lane.reasons,
            ),
            AuditEntry(
                action="sla.targets_set",
                **common,
                inputs={
                    "lane": lane.lane.value,
                    "priority": triage.priority.value,
                    "team": team,
                    "started_at": draft.created_at.isoformat(),
                    "modifiers": list(sla.modifiers),
                },
                outcome={
                    "first_response_due_at": sla.first_response_due_at.isoformat(),
                    "resolution_due_at": sla.resolution_due_at.isoformat(),
                },
                reasons=sla.reasons,
            ),
        ]
        if triage.suggestions:  # audited with priority.decided (held_for_review, reasons)
            self.reviews += review_rows(ticket_id, triage.suggestions, at=now, policy=policy)
        self.clocks += intake_clock_rows(ticket_id, sla, started_at=draft.created_at, policy=policy)
        calendar = policy.team_calendars[team] if sla.is_business_time else None
        self.steps.append(
            tier2_step(ticket_id, arrived_at=draft.created_at, calendar=calendar, policy=policy)
        )
        self.events.append(
            OutboxEvent(
                "ticket.created",
                ticket_id,
                now,
                {
                    "ticket_id": ticket_id,
                    "source": draft.source,
                    "external_id": draft.external_id,
                    "account_id": account_id,
                    "priority": triage.priority.value,
                    "lane": lane.lane.value,
                    "is_escalation_required": triage.is_escalation_required,
                    "team": team,
                    "first_response_due_at": sla.first_response_due_at.isoformat(),
                    "resolution_due_at": sla.resolution_due_at.isoformat(),
                    "policy": policy.ref,
                },
            )
        )
        if risk.is_at_risk:
            self.events.append(at_risk_event(ticket_id, risk, at=now, policy=policy))
        if lane.lane is Lane.VIP:
            self.events.append(
                OutboxEvent(
                    "vip.decided",
                    ticket_id,
                    now,
                    {
                        "ticket_id": ticket_id,
                        "account_id": account_id,
                        "lane": lane.lane.value,
                        "criteria": list(vip.matched),
                        "priority": triage.priority.value,
                        "policy": policy.ref,
                    },
                )
            )
        return self.rows[-1]

    def flush(self, store: Store) -> None:
        store.add_tickets(self.rows)
        store.add_clocks(self.clocks)
        store.add_steps(self.steps)
        store.add_reviews(self.reviews)
        store.add_audit(self.audit)
        store.add_events(self.events)
