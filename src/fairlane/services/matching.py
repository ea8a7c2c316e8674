"""Find the requester's account (A1, A2): explicit id, client id, user tag, then email domain."""

from __future__ import annotations

from dataclasses import dataclass

from fairlane.domain.accounts import Account
from fairlane.domain.tickets import TicketDraft
from fairlane.services.ports import AccountMatchIndex

__all__ = ["AccountMatch", "identifiers_for", "match_account", "parent_domains"]


@dataclass(frozen=True, slots=True)
class AccountMatch:
    account: Account | None
    matched_by: str | None  # "account_id" | "client_id" | "tag" | "domain" | "crm" | None
    reason: str


def parent_domains(domain: str) -> list[str]:
    """``eu.mail.acme.com`` -> [eu.mail.acme.com, mail.acme.com, acme.com]."""
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


def identifiers_for(draft: TicketDraft) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    if draft.requester_client_id:
        keys.add(("client_id", draft.requester_client_id))
    keys.update(("tag", tag.casefold()) for tag in draft.requester_tags)
    if draft.requester_domain:
        keys.update(("domain", d) for d in parent_domains(draft.requester_domain))
    return keys


def match_account(draft: TicketDraft, index: AccountMatchIndex) -> AccountMatch:
    """The first identifier that names a known account wins, most specific first."""
    if draft.account_id:
        account = index.accounts.get(draft.account_id)
        if account is not None:
            return AccountMatch(account, "account_id", f"account {account.id} named by the ticket")
    candidates: list[tuple[str, tuple[str, str]]] = []
    if draft.requester_client_id:
        candidates.append(("client_id", ("client_id", draft.requester_client_id)))
    candidates += [("tag", ("tag", tag.casefold())) for tag in draft.requester_tags]
    if draft.requester_domain:
        candidates += [("domain", ("domain", d)) for d in parent_domains(draft.requester_domain)]
    for matched_by, key in candidates:
        account_id = index.identifiers.get(key)
        if account_id is not None and account_id in index.accounts:
            account = index.accounts[account_id]
            return AccountMatch(
                account,
                matched_by,
                f"requester matched account {account.id} ({account.name}) by "
                f"{matched_by.replace('_', ' ')} {key[1]!r}",
            )
    if draft.account_id:
        return AccountMatch(None, None, f"account unknown: no account with id {draft.account_id!r}")
    shown = draft.requester_email or draft.requester_client_id or "no requester identifiers"
    return AccountMatch(None, None, f"account unknown: {shown} matched no account identifier")
