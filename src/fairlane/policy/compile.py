"""Cross-key validation and compilation of a :class:`PolicyDocument`."""

from __future__ import annotations

import hashlib
from collections.abc import Container
from datetime import date
from pathlib import Path
from typing import Any

import holidays as holidays_lib

from fairlane.domain.calendar import BusinessCalendar, Interval, parse_interval
from fairlane.domain.tickets import Lane, Priority
from fairlane.errors import FieldProblem
from fairlane.policy.compiled import CompiledPolicy, Criterion, PriorityRule, SlaCell, Trigger
from fairlane.policy.conditions import compile_condition, suggest
from fairlane.policy.decisions import URGENCY_PRIORITY
from fairlane.policy.durations import parse_duration
from fairlane.policy.facts import ACCOUNT_FIELDS
from fairlane.policy.schema import WEEKDAYS, CalendarDoc, HolidaysDoc, PolicyDocument
from fairlane.triage.encoder import EncoderUnavailable
from fairlane.triage.phrases import PhraseMatcher
from fairlane.triage.reading import TicketReader
from fairlane.triage.risk import POSITIVE, RISK_FEATURES, positive_label
from fairlane.triage.sentiment import default_sentiment_scorer
from fairlane.triage.shipped import shipped_model
from fairlane.triage.textmodel import ModelError, TextModel

__all__ = ["compile_document"]


def compile_document(
    document: PolicyDocument, version: str
) -> tuple[CompiledPolicy | None, list[FieldProblem]]:
    problems: list[FieldProblem] = []
    calendars = _compile_calendars(document, problems)
    team_calendars = _compile_teams(document, calendars, problems)
    criteria = _compile_criteria(document, problems)
    matrix = _compile_matrix(document, problems)
    triggers, trigger_phrases = _compile_triggers(document)
    rules, rule_phrases = _compile_rules(document, problems)
    signal_matcher = _matcher(trigger_phrases, rule_phrases, problems)
    reader, model_ids = _reader(document, problems)
    for priority in Priority:
        if priority not in document.sla.update_every:
            problems.append(
                FieldProblem(
                    ("sla", "update_every", priority.value),
                    "every priority needs an update interval (S7)",
                )
            )
    known_signals = set(triggers) | set(rules)
    for index, signal in enumerate(document.vip.out_of_scope_signals):
        if signal not in known_signals:
            problems.append(
                FieldProblem(
                    ("vip", "out_of_scope_signals", index),
                    f"no trigger or priority rule named {signal!r}",
                    suggestion=suggest(signal, sorted(known_signals)),
                )
            )
    if problems or signal_matcher is None or reader is None:
        return None, problems
    if model_ids:  # a retrained model at the same path is another policy version
        version = hashlib.sha256(f"{version}|{model_ids}".encode()).hexdigest()[:12]
    return CompiledPolicy(
        document=document,
        version=version,
        calendars=calendars,
        team_calendars=team_calendars,
        criteria=tuple(criteria),
        sla_matrix=matrix,
        standard_first_response_cap_seconds=parse_duration(
            document.sla.standard_first_response_cap
        ),
        triggers=triggers,
        signal_matcher=signal_matcher,
        priority_rules=rules,
        reader=reader,
    ), []


def _escalation_problems(model: TextModel) -> list[FieldProblem]:
    where = ("triage", "models", "escalation")
    problems = []
    if len(model.labels) != 2 or positive_label(model.labels) is None:
        problems.append(
            FieldProblem(
                where,
                f"an escalation model needs two labels, one of them {', '.join(POSITIVE)}; "
                f"this one has {', '.join(model.labels)}",
            )
        )
    unknown = sorted(set(model.numeric_columns) - set(RISK_FEATURES))
    if unknown:
        problems.append(
            FieldProblem(
                where,
                f"numeric columns {', '.join(unknown)} are not risk signals fairlane knows",
                suggestion="use " + ", ".join(RISK_FEATURES),
            )
        )
    return problems


