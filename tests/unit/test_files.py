"""Import files: every record carries the line it starts on."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairlane.adapters.files import read_rows
from fairlane.errors import ValidationFailed


def test_json_array_items_carry_their_starting_line(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    path.write_text('[\n  {"id": "a",\n   "name": "A"},\n\n  {"id": "b"}, {"id": "c"}\n]\n')
    assert [row.line for row in read_rows(path, collection="accounts")] == [2, 5, 5]


def test_wrapped_json_array_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "tickets.json"
    path.write_text('{"meta": {"x": [1]},\n "tickets": [\n {"source": "s"}\n]}')
    rows = read_rows(path, collection="tickets")
    assert [(row.line, row.data) for row in rows] == [(3, {"source": "s"})]


def test_csv_record_spanning_lines_reports_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text('source,body\nemail,"two\nlines"\nemail,one\n')
    assert [row.line for row in read_rows(path, collection="tickets")] == [2, 4]


def test_broken_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('[\n {"id": }\n]')
    with pytest.raises(ValidationFailed, match="line 2, column 9"):
        read_rows(path, collection="accounts")


def test_unsupported_extension_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"")
    with pytest.raises(ValidationFailed, match=r"\.csv, \.tsv, \.json"):
        read_rows(path, collection="accounts")
