"""The command line as a support-operations lead uses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fairlane.entrypoints.cli.main import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"FAIRLANE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "COLUMNS": "200"}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


ACCOUNTS = (
    "id,name,segment,arr,email_domains,renewal_on,is_strategic\n"
    "acme,Acme Corp,enterprise,450000,acme.example;acme.co,2027-03-01,false\n"
    "tiny,Tiny Ltd,digital-first,1200,tiny.example,,false\n"
)


def test_policy_check_accepts_a_valid_file_and_prints_its_version(
    tmp_path: Path, env: dict[str, str]
) -> None:
    policy = write(tmp_path / "policy.yaml", "vip:\n  reserve_fraction: 0.25\n")
    result = runner.invoke(app, ["policy", "check", str(policy)], env=env)
    assert result.exit_code == 0, result.output
    assert "is a valid policy, version default@" in result.output


def test_policy_check_names_every_problem_and_exits_3(tmp_path: Path, env: dict[str, str]) -> None:
    policy = write(tmp_path / "bad.yaml", "vip:\n  critera: []\n  reserve_fraction: 0.9\n")
    result = runner.invoke(app, ["policy", "check", str(policy)], env=env)
    assert result.exit_code == 3
    assert "vip.critera" in result.output
    assert "did you mean 'criteria'?" in result.output
    assert "vip.reserve_fraction" in result.output


def test_policy_show_prints_the_effective_policy_with_defaults(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["policy", "show", "--format", "json"], env=env)
    assert result.exit_code == 0
    shown = json.loads(result.output)
    assert shown["document"]["sla"]["standard_first_response_cap"] == "24h"
    assert shown["ref"].startswith("default@")


def test_importing_accounts_then_tickets_decides_every_ticket(
    tmp_path: Path, env: dict[str, str]
) -> None:
    accounts = write(tmp_path / "accounts.csv", ACCOUNTS)
    tickets = write(
        tmp_path / "tickets.jsonl",
        "\n".join(
            json.dumps(t)
            for t in [
                {
                    "source": "email",
                    "external_id": "e1",
                    "subject": "Small thing",
                    "body": "Our checkout is down for all customers",
                    "requester_email": "a@acme.example",
                    "created_at": "2026-11-20T10:00:00+00:00",
                },
                {
                    "source": "email",
                    "external_id": "e2",
                    "subject": "How do I add a user?",
                    "requester_email": "b@tiny.example",
                    "created_at": "2026-11-20T11:00:00+00:00",
                },
            ]
        ),
    )
    assert runner.invoke(app, ["import", "accounts", str(accounts)], env=env).exit_code == 0
    result = runner.invoke(app, ["import", "tickets", str(tickets)], env=env)
    assert result.exit_code == 0, result.output
    assert "2 accepted" in result.output
    again = runner.invoke(app, ["import", "tickets", str(tickets)], env=env)
    assert "0 accepted, 2 already known" in again.output
    queue = runner.invoke(app, ["tickets", "queue"], env=env)
    assert queue.output.index("Small thing") < queue.output.index("How do I add a user?")


def test_bad_account_rows_are_reported_by_line_and_column_and_nothing_is_imported(
    tmp_path: Path, env: dict[str, str]
) -> None:
    accounts = write(
        tmp_path / "accounts.csv",
        ACCOUNTS + "bad,Bad Inc,galactic,12,bad.example,,false\n"
        "worse,Worse,enterprise,lots,worse.example,2027-13-01,false\n",
    )
    result = runner.invoke(app, ["import", "accounts", str(accounts)], env=env)
    assert result.exit_code == 3
    assert "line 4, column segment" in result.output
    assert "line 5, column arr" in result.output
    assert "line 5, column renewal_on" in result.output
    assert "nothing was imported" in result.output
    tickets = write(
        tmp_path / "t.csv",
        "source,external_id,subject,requester_email\nemail,1,Hello,x@acme.example\n",
    )
    runner.invoke(app, ["import", "tickets", str(tickets)], env=env)
    queue = runner.invoke(app, ["tickets", "queue"], env=env)
    assert "standard" in queue.output  # acme was not imported, so no VIP lane


def test_unknown_column_gets_a_suggestion(tmp_path: Path, env: dict[str, str]) -> None:
    accounts = write(tmp_path / "a.csv", "id,name,segmnt\nx,X,enterprise\n")
    result = runner.invoke(app, ["import", "accounts", str(accounts)], env=env)
    assert result.exit_code == 3
    assert "did you mean 'segment'?" in result.output


def test_non_utf8_file_is_rejected_naming_the_line(tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"source,external_id,subject\nemail,1,caf\xe9\n")
    result = runner.invoke(app, ["import", "tickets", str(path)], env=env)
    assert result.exit_code == 3
    assert "not UTF-8" in result.output
    assert "line 2" in result.output


def test_invalid_ticket_rows_stop_the_import_unless_skipped(
    tmp_path: Path, env: dict[str, str]
) -> None:
    tickets = write(
        tmp_path / "t.csv",
        "source,external_id,subject,created_at\n"
        "email,1,Fine,2026-11-20T10:00:00Z\n"
        "email,2,Naive date,2026-11-20T10:00:00\n",
    )
    stopped = runner.invoke(app, ["import", "tickets", str(tickets)], env=env)
    assert stopped.exit_code == 3
    assert "line 3, column created_at" in stopped.output
    skipped = runner.invoke(app, ["import", "tickets", str(tickets), "--skip-invalid"], env=env)
    assert "1 accepted" in skipped.output
    assert "line 3, column created_at" in skipped.output
    assert skipped.exit_code == 0


def test_keys_create_prints_a_key_once_and_list_never_shows_it(env: dict[str, str]) -> None:
    created = runner.invoke(
        app, ["keys", "create", "--name", "zendesk", "--role", "integration"], env=env
    )
    assert created.exit_code == 0
    secret = created.output.strip().splitlines()[-1]
    assert secret.startswith("fl_")
    listed = runner.invoke(app, ["keys", "list"], env=env)
    assert "zendesk" in listed.output
    assert secret not in listed.output


def test_demo_without_serving_prints_a_summary_a_lead_can_read(
    tmp_path: Path, env: dict[str, str]
) -> None:
    database = f"sqlite:///{tmp_path / 'demo.db'}"
    result = runner.invoke(
        app,
        [
            "demo",
            "--no-serve",
            "--accounts",
            "60",
            "--weeks",
            "1",
            "--tickets-per-week",
            "120",
            "--database",
            database,
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    for heading in (
        "Tickets per lane and priority",
        "SLA targets given",
        "top VIP criteria",
        "Queue order",
        "fully explained",
        "Decided under policy default@",
    ):
        assert heading in result.output


def test_help_explains_the_commands(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["--help"], env=env)
    assert result.exit_code == 0
    for command in ("demo", "serve", "policy", "import", "keys", "tickets"):
        assert command in result.output


def test_queue_for_an_unknown_team_says_which_teams_exist(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["tickets", "queue", "--team", "suport-emea"], env=env)
    assert result.exit_code == 3
    assert "did you mean 'support-emea'?" in result.output


def test_problem_paths_with_brackets_are_printed_whole(tmp_path: Path, env: dict[str, str]) -> None:
    policy = write(tmp_path / "p.yaml", "calendars:\n  x:\n    hours: {monday: ['09:00-17:00']}\n")
    result = runner.invoke(app, ["policy", "check", str(policy)], env=env)
    assert result.exit_code == 3
    assert "calendars.x.hours.monday.[key]" in result.output


def test_sla_explain_shows_each_clock_and_why(tmp_path: Path, env: dict[str, str]) -> None:
    tickets = write(
        tmp_path / "t.csv",
        "source,external_id,subject,created_at\n"
        "email,1,How do I add a user?,2026-11-20T15:00:00Z\n",
    )
    runner.invoke(app, ["import", "tickets", str(tickets)], env=env)
    queue = runner.invoke(app, ["tickets", "queue"], env=env)
    ticket_id = next(word for word in queue.output.split() if word.startswith("tkt_"))
    result = runner.invoke(app, ["sla", "explain", ticket_id], env=env)
    assert result.exit_code == 0, result.output
    assert "first response" in result.output
    assert "resolution" in result.output
    assert "standard lane x P4" in result.output


def test_webhook_with_an_unknown_event_type_is_refused_with_a_suggestion(
    env: dict[str, str],
) -> None:
    result = runner.invoke(
        app,
        ["webhooks", "create", "--url", "https://example.test/hook", "--event", "sla.breach"],
        env=env,
    )
    assert result.exit_code == 3
    assert "did you mean 'sla.breached'?" in result.output


def test_webhook_subscription_prints_its_secret_once(env: dict[str, str]) -> None:
    created = runner.invoke(
        app,
        [
            "webhooks",
            "create",
            "--url",
            "https://example.test/hook",
            "--event",
            "sla.breached",
            "--event",
            "sla.warning",
        ],
        env=env,
    )
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    listed = runner.invoke(app, ["webhooks", "list"], env=env)
    assert "sla.breached, sla.warning" in listed.output
    assert secret not in listed.output


def test_import_health_scores_rows_and_names_bad_ones(tmp_path: Path, env: dict[str, str]) -> None:
    runner.invoke(app, ["import", "accounts", str(write(tmp_path / "a.csv", ACCOUNTS))], env=env)
    bad = write(
        tmp_path / "h.csv",
        "account_id,measured_at,usage,support\nacme,2026-11-20T10:00:00Z,120,50\n",
    )
    refused = runner.invoke(app, ["import", "health", str(bad)], env=env)
    assert refused.exit_code == 3
    assert "line 2, column usage" in refused.output
    good = write(
        tmp_path / "g.csv",
        "account_id,measured_at,usage,support,executive,financial\n"
        "acme,2026-11-20T10:00:00Z,30,30,30,30\n",
    )
    result = runner.invoke(app, ["import", "health", str(good)], env=env)
    assert result.exit_code == 0, result.output
    assert "1 health readings; 1 alerts raised" in result.output


def test_health_validate_reports_auc_and_calibration(tmp_path: Path, env: dict[str, str]) -> None:
    accounts = write(
        tmp_path / "a.csv",
        "id,name,segment\n" + "".join(f"a{n},A{n},digital-first\n" for n in range(6)),
    )
    runner.invoke(app, ["import", "accounts", str(accounts)], env=env)
    readings = write(
        tmp_path / "h.csv",
        "account_id,measured_at,usage\n"
        + "".join(
            f"a{n},2026-09-01T00:00:00Z,{score}\n"
            for n, score in enumerate([10, 20, 35, 70, 85, 95])
        ),
    )
    assert runner.invoke(app, ["import", "health", str(readings)], env=env).exit_code == 0
    outcomes = write(
        tmp_path / "o.csv",
        "account_id,outcome,outcome_on\n"
        "a0,churned,2026-10-01\na1,churned,2026-10-01\na2,renewed,2026-10-01\n"
        "a3,renewed,2026-10-01\na4,renewed,2026-10-01\na5,churned,2026-10-01\n",
    )
    result = runner.invoke(app, ["health", "validate", "--outcomes", str(outcomes)], env=env)
    assert result.exit_code == 0, result.output
    assert "6 outcomes paired" in result.output
    assert "AUC (low score -> churn): 0.667" in result.output
    assert "80-100" in result.output
