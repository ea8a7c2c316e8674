"""Real-time account lookup at intake (A2): ask the CRM with a timeout, else the stored record."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from fairlane.clock import Clock
from fairlane.domain.accounts import Account
from fairlane.domain.audit import AuditEntry
from fairlane.domain.tickets import TicketDraft
from fairlane.errors import Conflict
from fairlane.policy.compiled import CompiledPolicy
from fairlane.services.accounts import account_changes, retarget_if_changed, with_kept_health
from fairlane.services.matching import AccountMatch
from fairlane.services.ports import CrmLookup, CrmTimedOut, CrmUnavailable, Store
from fairlane.services.schemas import AccountIn

__all__ = ["CrmRefresh", "CrmRefresher"]

_Key = tuple[str | None, str | None, str | None]


def _key(draft: TicketDraft) -> _Key:
    return (draft.requester_email, draft.requester_domain, draft.requester_client_id)


@dataclass
class CrmRefresh:
    """What the CRM said for one batch, to be applied inside the intake transaction."""

    source: str
    accounts: dict[str, Account] = field(default_factory=dict)
    answers: dict[_Key, str | None] = field(default_factory=dict)  # key -> account id or None
    notes: dict[_Key, str] = field(default_factory=dict)

    def apply(self, store: Store, *, clock: Clock, actor: str, policy: CompiledPolicy) -> None:
        """Store the CRM's answers, audited; the accounts' other open tickets are re-targeted
        when a fact their SLA depends on moved (S2)."""
        now = clock.now()
        for account in list(self.accounts.values()):
            try:
                account = with_kept_health(store, [account])[0]
                self.accounts[account.id] = account
                before = store.upsert_accounts([account], now=now)[0]
            except Conflict as exc:
                self._drop(account.id, f"CRM record for {account.id} not stored: {exc.detail}")
                continue
            store.add_audit(
                [
                    AuditEntry(
                        occurred_at=now,
                        actor=actor,
                        action="account.refreshed",
                        subject_type="account",
                        subject_id=account.id,
                        account_id=account.id,
                        policy_ref=policy.ref,
                        inputs={"source": self.source},
                        outcome={"changes": account_changes(before, account)},
                        reasons=(f"refreshed from {self.source} at intake",),
                    )
                ]
            )
            retarget_if_changed(store, before, account, policy=policy, now=now, actor=actor)

    def _drop(self, account_id: str, note: str) -> None:
        del self.accounts[account_id]
        for key, answer in self.answers.items():
            if answer == account_id:
                self.answers[key] = None
                self.notes[key] = note

    def match_for(self, draft: TicketDraft) -> AccountMatch | None:
        key = _key(draft)
        if key in self.notes:
            return AccountMatch(None, None, self.notes[key])
        if key not in self.answers:
            return None
        account_id = self.answers[key]
        if account_id is None:
            return AccountMatch(None, None, f"{self.source} has no account for this requester")
        return AccountMatch(
            self.accounts[account_id],
            "crm",
            f"requester matched account {account_id} by a live {self.source} lookup",
        )


class CrmRefresher:
    """Calls a :class:`CrmLookup` once per distinct requester, each call bounded by a timeout."""

    def __init__(self, lookup: CrmLookup, *, timeout_seconds: float, max_workers: int = 8) -> None:
        self.lookup = lookup
        self.timeout_seconds = timeout_seconds
        self.max_workers = max_workers

    def refresh(self, drafts: Sequence[TicketDraft]) -> CrmRefresh:
        """Ask about every distinct requester at once; whatever has not answered when the
        deadline passes is treated as a timeout (the stored record is used)."""
        result = CrmRefresh(source=self.lookup.name)
        keys = list(
            dict.fromkeys(_key(d) for d in drafts if d.requester_email or d.requester_client_id)
        )
        if not keys:
            return result
        workers = min(self.max_workers, len(keys))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crm")
        try:
            futures = {
                key: pool.submit(self.lookup.lookup, email=key[0], domain=key[1], client_id=key[2])
                for key in keys
            }
            rounds = -(-len(keys) // workers)
            wait(futures.values(), timeout=self.timeout_seconds * rounds)
            for key, future in futures.items():
                self._record(result, key, future)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        return result

    def _record(self, result: CrmRefresh, key: _Key, future: Future[dict[str, Any] | None]) -> None:
        fallback = "; the stored account record was used"
        late = f"{self.lookup.name} did not answer within {self.timeout_seconds:g}s{fallback}"
        if not future.done():
            result.notes[key] = late
            return
        try:
            raw = future.result()
        except (CancelledError, CrmTimedOut):  # the deadline, or the client's own timeout
            result.notes[key] = late
            return
        except CrmUnavailable as exc:
            result.notes[key] = f"{self.lookup.name} unavailable ({exc}){fallback}"
            return
        except Exception as exc:  # a user's hook may raise anything; intake must go on
            result.notes[key] = f"{self.lookup.name} failed ({type(exc).__name__}: {exc}){fallback}"
            return
        if raw is None:
            result.answers[key] = None
            return
        try:
            account = AccountIn.model_validate(raw).to_domain()
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            result.notes[key] = (
                f"{self.lookup.name} returned an invalid account ({where}: "
                f"{first['msg']}){fallback}"
            )
            return
        result.accounts[account.id] = account
        result.answers[key] = account.id
