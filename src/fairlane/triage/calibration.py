"""Calibrated confidence: temperature scaling, and how to measure calibration.

A linear text classifier's raw scores rank classes well but say little about how often the
top class is right. Temperature scaling (Guo et al., 2017) fixes that with one number: the
softmax of ``scores / T``, with ``T`` chosen to minimise the negative log-likelihood of
**held-out** predictions (out-of-fold scores from cross-validation, never the training fit).
It keeps the ranking, so accuracy is unchanged; only the confidence moves.

The expected calibration error (ECE) is the gap between confidence and accuracy, averaged over
equal-width confidence bins weighted by how many predictions fall in each.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

__all__ = ["CalibrationBin", "expected_calibration_error", "fit_temperature", "softmax"]


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z: np.ndarray = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The temperature minimising the held-out negative log-likelihood (searched on a log
    scale between 0.01 and 100)."""
    rows = np.arange(len(truth))

    def nll(log_t: float) -> float:
        z = scores / np.exp(log_t)
        z = z - z.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(z).sum(axis=1))
        return float(np.mean(log_norm - z[rows, truth]))

    found = minimize_scalar(nll, bounds=(np.log(0.01), np.log(100.0)), method="bounded")
    return float(np.exp(found.x))


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    low: float
    high: float
    count: int
    mean_confidence: float
    accuracy: float


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, *, bins: int = 15
) -> tuple[float, list[CalibrationBin]]:
    """ECE over ``bins`` equal-width bins of the top-class confidence, and the bins."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    table: list[CalibrationBin] = []
    total = 0.0
    n = len(confidence)
    for low, high in itertools.pairwise(edges):
        inside = (confidence > low) & (confidence <= high) if low > 0 else confidence <= high
        count = int(inside.sum())
        if count == 0:
            continue
        mean_conf = float(confidence[inside].mean())
        accuracy = float(correct[inside].mean())
        total += count / n * abs(mean_conf - accuracy)
        table.append(CalibrationBin(float(low), float(high), count, mean_conf, accuracy))
    return total, table
