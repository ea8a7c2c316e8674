"""Declarative conditions: ``all``/``any``/``not`` trees of ``{field, op, value}``.

Compiled once at policy load against a typed field catalogue (unknown fields get "did you
mean ...?"); every evaluation returns a trace that says which conditions held and which facts
they read.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from fairlane.errors import FieldProblem

__all__ = [
    "Condition",
    "ConditionTrace",
    "FactValue",
    "FieldKind",
    "FieldSpec",
    "compile_condition",
    "jsonable_fact",
    "suggest",
]

FieldKind = Literal["number", "bool", "text", "set"]
FactValue = Decimal | int | bool | str | frozenset[str] | None
Location = tuple[str | int, ...]

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_OPS_BY_KIND: dict[FieldKind, tuple[str, ...]] = {
    "number": ("==", "!=", "<", "<=", ">", ">=", "in", "not_in", "is_known", "is_unknown"),
    "bool": ("==", "!=", "is_known", "is_unknown"),
    "text": ("==", "!=", "in", "not_in", "is_known", "is_unknown"),
    "set": ("contains", "not_contains", "is_known", "is_unknown"),
}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: FieldKind
    description: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ConditionTrace:
    """What one condition (and its children) concluded, with the facts it read."""

    text: str
    held: bool
    facts: tuple[tuple[str, FactValue], ...] = ()
    children: tuple[ConditionTrace, ...] = ()

    def facts_read(self) -> dict[str, FactValue]:
        found: dict[str, FactValue] = dict(self.facts)
        for child in self.children:
            found.update(child.facts_read())
        return found

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"condition": self.text, "held": self.held}
        if self.facts:
            out["facts"] = {name: jsonable_fact(value) for name, value in self.facts}
        if self.children:
            out["children"] = [child.as_dict() for child in self.children]
        return out


class Condition:
    """A compiled condition; call :meth:`evaluate` with a mapping of facts."""

    def __init__(
        self, text: str, evaluate: Callable[[Mapping[str, FactValue]], ConditionTrace]
    ) -> None:
        self.text = text
        self._evaluate = evaluate

    def evaluate(self, facts: Mapping[str, FactValue]) -> ConditionTrace:
        return self._evaluate(facts)


def suggest(word: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    """A "did you mean ...?" hint for a misspelt name, or None."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def compile_condition(
    raw: object, catalogue: Mapping[str, FieldSpec], location: Location
) -> tuple[Condition | None, list[FieldProblem]]:
    """Compile ``raw`` (parsed YAML) or return every problem found, each with its key path."""
    if not isinstance(raw, Mapping):
        return None, [
            FieldProblem(
                location,
                "a condition must be a mapping with 'field'/'op'/"
                "'value', or one of 'all', 'any', 'not'",
            )
        ]
    keys = set(raw)
    for combinator in ("all", "any"):
        if keys == {combinator}:
            return _compile_group(combinator, raw[combinator], catalogue, (*location, combinator))
    if keys == {"not"}:
        inner, problems = compile_condition(raw["not"], catalogue, (*location, "not"))
        if inner is None:
            return None, problems
        return _negate(inner), problems
    return _compile_leaf(raw, catalogue, location)


def _compile_group(
    combinator: str, raw: object, catalogue: Mapping[str, FieldSpec], location: Location
) -> tuple[Condition | None, list[FieldProblem]]:
    if not isinstance(raw, list) or not raw:
        return None, [FieldProblem(location, f"'{combinator}' needs a non-empty list")]
    children: list[Condition] = []
    problems: list[FieldProblem] = []
    for index, item in enumerate(raw):
        child, child_problems = compile_condition(item, catalogue, (*location, index))
        problems.extend(child_problems)
        if child is not None:
            children.append(child)
    if problems:
        return None, problems
    joiner = " and " if combinator == "all" else " or "
    text = "(" + joiner.join(child.text for child in children) + ")"
    quantifier = all if combinator == "all" else any

    def evaluate(facts: Mapping[str, FactValue]) -> ConditionTrace:
        traces = tuple(child.evaluate(facts) for child in children)
        return ConditionTrace(text, quantifier(t.held for t in traces), children=traces)

    return Condition(text, evaluate), []


def _negate(inner: Condition) -> Condition:
    text = f"not {inner.text}"

    def evaluate(facts: Mapping[str, FactValue]) -> ConditionTrace:
        trace = inner.evaluate(facts)
        return ConditionTrace(text, not trace.held, children=(trace,))

    return Condition(text, evaluate)


