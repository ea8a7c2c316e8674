"""Reading import files: CSV, TSV, JSON (an array) and JSON Lines, with line numbers for every
row. CSV and TSV files need a header row; a cell may hold up to 64 MiB (Python's csv module
stops at 128 KiB by default, which a long e-mail body passes)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fairlane.errors import FieldProblem, ValidationFailed

__all__ = ["SUPPORTED", "Row", "read_rows"]

SUPPORTED = (".csv", ".tsv", ".json", ".jsonl", ".ndjson")
_MAX_CELL = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # 1-based line where the record starts
    data: dict[str, Any]


def read_rows(path: Path, *, collection: str) -> list[Row]:
    """All records of ``path``; ValidationFailed naming the line when the file is unreadable."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ValidationFailed(
            f"{path} is not a supported file; use " + ", ".join(SUPPORTED) + ".",
            [FieldProblem(("file",), f"unsupported extension {suffix or '(none)'!r}")],
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(f"Cannot read {path}: {exc.strerror}.") from exc
    text = _decode(raw, path)
    if suffix in (".csv", ".tsv"):
        return list(_csv_rows(text, path, delimiter="\t" if suffix == ".tsv" else ","))
    if suffix == ".json":
        return _json_rows(text, path, collection)
    return list(_jsonl_rows(text, path))


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationFailed(
            f"{path} is not UTF-8 text; save it as UTF-8 and try again.",
            [
                FieldProblem(
                    ("file",),
                    f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not UTF-8",
                    line=line,
                )
            ],
        ) from None


def _csv_rows(text: str, path: Path, *, delimiter: str = ",") -> Iterator[Row]:
    if csv.field_size_limit() < _MAX_CELL:
        csv.field_size_limit(_MAX_CELL)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationFailed(f"{path} is empty; it needs a header row.") from None
    except csv.Error as exc:
        raise ValidationFailed(f"{path} is not valid CSV: {exc}.") from None
    header = [h.strip() for h in header]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        raise ValidationFailed(
            f"{path} repeats columns: {', '.join(duplicated)}.",
            [FieldProblem(("header",), "duplicate column", line=1, column=d) for d in duplicated],
        )
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValidationFailed(
                f"{path} is not valid CSV at line {reader.line_num}: {exc}.",
                [FieldProblem(("file",), str(exc), line=reader.line_num)],
            ) from None
        if cells and any(c.strip() for c in cells):
            if len(cells) != len(header):
                yield Row(
                    start, {"__width__": f"has {len(cells)} cells, the header has {len(header)}"}
                )
            else:
                yield Row(
                    start,
                    {h: c for h, c in zip(header, cells, strict=True) if c.strip() != "" and h},
                )
        start = reader.line_num + 1


def _json_rows(text: str, path: Path, collection: str) -> list[Row]:
    """Items of a JSON array (or ``{"<collection>": [...]}``), each with the line it starts on."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
            [FieldProblem(("file",), exc.msg, line=exc.lineno, column=str(exc.colno))],
        ) from None
    items = data.get(collection) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValidationFailed(
            f'{path} must hold a JSON array of {collection} (or {{"{collection}": [...]}}).'
        )
    try:
        lines = _item_lines(text, collection if isinstance(data, dict) else None)
    except ValueError:
        lines = []
    if len(lines) != len(items):  # an unusual layout fooled the scan: number the items instead
        lines = list(range(1, len(items) + 1))
    return [
        Row(line, item if isinstance(item, dict) else {"__type__": type(item).__name__})
        for line, item in zip(lines, items, strict=True)
    ]


def _item_lines(text: str, key: str | None) -> list[int]:
    """The 1-based line on which each element of the (already validated) array starts."""
    decoder = json.JSONDecoder()
    position = text.index("[", text.index(f'"{key}"') if key else 0) + 1
    lines: list[int] = []
    line, counted = 1, 0
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            return lines
        line += text.count("\n", counted, position)
        counted = position
        lines.append(line)
        _, position = decoder.raw_decode(text, position)


def _jsonl_rows(text: str, path: Path) -> Iterator[Row]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValidationFailed(
                f"{path} line {number} is not valid JSON: {exc.msg}.",
                [FieldProblem(("file",), exc.msg, line=number, column=str(exc.colno))],
            ) from None
        yield Row(number, item if isinstance(item, dict) else {"__type__": type(item).__name__})
