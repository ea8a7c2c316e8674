"""Temperature scaling and the calibration error, on data whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairlane.triage.calibration import expected_calibration_error, fit_temperature, softmax


def test_fit_temperature_recovers_the_temperature_that_generated_the_labels() -> None:
    rng = np.random.default_rng(7)
    scores = rng.normal(size=(20_000, 4)) * 3
    truth_t = 2.5
    probabilities = softmax(scores, truth_t)
    labels = np.array([rng.choice(4, p=row) for row in probabilities])
    assert fit_temperature(scores, labels) == pytest.approx(truth_t, rel=0.08)


def test_perfectly_calibrated_predictions_have_almost_no_calibration_error() -> None:
    rng = np.random.default_rng(3)
    confidence = rng.uniform(0.3, 1.0, size=50_000)
    correct = rng.uniform(size=confidence.size) < confidence
    ece, bins = expected_calibration_error(confidence, correct)
    assert ece < 0.01
    assert sum(b.count for b in bins) == confidence.size


def test_always_confident_and_half_right_is_half_miscalibrated() -> None:
    confidence = np.full(1000, 0.99)
    correct = np.arange(1000) % 2 == 0
    ece, _ = expected_calibration_error(confidence, correct)
    assert ece == pytest.approx(0.49)


@settings(max_examples=50, deadline=None)
@given(st.floats(0.05, 20), st.integers(0, 10_000))
def test_temperature_never_changes_which_class_is_on_top(temperature: float, seed: int) -> None:
    scores = np.random.default_rng(seed).normal(size=(50, 5))
    assert (softmax(scores, temperature).argmax(axis=1) == scores.argmax(axis=1)).all()
