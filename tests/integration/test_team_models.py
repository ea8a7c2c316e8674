"""A team's own models in the ticket pipeline: priority and escalation (T1, T7, T8)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from fairlane.errors import PolicyInvalid
from fairlane.policy.loader import load_policy
from fairlane.services.accounts import upsert_accounts
from fairlane.services.schemas import AccountIn
from fairlane.services.tickets import get_ticket
from fairlane.triage.textmodel import TextModel
from tests.conftest import AppFactory, account_data
from tests.conftest import new_ticket as _ticket
from tests.textdata import labelled

AT = datetime(2026, 11, 1, tzinfo=UTC)


def _escalation_model(folder: Path, **numeric_columns: list[float]) -> Path:
    texts, _ = labelled(20)
    labels = ["true" if i % 2 else "false" for i in range(len(texts))]
    numeric = numeric_columns or {
        "arr": [900_000.0 if i % 2 else 1_000.0 for i in range(len(texts))]
    }
    model = TextModel.train(texts, labels, target="escalation", trained_at=AT, numeric=numeric)
    model.save(folder)
    return folder


def _policy(tmp_path: Path, models: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(f"triage:\n  models:\n{models}", encoding="utf-8")
    return path


def test_a_trained_escalation_model_scores_the_risk_and_names_its_signals(
    make_app: AppFactory, tmp_path: Path
) -> None:
    model = _escalation_model(tmp_path / "esc")
    app = make_app(policy=_policy(tmp_path, f"    escalation: {model}\n"))
    upsert_accounts(
        [AccountIn.model_validate(account_data(arr="950000"))],
        uow=app.uow,
        clock=app.clock,
        policy=app.policy,
        actor="test",
    )
    ticket = get_ticket(_ticket(app), uow=app.uow)
    risk = ticket["decisions"]["risk"]
    assert risk["score"] >= 60
    assert risk["is_at_risk"] is True
    assert risk["contributions"][0]["family"] == "arr"
    assert "arr 950000" in risk["contributions"][0]["why"]


def test_an_escalation_model_reading_unknown_columns_is_refused_by_key(tmp_path: Path) -> None:
    texts, _ = labelled(20)
    model = _escalation_model(tmp_path / "esc", seats=[float(i) for i in range(len(texts))])
    with pytest.raises(PolicyInvalid) as caught:
        load_policy(_policy(tmp_path, f"    escalation: {model}\n"))
    problem = caught.value.problems[0]
    assert problem.path == "triage.models.escalation"
    assert "seats" in problem.message


def test_a_priority_model_can_replace_the_urgency_model(
    make_app: AppFactory, tmp_path: Path
) -> None:
    texts, labels = labelled(20)
    as_priority = {"outage": "P1", "login": "P2", "billing": "P3"}
    model = TextModel.train(
        texts, [as_priority[label] for label in labels], target="priority", trained_at=AT
    )
    model.save(tmp_path / "prio")
    app = make_app(policy=_policy(tmp_path, f"    priority: {tmp_path / 'prio'}\n"))
    ticket = get_ticket(
        _ticket(app, subject="Hi", body="I cannot log in, password reset does not work"),
        uow=app.uow,
    )
    assert ticket["decisions"]["triage"]["models"]["urgency"]["label"] == "P2"


def test_urgency_and_priority_models_together_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyInvalid, match="not a valid policy") as caught:
        load_policy(_policy(tmp_path, "    urgency: /a\n    priority: /b\n"))
    assert "either an urgency model or a priority model" in str(caught.value)


def test_a_ticket_at_risk_on_arrival_is_announced_on_the_outbox(
    make_app: AppFactory, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from fairlane.adapters.db import tables as t

    model = _escalation_model(tmp_path / "esc")
    app = make_app(policy=_policy(tmp_path, f"    escalation: {model}\n"))
    upsert_accounts(
        [AccountIn.model_validate(account_data(arr="950000"))],
        uow=app.uow,
        clock=app.clock,
        policy=app.policy,
        actor="test",
    )
    ticket_id = _ticket(app)
    with app.engine.connect() as connection:
        types = (
            connection.execute(
                select(t.outbox.c.event_type).where(t.outbox.c.subject_id == ticket_id)
            )
            .scalars()
            .all()
        )
    assert "ticket.at_risk" in types
