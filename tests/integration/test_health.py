"""Health scores (A3, A4) and the dynamic targets they drive (S2), on both databases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fairlane.bootstrap import Application
from fairlane.errors import NotFound
from fairlane.services.accounts import get_account_view, upsert_accounts
from fairlane.services.events import sla_report
from fairlane.services.health import HealthSignalIn, record_health
from fairlane.services.schemas import AccountIn
from fairlane.services.tickets import ticket_audit
from tests.conftest import account_data
from tests.conftest import new_ticket as _ticket


def _account(app: Application, **overrides: Any) -> None:
    upsert_accounts(
        [AccountIn.model_validate(account_data(**overrides))],
        uow=app.uow,
        clock=app.clock,
        policy=app.policy,
        actor="test",
    )


def _signal(app: Application, **readings: Any) -> Any:
    return record_health(
        "acme",
        HealthSignalIn.model_validate(readings),
        uow=app.uow,
        policy=app.policy,
        clock=app.clock,
        actor="test",
    )


def test_score_is_the_segment_weighted_mean_of_the_components(app: Application) -> None:
    _account(app, segment="mid-market")
    outcome = _signal(app, usage=80, support=60, executive=50, financial=90)
    assert outcome.score == round(80 * 0.40 + 60 * 0.25 + 50 * 0.20 + 90 * 0.15)
    assert outcome.alerts == []


def test_enterprise_accounts_weigh_executive_engagement_more(app: Application) -> None:
    _account(app, segment="enterprise")
    outcome = _signal(app, usage=100, executive=0)
    assert outcome.weights == {"usage": 0.30, "executive": 0.30}
    assert outcome.score == 50


def test_score_below_40_alerts_and_tightens_open_tickets(app: Application) -> None:
    _account(app)
    ticket_id = _ticket(app)
    before = {
        c["kind"]: c["target_seconds"]
        for c in sla_report(ticket_id, uow=app.uow, policy=app.policy, clock=app.clock)["clocks"]
    }
    outcome = _signal(app, usage=20, support=30, executive=40, financial=30)
    assert any("below 40" in alert for alert in outcome.alerts)
    assert outcome.tickets_retargeted == 1
    after = {
        c["kind"]: c["target_seconds"]
        for c in sla_report(ticket_id, uow=app.uow, policy=app.policy, clock=app.clock)["clocks"]
    }
    assert after["first_response"] == round(before["first_response"] * 0.75)
    change = next(
        e for e in ticket_audit(ticket_id, uow=app.uow) if e["action"] == "sla.targets_changed"
    )
    assert (
        change["outcome"]["before"]["first_response"]["target_seconds"] == before["first_response"]
    )


def test_a_drop_of_15_points_within_7_days_alerts(app: Application) -> None:
    _account(app)
    _signal(app, usage=90, support=90, executive=90, financial=90)
    app.clock.advance(timedelta(days=3))
    outcome = _signal(app, usage=70, support=70, executive=70, financial=70)
    assert outcome.drop_points == 20
    assert any("fell 20 points" in alert for alert in outcome.alerts)


def test_a_drop_spread_over_more_than_7_days_does_not_alert(app: Application) -> None:
    _account(app)
    _signal(app, usage=90, support=90, executive=90, financial=90)
    app.clock.advance(timedelta(days=8))
    assert _signal(app, usage=70, support=70, executive=70, financial=70).alerts == []


def test_stale_score_is_named_in_the_vip_explanation(app: Application) -> None:
    _account(app, arr="60000")
    _signal(app, usage=10, support=10, executive=10, financial=10)
    assert get_account_view(
        "acme", uow=app.uow, clock=app.clock, policy=app.policy
    ).vip.matched == ("at-risk",)
    app.clock.advance(timedelta(days=45))
    view = get_account_view("acme", uow=app.uow, clock=app.clock, policy=app.policy)
    assert not view.vip.is_eligible
    assert any("stale" in reason for reason in view.vip.reasons)


def test_crm_sync_without_health_keeps_the_computed_score(app: Application) -> None:
    _account(app)
    _signal(app, usage=30, support=30, executive=30, financial=30)
    _account(app, name="Acme Corporation")  # an import that carries no health fields
    view = get_account_view("acme", uow=app.uow, clock=app.clock, policy=app.policy)
    assert view.account.health_score == 30


def test_renewal_moving_into_the_window_tightens_open_tickets(app: Application) -> None:
    _account(app, renewal_on="2027-06-01")
    ticket_id = _ticket(app)
    _account(app, renewal_on="2026-12-01")
    actions = [e["action"] for e in ticket_audit(ticket_id, uow=app.uow)]
    assert "sla.targets_changed" in actions


def test_signal_for_an_unknown_account_writes_nothing(app: Application) -> None:
    with pytest.raises(NotFound):
        _signal(app, usage=50)


def test_targets_tighten_when_the_renewal_window_opens_and_revert_after(app: Application) -> None:
    from fairlane.services.worker import run_due

    _account(app, renewal_on=(app.clock.now().date() + timedelta(days=31)).isoformat())
    ticket_id = _ticket(app)

    def target() -> int:
        report = sla_report(ticket_id, uow=app.uow, policy=app.policy, clock=app.clock)
        return next(c["target_seconds"] for c in report["clocks"] if c["kind"] == "resolution")

    original = target()
    app.clock.advance(timedelta(days=1))
    run_due(uow=app.uow, policy=app.policy, clock=app.clock)
    assert target() == round(original * 0.75)
    app.clock.advance(timedelta(days=31))
    run_due(uow=app.uow, policy=app.policy, clock=app.clock)
    assert target() == original


def test_a_low_health_tightening_is_lifted_once_the_score_goes_stale(app: Application) -> None:
    from fairlane.services.worker import run_due

    _account(app)
    ticket_id = _ticket(app)

    def resolution() -> dict[str, Any]:
        report = sla_report(ticket_id, uow=app.uow, policy=app.policy, clock=app.clock)
        return next(c for c in report["clocks"] if c["kind"] == "resolution")

    original = resolution()["target_seconds"]
    run_due(uow=app.uow, policy=app.policy, clock=app.clock)  # the daily job's first run
    _signal(app, usage=20, support=20, executive=20, financial=20)
    assert resolution()["target_seconds"] == round(original * 0.75)
    app.clock.advance(timedelta(days=30))  # exactly the freshness window: still trusted
    run_due(uow=app.uow, policy=app.policy, clock=app.clock)
    assert resolution()["target_seconds"] == round(original * 0.75)
    app.clock.advance(timedelta(days=2))  # the worker missed a day; it catches up
    run_due(uow=app.uow, policy=app.policy, clock=app.clock)
    assert resolution()["target_seconds"] == original
    change = [
        e for e in ticket_audit(ticket_id, uow=app.uow) if e["action"] == "sla.targets_changed"
    ][-1]
    assert "no longer trusted" in change["reasons"][0]
