"""Loading, validating and versioning policy files."""

from __future__ import annotations

import pytest

from fairlane.errors import PolicyInvalid
from fairlane.policy.loader import default_policy, load_policy_text


def _problems(text: str) -> list[tuple[str, str, str | None]]:
    with pytest.raises(PolicyInvalid) as caught:
        load_policy_text(text)
    return [(p.path, p.message, p.suggestion) for p in caught.value.problems]


def test_shipped_default_carries_the_requirements_numbers() -> None:
    policy = default_policy()
    document = policy.document
    assert document.sla.matrix["standard"]["P3"].first_response == "4h"
    assert document.sla.matrix["standard"]["P3"].resolution == "48h"
    assert document.sla.matrix["vip"]["P3"].first_response == "30m"
    assert document.sla.matrix["vip"]["P3"].resolution == "24h"
    assert document.sla.standard_first_response_cap == "24h"
    assert document.sla.warning_at == 0.75
    assert document.vip.reserve_fraction == 0.20
    assert document.triage.confidence_threshold == 0.70
    assert document.health.weights["default"].usage == 0.40


def test_misspelt_key_is_named_by_its_path_with_a_suggestion() -> None:
    problems = _problems("vip:\n  critera: []\n")
    assert problems == [("vip.critera", "unknown key", "did you mean 'criteria'?")]


def test_misspelt_key_inside_a_named_calendar_is_suggested() -> None:
    problems = _problems("calendars:\n  emea:\n    tmezone: Europe/Paris\n")
    assert problems == [("calendars.emea.tmezone", "unknown key", "did you mean 'timezone'?")]


def test_unknown_condition_field_gets_a_did_you_mean() -> None:
    text = "vip:\n  criteria:\n    - name: big\n      when: {field: ar, op: '>=', value: 5}\n"
    path, message, suggestion = _problems(text)[0]
    assert path == "vip.criteria.0.when.field"
    assert "unknown field 'ar'" in message
    assert suggestion == "did you mean 'arr'?"


def test_every_problem_is_reported_at_once_and_nothing_is_applied() -> None:
    text = (
        "default_team: nowhere\n"
        "teams:\n  support-emea: {calendar: mars}\n"
        "sla:\n  matrix:\n    vip:\n      P1: {first_response: 9h, resolution: 1h}\n"
    )
    paths = [path for path, _, _ in _problems(text)]
    assert "teams.support-emea.calendar" in paths
    assert "default_team" in paths
    assert "sla.matrix.vip.P1.first_response" in paths


def test_bad_duration_is_explained_with_the_expected_form() -> None:
    problems = dict(
        (path, message) for path, message, _ in _problems("sla:\n  acknowledgement: soon\n")
    )
    assert problems["sla.acknowledgement"].startswith("'soon' is not a duration; write e.g. '30m'")


def test_bad_business_hours_name_the_day_and_interval() -> None:
    problems = dict(
        (path, message)
        for path, message, _ in _problems("calendars:\n  emea:\n    hours: {mon: ['9-5']}\n")
    )
    assert "calendars.emea.hours.mon.0" in problems


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(PolicyInvalid, match="line 3"):
        load_policy_text("vip:\n  criteria: [\n")


def test_unknown_holiday_country_is_rejected() -> None:
    problems = _problems("calendars:\n  emea:\n    holidays: {country: XX}\n")
    assert problems[0][0] == "calendars.emea.holidays.country"


def test_version_ignores_formatting_and_restated_defaults() -> None:
    restated = "sla:\n  warning_at: 0.75   # the default, restated\n"
    assert load_policy_text(restated).version == default_policy().version
    assert load_policy_text("sla: {warning_at: 0.5}").version != default_policy().version


def test_null_removes_a_shipped_entry() -> None:
    policy = load_policy_text("triage:\n  hard_triggers:\n    safety: null\n")
    assert "safety" not in policy.triggers
    assert "outage" in policy.triggers


def test_out_of_scope_signal_must_name_a_rule_or_trigger() -> None:
    problems = _problems("vip:\n  out_of_scope_signals: [feature-requests]\n")
    assert problems[0][2] == "did you mean 'feature-request'?"


def test_every_priority_needs_an_update_interval() -> None:
    problems = _problems("sla:\n  update_every: {P3: null}\n")
    assert problems[0][0] == "sla.update_every.P3"