def _reader(
    document: PolicyDocument, problems: list[FieldProblem]
) -> tuple[TicketReader | None, str]:
    """The shipped models, or the team's own where ``triage.models`` names a directory."""
    chosen: dict[str, TextModel] = {}
    models = document.triage.models
    if models.priority is not None and models.urgency is not None:
        problems.append(
            FieldProblem(
                ("triage", "models", "priority"),
                "set either an urgency model or a priority model, not both",
            )
        )
        return None, ""
    slots = {"intent": "intent", "urgency": "priority" if models.priority else "urgency"}
    for slot, target in slots.items():
        path = getattr(models, target)
        try:
            chosen[slot] = (
                shipped_model(slot)
                if path is None
                else TextModel.load(Path(path).expanduser(), expect_target=target)
            )
        except (ModelError, EncoderUnavailable) as exc:
            problems.append(FieldProblem(("triage", "models", target), str(exc)))
    if models.escalation is not None:
        try:
            chosen["escalation"] = TextModel.load(
                Path(models.escalation).expanduser(), expect_target="escalation"
            )
        except (ModelError, EncoderUnavailable) as exc:
            problems.append(FieldProblem(("triage", "models", "escalation"), str(exc)))
    if "urgency" in chosen:
        allowed = {p.value for p in Priority} if models.priority else set(URGENCY_PRIORITY)
        extra = sorted(set(chosen["urgency"].labels) - allowed)
        if extra:
            problems.append(
                FieldProblem(
                    ("triage", "models", slots["urgency"]),
                    f"labels {', '.join(extra)} are not " + ", ".join(sorted(allowed)),
                )
            )
    if "escalation" in chosen:
        problems += _escalation_problems(chosen["escalation"])
    if problems or "intent" not in chosen or "urgency" not in chosen:
        return None, ""
    labels = chosen["intent"].labels
    named = [
        (("triage", "hard_triggers", name, "intent"), doc.intent)
        for name, doc in document.triage.hard_triggers.items()
    ] + [
        (("triage", "priority_rules", i, "intent"), doc.intent)
        for i, doc in enumerate(document.triage.priority_rules)
    ]
    for where, intent in named:
        if intent is not None and intent not in labels:
            problems.append(
                FieldProblem(
                    where,
                    f"the intent model has no label {intent!r}",
                    suggestion=suggest(intent, list(labels)) or "one of " + ", ".join(labels),
                )
            )
    custom = [
        f"{target}={model.card.model_id}"
        for target, model in (
            ("intent", chosen["intent"]),
            (slots["urgency"], chosen["urgency"]),
            ("escalation", chosen.get("escalation")),
        )
        if model is not None and getattr(models, target) is not None
    ]
    reader = TicketReader(
        intent=chosen["intent"],
        urgency=chosen["urgency"],
        escalation=chosen.get("escalation"),
        sentiment=default_sentiment_scorer(),
    )
    return reader, ",".join(custom)


def _compile_calendars(
    document: PolicyDocument, problems: list[FieldProblem]
) -> dict[str, BusinessCalendar]:
    calendars: dict[str, BusinessCalendar] = {}
    for name, doc in document.calendars.items():
        calendar = _compile_calendar(name, doc, problems)
        if calendar is not None:
            calendars[name] = calendar
    return calendars


def _compile_calendar(
    name: str, doc: CalendarDoc, problems: list[FieldProblem]
) -> BusinessCalendar | None:
    where: tuple[str | int, ...] = ("calendars", name)
    if doc.always_open:
        for key, is_set in (
            ("hours", bool(doc.hours)),
            ("timezone", doc.timezone != "UTC"),
            ("holidays", doc.holidays != HolidaysDoc()),
        ):
            if is_set:
                problems.append(
                    FieldProblem(
                        (*where, key),
                        f"an always_open calendar has no {key}; remove it, or set "
                        "always_open: false and give weekly hours",
                    )
                )
        return BusinessCalendar.always_open(name)
    weekly: dict[int, tuple[Interval, ...]] = {}
    for day, texts in doc.hours.items():
        intervals = []
        for index, text in enumerate(texts):
            try:
                intervals.append(parse_interval(text))
            except ValueError as exc:
                problems.append(FieldProblem((*where, "hours", day, index), str(exc)))
        weekly[WEEKDAYS.index(day)] = tuple(intervals)
    if not any(weekly.values()):
        problems.append(
            FieldProblem(
                (*where, "hours"),
                "a calendar needs business hours on at least one day, or always_open: true",
            )
        )
        return None
    holidays = _holidays(doc, (*where, "holidays"), problems)
    try:
        return BusinessCalendar(
            name=name, timezone=doc.timezone, weekly_hours=weekly, holidays=holidays
        )
    except ValueError as exc:
        problems.append(FieldProblem(where, str(exc)))
        return None


class _HolidaySet(Container[date]):
    """A country's public holidays (computed lazily per year) plus explicit closed dates."""

    def __init__(self, country: Any, extra: frozenset[date]) -> None:
        self._country = country
        self._extra = extra

    def __contains__(self, item: object) -> bool:
        if item in self._extra:
            return True
        return self._country is not None and item in self._country


def _holidays(
    doc: CalendarDoc, where: tuple[str | int, ...], problems: list[FieldProblem]
) -> Container[date]:
    extra = frozenset(doc.holidays.dates)
    if doc.holidays.subdivision and not doc.holidays.country:
        problems.append(
            FieldProblem(
                (*where, "subdivision"),
                "a subdivision needs its country",
                suggestion="add country, e.g. country: GB",
            )
        )
    if not doc.holidays.country:
        return extra
    try:
        country = holidays_lib.country_holidays(
            doc.holidays.country, subdiv=doc.holidays.subdivision
        )
    except NotImplementedError as exc:
        if "subdivision" in str(exc):
            problems.append(FieldProblem((*where, "subdivision"), str(exc)))
        else:
            problems.append(
                FieldProblem(
                    (*where, "country"),
                    f"unknown country {doc.holidays.country!r}",
                    suggestion="use an ISO 3166 alpha-2 code such as 'US' or 'GB'",
                )
            )
        return extra
    return _HolidaySet(country, extra)


