"""`fairlane model train / predict / evaluate` as a user drives them with their own files."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fairlane.entrypoints.cli.main import app
from tests.textdata import labelled

runner = CliRunner()
ENV = {"COLUMNS": "200"}


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _predict(model: Path, data: Path, out: Path, *extra: str) -> Any:
    return runner.invoke(
        app,
        ["model", "predict", "--model", str(model), "--data", str(data), "--out", str(out), *extra],
        env=ENV,
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("model")
    texts, labels = labelled(40)
    data = _csv(
        folder / "train.csv", ["body", "intent"], [list(r) for r in zip(texts, labels, strict=True)]
    )
    out = folder / "model"
    result = runner.invoke(
        app,
        [
            "model",
            "train",
            "--data",
            str(data),
            "--text-column",
            "body",
            "--label-column",
            "intent",
            "--out",
            str(out),
            "--target",
            "intent",
        ],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    assert "trained intent model" in result.output
    return out


def test_predict_writes_one_row_per_input_row_in_input_order(trained: Path, tmp_path: Path) -> None:
    texts = [
        "charged twice on my invoice",
        "cannot log in at all",
        "the site is down",
        "refund the payment please",
    ]
    data = _csv(tmp_path / "new.csv", ["id", "text"], [[str(i), t] for i, t in enumerate(texts)])
    out = tmp_path / "predictions.csv"
    result = runner.invoke(
        app,
        [
            "model",
            "predict",
            "--model",
            str(trained),
            "--data",
            str(data),
            "--text-column",
            "text",
            "--out",
            str(out),
        ],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["label", "confidence", "needs_review"]
    assert [r["label"] for r in rows] == ["billing", "login", "outage", "billing"]
    for row in rows:
        assert 0.0 <= float(row["confidence"]) <= 1.0
        assert row["needs_review"] == ("true" if float(row["confidence"]) < 0.70 else "false")


def test_threshold_option_overrides_the_policy(trained: Path, tmp_path: Path) -> None:
    data = _csv(tmp_path / "new.csv", ["text"], [["hello there"], ["the site is down"]])

    def needs_review(*extra: str) -> list[str]:
        out = tmp_path / "p.csv"
        result = runner.invoke(
            app,
            [
                "model",
                "predict",
                "--model",
                str(trained),
                "--data",
                str(data),
                "--out",
                str(out),
                *extra,
            ],
            env=ENV,
        )
        assert result.exit_code == 0, result.output
        with out.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        threshold = float(extra[1]) if extra else 0.70
        for row in rows:
            assert row["needs_review"] == str(float(row["confidence"]) < threshold).lower()
        return [r["needs_review"] for r in rows]

    needs_review()
    assert needs_review("--threshold", "0") == ["false", "false"]
    assert "true" in needs_review("--threshold", "0.99995")


def test_evaluate_reports_figures_overall_and_per_segment(trained: Path, tmp_path: Path) -> None:
    texts, labels = labelled(20, seed=9)
    segments = ["enterprise" if i % 2 else "digital-first" for i in range(len(texts))]
    data = _csv(
        tmp_path / "test.tsv".replace(".tsv", ".csv"),
        ["text", "label", "segment"],
        [list(r) for r in zip(texts, labels, segments, strict=True)],
    )
    result = runner.invoke(
        app,
        [
            "model",
            "evaluate",
            "--model",
            str(trained),
            "--data",
            str(data),
            "--segment-column",
            "segment",
            "--json",
        ],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["rows"] == 60
    assert report["accuracy"] > 0.9
    assert {"macro_f1", "expected_calibration_error", "review_rate", "classes"} <= set(report)
    assert sorted(s["segment"] for s in report["segments"]) == ["digital-first", "enterprise"]
    table = runner.invoke(
        app,
        [
            "model",
            "evaluate",
            "--model",
            str(trained),
            "--data",
            str(data),
            "--segment-column",
            "segment",
        ],
        env=ENV,
    )
    assert "macro-F1" in table.output
    assert "no segment is served measurably worse" in table.output


def test_tab_separated_files_work_too(trained: Path, tmp_path: Path) -> None:
    data = tmp_path / "new.tsv"
    data.write_text(
        "text\tlabel\nthe site is down\toutage\ncannot log in\tlogin\n", encoding="utf-8"
    )
    result = runner.invoke(
        app, ["model", "evaluate", "--model", str(trained), "--data", str(data), "--json"], env=ENV
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["accuracy"] == 1.0


def test_a_missing_column_is_named_with_the_columns_the_file_has(
    trained: Path, tmp_path: Path
) -> None:
    data = _csv(tmp_path / "new.csv", ["Text", "other"], [["hello", "x"]])
    result = _predict(trained, data, tmp_path / "p.csv")
    assert result.exit_code == 3
    assert "no column 'text'" in result.output
    assert "Text, other" in result.output
    assert "did you mean 'Text'?" in result.output
    assert not (tmp_path / "p.csv").exists()


def test_empty_texts_are_named_by_line_and_nothing_is_trained(tmp_path: Path) -> None:
    texts, labels = labelled(5)
    rows = [list(r) for r in zip(texts, labels, strict=True)]
    rows[3][0] = "   "
    data = _csv(tmp_path / "train.csv", ["text", "label"], rows)
    result = runner.invoke(
        app, ["model", "train", "--data", str(data), "--out", str(tmp_path / "m")], env=ENV
    )
    assert result.exit_code == 3
    assert "line 5, column text" in result.output
    assert "the text is empty" in result.output
    assert not (tmp_path / "m").exists()


def test_a_label_with_a_single_example_is_named_with_its_line(tmp_path: Path) -> None:
    texts, labels = labelled(5)
    rows = [list(r) for r in zip(texts, labels, strict=True)] + [["give my money back", "refund"]]
    data = _csv(tmp_path / "train.csv", ["text", "label"], rows)
    result = runner.invoke(
        app, ["model", "train", "--data", str(data), "--out", str(tmp_path / "m")], env=ENV
    )
    assert result.exit_code == 3
    assert "line 17, column label" in result.output
    assert "label 'refund' has a single example" in result.output


def test_bytes_that_are_not_utf8_are_named_by_line(trained: Path, tmp_path: Path) -> None:
    data = tmp_path / "new.csv"
    data.write_bytes(b"text\nfine\ncaf\xe9 au lait\n")
    result = _predict(trained, data, tmp_path / "p.csv")
    assert result.exit_code == 3
    assert "line 3" in result.output
    assert "is not UTF-8" in result.output


def test_a_five_megabyte_body_is_cut_and_the_user_is_told(trained: Path, tmp_path: Path) -> None:
    data = _csv(tmp_path / "big.csv", ["text"], [["the site is down " * 300_000], ["hi"]])
    assert data.stat().st_size > 5_000_000
    out = tmp_path / "p.csv"
    result = runner.invoke(
        app,
        ["model", "predict", "--model", str(trained), "--data", str(data), "--out", str(out)],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    assert "1 text(s) longer than 20,000 characters were cut" in result.output
    with out.open(newline="", encoding="utf-8") as f:
        assert next(csv.DictReader(f))["label"] == "outage"


def test_a_model_for_another_target_is_refused_with_a_clear_error(
    trained: Path, tmp_path: Path
) -> None:
    data = _csv(tmp_path / "new.csv", ["text"], [["hello"]])
    result = runner.invoke(
        app,
        [
            "model",
            "predict",
            "--model",
            str(trained),
            "--data",
            str(data),
            "--out",
            str(tmp_path / "p.csv"),
            "--target",
            "escalation",
        ],
        env=ENV,
    )
    assert result.exit_code == 3
    assert "trained for 'intent', not 'escalation'" in result.output


def test_an_unknown_backend_is_refused_before_reading_anything(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "model",
            "train",
            "--data",
            str(tmp_path / "none.csv"),
            "--out",
            str(tmp_path / "m"),
            "--backend",
            "gpt",
        ],
        env=ENV,
    )
    assert result.exit_code == 3
    assert "--backend 'gpt' is not one of tfidf, embeddings" in result.output


def test_an_escalation_model_learns_numeric_columns_beside_the_text(tmp_path: Path) -> None:
    """T7: text plus structured features; the numbers alone separate the classes here."""
    rows = []
    for i in range(80):
        escalated = i % 2 == 0
        rows.append(
            [
                "Hello, a question about the report",
                "true" if escalated else "false",
                str(900_000 if escalated else 2_000),
                str(2 if escalated else 0),
            ]
        )
    data = _csv(tmp_path / "history.csv", ["text", "escalated", "arr", "reopenings"], rows)
    out = tmp_path / "esc"
    result = runner.invoke(
        app,
        [
            "model",
            "train",
            "--data",
            str(data),
            "--label-column",
            "escalated",
            "--target",
            "escalation",
            "--out",
            str(out),
        ],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    assert "learning the numeric columns arr, reopenings" in result.output  # found by name
    test = _csv(
        tmp_path / "new.csv",
        ["text", "arr", "reopenings"],
        [
            ["Hello, a question about the report", "850000", "3"],
            ["Hello, a question about the report", "1500", "0"],
        ],
    )
    predictions = tmp_path / "p.csv"
    result = runner.invoke(
        app,
        ["model", "predict", "--model", str(out), "--data", str(test), "--out", str(predictions)],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    with predictions.open(newline="", encoding="utf-8") as f:
        assert [r["label"] for r in csv.DictReader(f)] == ["true", "false"]
    missing = _csv(tmp_path / "bad.csv", ["text", "arr"], [["hi", "12"]])
    result = _predict(out, missing, tmp_path / "q.csv")
    assert result.exit_code == 3
    assert "no column 'reopenings'" in result.output
    bad = _csv(tmp_path / "bad2.csv", ["text", "arr", "reopenings"], [["hi", "lots", "1"]])
    result = _predict(out, bad, tmp_path / "r.csv")
    assert result.exit_code == 3
    assert "line 2, column arr" in result.output
    assert "'lots' is not a number" in result.output