def _compile_leaf(
    raw: Mapping[Any, Any], catalogue: Mapping[str, FieldSpec], location: Location
) -> tuple[Condition | None, list[FieldProblem]]:
    problems = [
        FieldProblem(
            (*location, str(key)),
            "unknown key in a condition",
            suggestion=suggest(str(key), ["field", "op", "value", "all", "any", "not"]),
        )
        for key in raw
        if key not in ("field", "op", "value")
    ]
    name, op = raw.get("field"), raw.get("op")
    if not isinstance(name, str):
        problems.append(FieldProblem((*location, "field"), "a condition needs a 'field' name"))
        return None, problems
    spec = catalogue.get(name)
    if spec is None:
        problems.append(
            FieldProblem(
                (*location, "field"),
                f"unknown field {name!r}",
                suggestion=suggest(name, sorted(catalogue))
                or "known fields: " + ", ".join(sorted(catalogue)),
            )
        )
        return None, problems
    allowed = _OPS_BY_KIND[spec.kind]
    if op not in allowed:
        problems.append(
            FieldProblem(
                (*location, "op"),
                f"operator {op!r} does not apply to {spec.kind} field {name!r}",
                suggestion="use one of " + ", ".join(allowed),
            )
        )
        return None, problems
    value, value_problems = _coerce_value(spec, str(op), raw.get("value"), (*location, "value"))
    problems.extend(value_problems)
    if problems:
        return None, problems
    return _leaf(spec, str(op), value), []


def _coerce_value(
    spec: FieldSpec, op: str, value: object, location: Location
) -> tuple[object, list[FieldProblem]]:
    if op in ("is_known", "is_unknown"):
        return None, []
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            return None, [FieldProblem(location, f"'{op}' needs a non-empty list of values")]
        coerced = []
        for item in value:
            one, problems = _coerce_scalar(spec, item, location)
            if problems:
                return None, problems
            coerced.append(one)
        return tuple(coerced), []
    if spec.kind == "set":
        if not isinstance(value, str):
            return None, [FieldProblem(location, f"'{op}' on {spec.name!r} needs a text value")]
        return value.casefold(), []
    return _coerce_scalar(spec, value, location)


def _coerce_scalar(
    spec: FieldSpec, value: object, location: Location
) -> tuple[object, list[FieldProblem]]:
    if spec.kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None, [
                FieldProblem(location, f"{spec.name!r} compares with a number, got {value!r}")
            ]
        try:
            return Decimal(str(value)), []
        except ArithmeticError:
            return None, [FieldProblem(location, f"{value!r} is not a number")]
    if spec.kind == "bool":
        if not isinstance(value, bool):
            return None, [
                FieldProblem(location, f"{spec.name!r} compares with true or false, got {value!r}")
            ]
        return value, []
    if not isinstance(value, str):
        return None, [FieldProblem(location, f"{spec.name!r} compares with text, got {value!r}")]
    if spec.choices and value not in spec.choices:
        return None, [
            FieldProblem(
                location,
                f"{value!r} is not a {spec.name}",
                suggestion=suggest(value, spec.choices) or "one of " + ", ".join(spec.choices),
            )
        ]
    return value, []


def _leaf(spec: FieldSpec, op: str, value: object) -> Condition:
    shown = "" if value is None else " " + _show(value)
    text = f"{spec.name} {op}{shown}"
    name = spec.name

    def evaluate(facts: Mapping[str, FactValue]) -> ConditionTrace:
        fact = facts.get(name)
        return ConditionTrace(text, _holds(op, fact, value), facts=((name, fact),))

    return Condition(text, evaluate)


def _holds(op: str, fact: FactValue, value: object) -> bool:
    if op == "is_known":
        return fact is not None
    if op == "is_unknown":
        return fact is None
    if fact is None:
        return False  # an unknown fact never satisfies a comparison
    if op == "in":
        return fact in value  # type: ignore[operator]
    if op == "not_in":
        return fact not in value  # type: ignore[operator]
    if op == "contains":
        return isinstance(fact, frozenset) and value in fact
    if op == "not_contains":
        return isinstance(fact, frozenset) and value not in fact
    if isinstance(fact, int | Decimal) and not isinstance(fact, bool):
        return _COMPARE[op](Decimal(fact), value)
    return _COMPARE[op](fact, value)


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:,}" if value == value.to_integral_value() else str(value)
    return repr(value) if isinstance(value, str) else str(value)


def jsonable_fact(value: FactValue) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, frozenset):
        return sorted(value)
    return value
