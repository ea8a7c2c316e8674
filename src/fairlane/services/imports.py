"""Validate imported records against an input model, naming the line and column of each problem."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from fairlane.errors import FieldProblem
from fairlane.policy.conditions import suggest

__all__ = ["RecordLike", "validate_records"]

M = TypeVar("M", bound=BaseModel)


class RecordLike(Protocol):
    @property
    def line(self) -> int: ...
    @property
    def data(self) -> dict[str, Any]: ...


def validate_records(
    records: Sequence[RecordLike], model: type[M]
) -> tuple[list[tuple[int, M]], list[FieldProblem]]:
    """(line, model) for every valid record, and a problem per bad cell for the rest."""
    valid: list[tuple[int, M]] = []
    problems: list[FieldProblem] = []
    for record in records:
        if "__width__" in record.data:
            problems.append(FieldProblem(("row",), record.data["__width__"], line=record.line))
            continue
        if "__type__" in record.data:
            problems.append(
                FieldProblem(
                    ("row",), f"expected an object, got {record.data['__type__']}", line=record.line
                )
            )
            continue
        try:
            valid.append((record.line, model.model_validate(record.data)))
        except ValidationError as exc:
            for error in exc.errors():
                column = str(error["loc"][0]) if error["loc"] else None
                hint = None
                message = error["msg"]
                if error["type"] == "extra_forbidden":
                    message = "unknown column"
                    hint = suggest(str(column), list(model.model_fields))
                problems.append(
                    FieldProblem(
                        tuple(str(p) for p in error["loc"]),
                        message,
                        line=record.line,
                        column=column,
                        suggestion=hint,
                    )
                )
    return valid, problems
