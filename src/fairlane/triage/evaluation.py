"""How good a text model is, overall and per customer segment (T8, T9).

:func:`evaluate` compares predictions with the true labels and reports accuracy, macro-F1,
per-class precision and recall, the expected calibration error, and what the review
threshold does (the share of predictions sent to review and the accuracy of those applied
automatically). With segments, the same figures per segment, and a flag on any segment
**served measurably worse**: at least :data:`MIN_SEGMENT_ROWS` rows, an accuracy at least
:data:`WORSE_BY` (5 points) below the rest of the data, and a one-sided two-proportion z-test
against the rest with p < 0.05. Both conditions matter: a small gap on many rows is real but
not material, and a large gap on a handful of rows may be chance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from fairlane.triage.calibration import CalibrationBin, expected_calibration_error

__all__ = ["MIN_SEGMENT_ROWS", "WORSE_BY", "ClassFigures", "Evaluation", "evaluate"]

MIN_SEGMENT_ROWS = 30
WORSE_BY = 0.05
_P_VALUE = 0.05


@dataclass(frozen=True, slots=True)
class ClassFigures:
    label: str
    support: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Evaluation:
    rows: int
    accuracy: float
    macro_f1: float
    calibration_error: float
    threshold: float
    review_rate: float  # share of rows whose confidence is under the threshold
    applied_accuracy: float | None  # accuracy of the rows above the threshold
    classes: list[ClassFigures]
    calibration: list[CalibrationBin]
    unknown_labels: dict[str, int]  # true labels the model was never trained on
    segment: str | None = None
    segments: list[Evaluation] = field(default_factory=list)
    is_worse: bool = False
    worse_reason: str = ""

    @property
    def flagged(self) -> list[Evaluation]:
        return [s for s in self.segments if s.is_worse]

    def as_dict(self) -> dict[str, object]:
        return {
            "segment": self.segment,
            "rows": self.rows,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "expected_calibration_error": round(self.calibration_error, 4),
            "threshold": self.threshold,
            "review_rate": round(self.review_rate, 4),
            "applied_accuracy": None
            if self.applied_accuracy is None
            else round(self.applied_accuracy, 4),
            "classes": [
                {
                    "label": c.label,
                    "support": c.support,
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                }
                for c in self.classes
            ],
            "calibration": [
                {
                    "confidence_from": round(b.low, 4),
                    "confidence_to": round(b.high, 4),
                    "rows": b.count,
                    "mean_confidence": round(b.mean_confidence, 4),
                    "accuracy": round(b.accuracy, 4),
                }
                for b in self.calibration
            ],
            "unknown_labels": self.unknown_labels,
            "is_worse": self.is_worse,
            "worse_reason": self.worse_reason,
            "segments": [s.as_dict() for s in self.segments],
        }


def evaluate(
    truth: Sequence[str],
    predicted: Sequence[str],
    confidence: Sequence[float],
    *,
    threshold: float,
    known_labels: Sequence[str],
    segments: Sequence[str] | None = None,
) -> Evaluation:
    """Figures for ``predicted`` against ``truth`` (and per value of ``segments``)."""
    t = np.array(truth, dtype=object)
    p = np.array(predicted, dtype=object)
    c = np.asarray(confidence, dtype=np.float64)
    overall = _figures(t, p, c, threshold=threshold, known=known_labels)
    if segments is None:
        return overall
    s = np.array(segments, dtype=object)
    correct = t == p
    parts: list[Evaluation] = []
    for value in sorted(set(s.tolist()), key=str):
        inside = s == value
        part = _figures(t[inside], p[inside], c[inside], threshold=threshold, known=known_labels)
        worse, reason = _is_worse(correct[inside], correct[~inside])
        parts.append(
            Evaluation(
                **{
                    **part.__dict__,
                    "segment": str(value),
                    "is_worse": worse,
                    "worse_reason": reason,
                }
            )
        )
    return Evaluation(**{**overall.__dict__, "segments": parts})


def _figures(
    t: np.ndarray, p: np.ndarray, c: np.ndarray, *, threshold: float, known: Sequence[str]
) -> Evaluation:
    n = len(t)
    correct = t == p
    labels = sorted(set(t.tolist()) | set(p.tolist()), key=str)
    classes = []
    for label in labels:
        tp = int(np.sum((p == label) & (t == label)))
        predicted_n = int(np.sum(p == label))
        support = int(np.sum(t == label))
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        classes.append(ClassFigures(str(label), support, precision, recall, f1))
    in_truth = [figures for figures in classes if figures.support > 0]
    macro_f1 = float(np.mean([f.f1 for f in in_truth])) if in_truth else 0.0
    ece, table = expected_calibration_error(c, correct) if n else (0.0, [])
    applied = c >= threshold
    known_set = set(known)
    unknown: dict[str, int] = {}
    for label in t.tolist():
        if label not in known_set:
            unknown[str(label)] = unknown.get(str(label), 0) + 1
    return Evaluation(
        rows=n,
        accuracy=float(correct.mean()) if n else 0.0,
        macro_f1=macro_f1,
        calibration_error=float(ece),
        threshold=threshold,
        review_rate=float((~applied).mean()) if n else 0.0,
        applied_accuracy=float(correct[applied].mean()) if applied.any() else None,
        classes=classes,
        calibration=table,
        unknown_labels=unknown,
    )


def _is_worse(inside: np.ndarray, rest: np.ndarray) -> tuple[bool, str]:
    n1, n2 = len(inside), len(rest)
    if n1 < MIN_SEGMENT_ROWS or n2 == 0:
        return False, f"not tested: fewer than {MIN_SEGMENT_ROWS} rows" if n2 else ""
    a1, a2 = float(inside.mean()), float(rest.mean())
    pooled = (inside.sum() + rest.sum()) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (a2 - a1) / spread if spread > 0 else 0.0
    p_value = 0.5 * math.erfc(z / math.sqrt(2))
    gap = a2 - a1
    if gap >= WORSE_BY and p_value < _P_VALUE:
        return True, (
            f"accuracy {a1:.3f} vs {a2:.3f} for the rest: {gap * 100:.1f} points worse "
            f"(one-sided p = {p_value:.2g})"
        )
    return False, ""
