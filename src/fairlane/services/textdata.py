"""Labelled text from a user's file, checked before a model sees it (T8).

``labelled_texts`` takes the rows of any CSV/TSV/JSON/JSONL file (read by the files adapter,
each with its line number) and the names of its text, label and optional segment columns, and
returns the texts in file order. Every problem is collected and reported at once, naming the
line and column: a missing column (with the columns the file does have), an empty text or
label, a label with a single example (a classifier cannot learn or calibrate it). Nothing is
trained or written when one is found. Texts longer than ``MAX_TEXT_CHARS`` are not an error:
they are cut to that length, and the count is reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any, Protocol

from fairlane.errors import FieldProblem, ValidationFailed
from fairlane.triage.textmodel import MAX_TEXT_CHARS

__all__ = ["LabelledTexts", "labelled_texts"]


class _Row(Protocol):
    @property
    def line(self) -> int: ...
    @property
    def data(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class LabelledTexts:
    texts: list[str]
    labels: list[str] | None  # None when no label column was asked for
    segments: list[str] | None
    lines: list[int]
    truncated: int  # texts longer than MAX_TEXT_CHARS (cut, not rejected)
    numeric: dict[str, list[float]] | None = None  # the numeric feature columns asked for


def labelled_texts(
    rows: Sequence[_Row],
    *,
    source: str,
    text_column: str,
    label_column: str | None = None,
    segment_column: str | None = None,
    numeric_columns: Sequence[str] = (),
    require_two_per_label: bool = False,
) -> LabelledTexts:
    """The texts (and labels, segments) of ``rows``; ValidationFailed naming every problem."""
    if not rows:
        raise ValidationFailed(f"{source} has no data rows.")
    columns = sorted({key for row in rows for key in row.data if not key.startswith("__")})
    wanted = [("--text-column", text_column), ("--label-column", label_column)]
    wanted.append(("--segment-column", segment_column))
    wanted += [("--feature-column", name) for name in numeric_columns]
    missing = [
        FieldProblem(
            (option,),
            f"no column {name!r} in {source}; it has: {', '.join(columns) or '(none)'}",
            column=name,
            suggestion=_did_you_mean(name, columns),
        )
        for option, name in wanted
        if name is not None and name not in columns
    ]
    if missing:
        raise ValidationFailed(f"{source} lacks a column the command needs.", missing)
    problems: list[FieldProblem] = []
    texts: list[str] = []
    labels: list[str] = []
    segments: list[str] = []
    lines: list[int] = []
    numbers: dict[str, list[float]] = {name: [] for name in numeric_columns}
    for row in rows:
        if "__width__" in row.data or "__type__" in row.data:
            what = row.data.get("__width__") or f"is a JSON {row.data['__type__']}, not an object"
            problems.append(FieldProblem(("row",), f"the row {what}", line=row.line))
            continue
        text = _cell(row, text_column, problems, what="text")
        label = _cell(row, label_column, problems, what="label") if label_column else ""
        segment = _cell(row, segment_column, problems, what="segment") if segment_column else ""
        values = [_number(row, name, problems) for name in numeric_columns]
        if text is None or label is None or segment is None or None in values:
            continue
        for name, value in zip(numeric_columns, values, strict=True):
            assert value is not None
            numbers[name].append(value)
        texts.append(text)
        labels.append(label)
        segments.append(segment)
        lines.append(row.line)
    if label_column and require_two_per_label and not problems:
        counts = Counter(labels)
        for label, line in zip(labels, lines, strict=True):
            if counts[label] == 1:
                problems.append(
                    FieldProblem(
                        (label_column,),
                        f"label {label!r} has a single example; a classifier needs at least "
                        "two of each label",
                        line=line,
                        column=label_column,
                        suggestion="add examples, merge it into a related label, or drop the row",
                    )
                )
        if len(counts) == 1:
            problems.append(
                FieldProblem(
                    (label_column,),
                    f"every row has the label {labels[0]!r}; a classifier needs two or more",
                    column=label_column,
                )
            )
    if problems:
        raise ValidationFailed(
            f"{len(problems)} problem(s) in {source}; nothing was done.", problems
        )
    return LabelledTexts(
        texts=texts,
        labels=labels if label_column else None,
        segments=segments if segment_column else None,
        lines=lines,
        truncated=sum(len(t) > MAX_TEXT_CHARS for t in texts),
        numeric=numbers if numeric_columns else None,
    )


_TRUE_FALSE = {"true": 1.0, "yes": 1.0, "false": 0.0, "no": 0.0}


def _number(row: _Row, column: str, problems: list[FieldProblem]) -> float | None:
    """A numeric feature cell: a number, or true/false (1/0)."""
    value = row.data.get(column)
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip().casefold() if value is not None else ""
        try:
            number = _TRUE_FALSE[text] if text in _TRUE_FALSE else float(text.replace(",", ""))
        except ValueError:
            problems.append(
                FieldProblem(
                    (column,),
                    f"{value!r} is not a number" if text else "a number is required",
                    line=row.line,
                    column=column,
                    suggestion="use 0 when it is not known" if not text else None,
                )
            )
            return None
    if number != number or number in (float("inf"), float("-inf")):
        problems.append(
            FieldProblem((column,), "not a finite number", line=row.line, column=column)
        )
        return None
    return number


def _cell(row: _Row, column: str | None, problems: list[FieldProblem], *, what: str) -> str | None:
    value = row.data.get(column or "")
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(
            FieldProblem((column or what,), f"the {what} is empty", line=row.line, column=column)
        )
        return None
    if isinstance(value, (dict, list)):
        problems.append(
            FieldProblem(
                (column or what,),
                f"the {what} must be text, not a JSON {type(value).__name__}",
                line=row.line,
                column=column,
            )
        )
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _did_you_mean(name: str, columns: list[str]) -> str | None:
    close = get_close_matches(name, columns, n=1, cutoff=0.6)
    if not close:
        lowered = {c.casefold(): c for c in columns}
        close = [lowered[name.casefold()]] if name.casefold() in lowered else []
    return f"did you mean {close[0]!r}?" if close else None
