"""`fairlane triage explain` and `fairlane review` as an agent uses them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from fairlane.bootstrap import bootstrap
from fairlane.clock import FixedClock
from fairlane.config import Settings
from fairlane.entrypoints.cli.main import app
from fairlane.policy.compiled import CompiledPolicy
from fairlane.services.reviews import list_reviews
from tests.conftest import new_ticket

runner = CliRunner()


def test_triage_explain_shows_signals_models_and_mood(tmp_path: Path) -> None:
    env = {"FAIRLANE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "COLUMNS": "200"}
    tickets = tmp_path / "t.csv"
    tickets.write_text(
        "source,external_id,subject,body,created_at\n"
        'email,1,URGENT,"Third time asking!! We were hacked and nobody answers.",'
        "2026-11-20T15:00:00Z\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["import", "tickets", str(tickets)], env=env).exit_code == 0
    queue = runner.invoke(app, ["tickets", "queue"], env=env)
    ticket_id = next(word for word in queue.output.split() if word.startswith("tkt_"))
    result = runner.invoke(app, ["triage", "explain", ticket_id], env=env)
    assert result.exit_code == 0, result.output
    assert "P1 from trigger" in result.output
    assert "intent security" in result.output
    assert "trigger 'security'" in result.output
    assert "intent model" in result.output
    assert "urgency model" in result.output
    assert "frustration" in result.output
    assert "\u201cnobody\u201d" in result.output
    missing = runner.invoke(app, ["triage", "explain", "tkt_nope"], env=env)
    assert missing.exit_code == 4


def test_review_commands_list_decide_and_report_the_override_rate(
    tmp_path: Path, clock: FixedClock, unsure_policy: CompiledPolicy
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    application = bootstrap(Settings(database_url=url), clock=clock, policy=unsure_policy)
    ticket_id = new_ticket(application, body="Something is off with the numbers on our invoice")
    reviews = {r["field"]: r["id"] for r in list_reviews(uow=application.uow, limit=10)}
    application.close()
    env = {"FAIRLANE_DATABASE_URL": url, "COLUMNS": "200"}
    listed = runner.invoke(app, ["review", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    assert ticket_id in listed.output
    assert "2 pending review(s)" in listed.output
    accepted = runner.invoke(
        app, ["review", "accept", str(reviews["intent"]), "--as", "sam"], env=env
    )
    assert accepted.exit_code == 0, accepted.output
    assert "intent of" in accepted.output
    assert "is now billing" in accepted.output
    corrected = runner.invoke(
        app, ["review", "correct", str(reviews["priority"]), "P1", "--note", "all blocked"], env=env
    )
    assert corrected.exit_code == 0, corrected.output
    assert "is now P1" in corrected.output
    assert "SLA targets re-decided" in corrected.output
    stats = runner.invoke(app, ["review", "stats"], env=env)
    assert "1 accepted, 1 corrected; override rate 50.0%" in stats.output
    again = runner.invoke(app, ["review", "accept", str(reviews["intent"])], env=env)
    assert again.exit_code == 5
    bad = runner.invoke(app, ["review", "stats", "--since", "yesterday"], env=env)
    assert bad.exit_code == 3
    assert "--since" in bad.output
