"""Evaluation figures, and the flag on a segment that is served worse (T8)."""

from __future__ import annotations

import pytest

from fairlane.triage.evaluation import evaluate


def test_accuracy_macro_f1_and_per_class_figures() -> None:
    report = evaluate(
        ["a", "a", "b", "b"],
        ["a", "b", "b", "b"],
        [0.9, 0.6, 0.8, 0.95],
        threshold=0.7,
        known_labels=["a", "b"],
    )
    assert report.accuracy == 0.75
    by_label = {c.label: c for c in report.classes}
    assert by_label["a"].precision == 1.0
    assert by_label["a"].recall == 0.5
    assert by_label["b"].precision == pytest.approx(2 / 3)
    assert report.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)
    assert report.review_rate == 0.25
    assert report.applied_accuracy == 1.0


def test_a_segment_measurably_worse_than_the_rest_is_flagged() -> None:
    truth = ["x"] * 400
    # enterprise: 95% right; digital-first: 70% right
    predicted = ["x"] * 190 + ["y"] * 10 + ["x"] * 140 + ["y"] * 60
    segments = ["enterprise"] * 200 + ["digital-first"] * 200
    report = evaluate(
        truth, predicted, [0.9] * 400, threshold=0.7, known_labels=["x", "y"], segments=segments
    )
    flagged = [s.segment for s in report.flagged]
    assert flagged == ["digital-first"]
    assert "25.0 points worse" in report.flagged[0].worse_reason


def test_a_small_segment_is_not_flagged_on_a_handful_of_rows() -> None:
    truth = ["x"] * 210
    predicted = ["x"] * 200 + ["y"] * 5 + ["x"] * 5
    segments = ["big"] * 200 + ["tiny"] * 10
    report = evaluate(
        truth, predicted, [0.9] * 210, threshold=0.7, known_labels=["x", "y"], segments=segments
    )
    assert report.flagged == []
    assert (
        "fewer than 30 rows" in next(s for s in report.segments if s.segment == "tiny").worse_reason
    )


def test_labels_the_model_never_saw_are_counted() -> None:
    report = evaluate(["a", "new"], ["a", "a"], [0.9, 0.9], threshold=0.7, known_labels=["a"])
    assert report.unknown_labels == {"new": 1}