def _compile_teams(
    document: PolicyDocument, calendars: dict[str, BusinessCalendar], problems: list[FieldProblem]
) -> dict[str, BusinessCalendar]:
    teams: dict[str, BusinessCalendar] = {}
    for name, team in document.teams.items():
        calendar = calendars.get(team.calendar)
        if calendar is None:
            if team.calendar not in document.calendars:
                problems.append(
                    FieldProblem(
                        ("teams", name, "calendar"),
                        f"no calendar named {team.calendar!r}",
                        suggestion=suggest(team.calendar, sorted(document.calendars)),
                    )
                )
            continue
        teams[name] = calendar
    if document.default_team not in document.teams:
        problems.append(
            FieldProblem(
                ("default_team",),
                f"no team named {document.default_team!r}",
                suggestion=suggest(document.default_team, sorted(document.teams)),
            )
        )
    return teams


def _compile_criteria(document: PolicyDocument, problems: list[FieldProblem]) -> list[Criterion]:
    criteria = []
    seen: set[str] = set()
    for index, doc in enumerate(document.vip.criteria):
        where: tuple[str | int, ...] = ("vip", "criteria", index)
        if doc.name in seen:
            problems.append(
                FieldProblem((*where, "name"), f"criterion {doc.name!r} is defined twice")
            )
        seen.add(doc.name)
        condition, found = compile_condition(doc.when, ACCOUNT_FIELDS, (*where, "when"))
        problems.extend(found)
        if condition is not None:
            criteria.append(Criterion(doc.name, doc.description or condition.text, condition))
    return criteria


def _compile_matrix(
    document: PolicyDocument, problems: list[FieldProblem]
) -> dict[Lane, dict[Priority, SlaCell]]:
    matrix: dict[Lane, dict[Priority, SlaCell]] = {}
    for lane in Lane:
        row = document.sla.matrix.get(lane)
        if row is None:
            problems.append(FieldProblem(("sla", "matrix", lane.value), "the lane has no targets"))
            continue
        matrix[lane] = {}
        for priority in Priority:
            cell = row.get(priority)
            if cell is None:
                problems.append(
                    FieldProblem(
                        ("sla", "matrix", lane.value, priority.value),
                        "missing targets for this priority",
                    )
                )
                continue
            first, resolution = parse_duration(cell.first_response), parse_duration(cell.resolution)
            if first > resolution:
                problems.append(
                    FieldProblem(
                        ("sla", "matrix", lane.value, priority.value, "first_response"),
                        "the first response target is longer than the resolution target",
                    )
                )
            matrix[lane][priority] = SlaCell(first, resolution, cell.clock == "business")
    return matrix


def _compile_triggers(document: PolicyDocument) -> tuple[dict[str, Trigger], dict[str, list[str]]]:
    triggers = {
        name: Trigger(name, doc.priority, doc.reason, doc.escalate, doc.intent)
        for name, doc in document.triage.hard_triggers.items()
    }
    return triggers, {name: doc.phrases for name, doc in document.triage.hard_triggers.items()}


def _compile_rules(
    document: PolicyDocument, problems: list[FieldProblem]
) -> tuple[dict[str, PriorityRule], dict[str, list[str]]]:
    rules: dict[str, PriorityRule] = {}
    phrases: dict[str, list[str]] = {}
    for index, doc in enumerate(document.triage.priority_rules):
        if doc.name in rules or doc.name in document.triage.hard_triggers:
            problems.append(
                FieldProblem(
                    ("triage", "priority_rules", index, "name"),
                    f"the name {doc.name!r} is already used",
                )
            )
        rules[doc.name] = PriorityRule(doc.name, doc.priority, doc.reason, doc.intent)
        phrases[doc.name] = doc.phrases
    return rules, phrases


def _matcher(
    trigger_phrases: dict[str, list[str]],
    rule_phrases: dict[str, list[str]],
    problems: list[FieldProblem],
) -> PhraseMatcher | None:
    """One matcher for triggers and rules (names are unique across both), so each ticket's
    text is tokenised once."""
    for phrases, where in ((trigger_phrases, "hard_triggers"), (rule_phrases, "priority_rules")):
        for name, items in phrases.items():
            try:
                PhraseMatcher({name: items})
            except (ValueError, TypeError) as exc:
                problems.append(FieldProblem(("triage", where), str(exc)))
    if problems:
        return None
    return PhraseMatcher({**trigger_phrases, **rule_phrases})
