"""The synthetic organisation: deterministic, realistic enough to exercise triage and routing."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from fairlane.demo.synthetic import SyntheticOrg, generate_organisation, generate_tickets

END = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
ACCOUNT_KEYS = {
    "id",
    "name",
    "segment",
    "plan",
    "arr",
    "acv",
    "currency",
    "renewal_on",
    "is_strategic",
    "strategic_reason",
    "csm_owner",
    "email_domains",
    "client_ids",
    "tags",
    "health_score",
    "health_scored_at",
}
TICKET_KEYS = {
    "source",
    "external_id",
    "subject",
    "body",
    "requester_email",
    "requester_client_id",
    "created_at",
    "channel",
    "team",
}
AGENT_KEYS = {"id", "name", "email", "team", "skills", "tier"}


@pytest.fixture(scope="module")
def org() -> SyntheticOrg:
    return generate_organisation(seed=7, end_at=END)


def _text(ticket: dict[str, object]) -> str:
    return f"{ticket['subject']}\n{ticket['body']}".lower()


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def test_the_same_seed_gives_identical_output(org: SyntheticOrg) -> None:
    again = generate_organisation(seed=7, end_at=END)
    assert json.dumps(again.accounts) == json.dumps(org.accounts)
    assert json.dumps(again.agents) == json.dumps(org.agents)
    assert json.dumps(again.tickets) == json.dumps(org.tickets)


def test_different_seeds_give_different_organisations(org: SyntheticOrg) -> None:
    other = generate_organisation(seed=8, end_at=END)
    assert [a["name"] for a in other.accounts] != [a["name"] for a in org.accounts]
    assert [t["body"] for t in other.tickets] != [t["body"] for t in org.tickets]


def test_the_default_demo_has_the_documented_sizes(org: SyntheticOrg) -> None:
    assert (len(org.accounts), len(org.agents), len(org.tickets)) == (500, 24, 1200)


def test_a_naive_end_at_is_rejected() -> None:
    with pytest.raises(ValueError, match="naive"):
        generate_organisation(seed=1, end_at=datetime(2026, 11, 20, 17, 0))


def test_a_naive_ticket_window_is_rejected(org: SyntheticOrg) -> None:
    with pytest.raises(ValueError, match="naive"):
        generate_tickets(
            seed=1, accounts=org.accounts, count=5, start_at=datetime(2026, 11, 1), end_at=END
        )


def test_records_hold_only_the_documented_json_friendly_keys(org: SyntheticOrg) -> None:
    assert all(set(a) == ACCOUNT_KEYS for a in org.accounts)
    assert all(set(t) == TICKET_KEYS for t in org.tickets)
    assert all(set(a) == AGENT_KEYS for a in org.agents)
    assert json.loads(json.dumps([org.accounts, org.agents, org.tickets])) == [
        org.accounts,
        org.agents,
        org.tickets,
    ]


def test_500_accounts_have_unique_ids_names_and_domains(org: SyntheticOrg) -> None:
    ids = [a["id"] for a in org.accounts]
    names = [a["name"] for a in org.accounts]
    domains = [d for a in org.accounts for d in a["email_domains"]]  # type: ignore[attr-defined]
    clients = [c for a in org.accounts for c in a["client_ids"]]  # type: ignore[attr-defined]
    assert len(set(ids)) == len(ids) == 500
    assert len(set(names)) == len(names)
    assert len(set(domains)) == len(domains)
    assert len(set(clients)) == len(clients)
    assert ids[0] == "acct-0001"
    assert all(1 <= len(a["email_domains"]) <= 2 for a in org.accounts)  # type: ignore[arg-type]


def test_arr_is_skewed_so_the_top_tenth_holds_over_40_percent(org: SyntheticOrg) -> None:
    arrs = sorted((Decimal(str(a["arr"])) for a in org.accounts), reverse=True)
    assert sum(arrs[: len(arrs) // 10]) > Decimal("0.4") * sum(arrs)


def test_segments_plans_and_amounts_are_plausible(org: SyntheticOrg) -> None:
    segments = Counter(a["segment"] for a in org.accounts)
    assert 25 <= segments["enterprise"] <= 80
    assert 110 <= segments["mid-market"] <= 190
    assert 250 <= segments["digital-first"] <= 350
    for account in org.accounts:
        arr, acv = Decimal(str(account["arr"])), Decimal(str(account["acv"]))
        assert Decimal("0") < acv <= arr
        assert arr == arr.quantize(Decimal("0.01"))
        assert str(account["arr"]).count(".") == 1
        if account["segment"] == "enterprise":
            assert arr >= 150_000
            assert account["csm_owner"] is not None
            assert account["plan"] in ("enterprise", "business")
        if account["segment"] == "digital-first":
            assert arr <= 40_000
            assert account["plan"] != "enterprise"
        assert account["currency"] == "USD"


def test_renewals_fall_in_the_next_twelve_months_and_some_within_30_days(org: SyntheticOrg) -> None:
    days = [
        (datetime.fromisoformat(f"{a['renewal_on']}T00:00:00+00:00").date() - END.date()).days
        for a in org.accounts
    ]
    assert all(1 <= d <= 366 for d in days)
    assert sum(d <= 30 for d in days) >= 10


def test_strategic_flags_and_health_scores_are_consistent(org: SyntheticOrg) -> None:
    strategic = [a for a in org.accounts if a["is_strategic"]]
    assert 5 <= len(strategic) <= 40
    assert all(a["strategic_reason"] in ("partnership", "new market", "brand") for a in strategic)
    assert all(a["strategic_reason"] is None for a in org.accounts if not a["is_strategic"])
    scored = [a for a in org.accounts if a["health_score"] is not None]
    assert 0.75 < len(scored) / len(org.accounts) < 0.95
    assert any(int(str(a["health_score"])) < 40 for a in scored)
    for account in org.accounts:
        if account["health_score"] is None:
            assert account["health_scored_at"] is None
            continue
        at = datetime.fromisoformat(str(account["health_scored_at"]))
        assert at.utcoffset() == timedelta(0)
        assert END - timedelta(days=45) <= at < END


def test_every_ticket_is_created_inside_the_window_with_a_utc_offset(org: SyntheticOrg) -> None:
    start = END - timedelta(weeks=3)
    for ticket in org.tickets:
        text = str(ticket["created_at"])
        at = datetime.fromisoformat(text)
        assert text.endswith("+00:00")
        assert at.tzinfo is not None
        assert start <= at < END
    stamps = [t["created_at"] for t in org.tickets]
    assert stamps == sorted(stamps)  # type: ignore[type-var]


def test_tickets_arrive_mostly_on_weekdays(org: SyntheticOrg) -> None:
    weekend = sum(datetime.fromisoformat(str(t["created_at"])).weekday() >= 5 for t in org.tickets)
    assert weekend < 0.15 * len(org.tickets)


def test_requester_emails_mostly_resolve_to_an_account_domain(org: SyntheticOrg) -> None:
    domains = {d for a in org.accounts for d in a["email_domains"]}  # type: ignore[attr-defined]
    hits = sum(str(t["requester_email"]).split("@")[1] in domains for t in org.tickets)
    assert 0.84 < hits / len(org.tickets) < 0.95
    personal = sum(
        str(t["requester_email"]).endswith(
            ("@gmail.com", "@outlook.com", "@yahoo.com", "@hotmail.com")
        )
        for t in org.tickets
    )
    assert personal > 0


def test_teams_follow_the_account_region_and_unknown_requesters_have_none(
    org: SyntheticOrg,
) -> None:
    by_domain = {d: a for a in org.accounts for d in a["email_domains"]}  # type: ignore[attr-defined]
    for ticket in org.tickets:
        account = by_domain.get(str(ticket["requester_email"]).split("@")[1])
        if account is not None:
            emea = "emea" in account["tags"]  # type: ignore[operator]
            assert ticket["team"] == ("support-emea" if emea else "support-americas")
        elif ticket["requester_client_id"] is None:
            assert ticket["team"] is None
    assert any(t["team"] == "support-emea" for t in org.tickets)


def test_client_ids_are_sometimes_given_and_belong_to_accounts(org: SyntheticOrg) -> None:
    known = {c for a in org.accounts for c in a["client_ids"]}  # type: ignore[attr-defined]
    given = [t["requester_client_id"] for t in org.tickets if t["requester_client_id"]]
    assert 0.05 < len(given) / len(org.tickets) < 0.16
    assert all(c in known for c in given)


def test_external_ids_are_unique_per_source(org: SyntheticOrg) -> None:
    pairs = [(t["source"], t["external_id"]) for t in org.tickets]
    assert len(set(pairs)) == len(pairs)
    assert {t["source"] for t in org.tickets} == {"email", "web", "chat", "api"}
    prefixes = {"email": "em-", "web": "web-", "chat": "ch-", "api": "api-"}
    assert all(str(t["external_id"]).startswith(prefixes[str(t["source"])]) for t in org.tickets)


def test_the_demo_has_over_1000_distinct_bodies(org: SyntheticOrg) -> None:
    assert len({t["body"] for t in org.tickets}) > 1000


def test_the_text_mix_covers_the_cases_triage_must_find(org: SyntheticOrg) -> None:
    polite = ("quick question", "small thing", "hi", "hello", "question")
    polite_outages = [
        t
        for t in org.tickets
        if str(t["subject"]).lower().startswith(polite)
        and _has_any(
            str(t["body"]).lower(), ("production is down", "can't log in", "operations are stopped")
        )
    ]
    legal = [
        t
        for t in org.tickets
        if _has_any(
            _text(t), ("our lawyer", "legal team", "breach of contract", "legal action", "attorney")
        )
    ]
    refund = [
        t
        for t in org.tickets
        if _has_any(_text(t), ("chargeback", "dispute the charge", "money back"))
    ]
    security = [
        t for t in org.tickets if _has_any(_text(t), ("suspicious login", "data breach", "exposed"))
    ]
    how_to = [
        t
        for t in org.tickets
        if _has_any(
            _text(t),
            (
                "how do i",
                "how to",
                "is there a way",
                "where is",
                "where do i",
                "best way",
                "is it possible",
                "can i ",
            ),
        )
    ]
    angry = [t for t in org.tickets if _has_any(_text(t), ("third time", "unacceptable"))]
    assert polite_outages
    assert legal
    assert refund
    assert security
    assert angry
    assert len(how_to) > 0.15 * len(org.tickets)


def test_some_bodies_are_one_liners_and_some_run_to_several_paragraphs(org: SyntheticOrg) -> None:
    bodies = [str(t["body"]) for t in org.tickets]
    assert any("\n" not in b and len(b) < 60 for b in bodies)
    assert any(b.count("\n\n") >= 3 for b in bodies)
    assert any("wrote:\n>" in b for b in bodies)


def test_agents_cover_every_team_and_skill(org: SyntheticOrg) -> None:
    assert [a["id"] for a in org.agents][:2] == ["agent-01", "agent-02"]
    assert {a["team"] for a in org.agents} == {"support-americas", "support-emea", "specialists"}
    skills = {s for a in org.agents for s in a["skills"]}  # type: ignore[attr-defined]
    assert skills == {"billing", "sso", "api", "security", "data", "legal-liaison"}
    assert {a["tier"] for a in org.agents} == {1, 2}
    assert len({a["email"] for a in org.agents}) == len(org.agents)


def test_generated_records_pass_fairlanes_input_contracts(org: SyntheticOrg) -> None:
    from fairlane.services.schemas import AccountIn, TicketIn

    for account in org.accounts:
        AccountIn.model_validate(account)
    for ticket in org.tickets:
        TicketIn.model_validate(ticket)


def test_generate_tickets_matches_the_organisation_for_the_same_window(org: SyntheticOrg) -> None:
    again = generate_tickets(
        seed=7, accounts=org.accounts, count=1200, start_at=END - timedelta(weeks=3), end_at=END
    )
    assert again == org.tickets


def test_generate_tickets_rejects_an_empty_window_and_accepts_zero_tickets(
    org: SyntheticOrg,
) -> None:
    assert generate_tickets(seed=1, accounts=org.accounts, count=0, start_at=END, end_at=END) == []
    with pytest.raises(ValueError, match="after start_at"):
        generate_tickets(seed=1, accounts=org.accounts, count=3, start_at=END, end_at=END)
    with pytest.raises(ValueError, match="account"):
        generate_tickets(seed=1, accounts=[], count=3, start_at=END - timedelta(days=1), end_at=END)


def test_generate_tickets_makes_100k_tickets_with_unique_source_ids(org: SyntheticOrg) -> None:
    tickets = generate_tickets(
        seed=3, accounts=org.accounts, count=100_000, start_at=END - timedelta(days=90), end_at=END
    )
    assert len(tickets) == 100_000
    assert len({(t["source"], t["external_id"]) for t in tickets}) == 100_000
