"""Model quality on public labelled text (shared/data beside the repository, never copied in).

The full figures (both backends, GoEmotions too) are in `make bench`; these tests keep the
default backend honest on every run: trained on Banking77's train split, checked on its test
split, it must stay accurate and calibrated.
"""

from __future__ import annotations

import csv
import os
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from fairlane.triage.calibration import expected_calibration_error
from fairlane.triage.encoder import SentenceEncoder, default_encoder_dir
from fairlane.triage.textmodel import TextModel

DATA = Path(os.environ.get("FAIRLANE_SHARED_DATA", Path(__file__).parents[3] / "shared" / "data"))
BANKING = DATA / "banking77"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not BANKING.is_dir(), reason=f"{BANKING} is not there"),
]


def _split(name: str) -> tuple[list[str], list[str]]:
    with (BANKING / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["category"] for r in rows]


def test_default_backend_is_accurate_and_calibrated_on_banking77() -> None:
    texts, labels = _split("train")
    model = TextModel.train(texts, labels, trained_at=datetime(2026, 12, 1, tzinfo=UTC))
    test_texts, test_labels = _split("test")
    predictions = model.predict(test_texts)
    correct = np.array([p.label == y for p, y in zip(predictions, test_labels, strict=True)])
    confidence = np.array([p.confidence for p in predictions])
    ece, _ = expected_calibration_error(confidence, correct)
    assert correct.mean() >= 0.90  # measured 0.909
    assert ece <= 0.03  # measured 0.028


def test_embeddings_backend_learns_intents_from_few_examples() -> None:
    """Eight examples for each of 20 intents: the sentence encoder carries what TF-IDF
    cannot learn from so little (measured: about half the errors)."""
    texts, labels = _split("train")
    chosen = sorted(set(labels))[::4]
    picked: dict[str, list[str]] = {label: [] for label in chosen}
    for text, label in zip(texts, labels, strict=True):
        if label in picked and len(picked[label]) < 8:
            picked[label].append(text)
    train_texts = [t for label in chosen for t in picked[label]]
    train_labels = [label for label in chosen for _ in picked[label]]
    encoder = SentenceEncoder(default_encoder_dir())
    at = datetime(2026, 12, 1, tzinfo=UTC)
    tfidf = TextModel.train(train_texts, train_labels, trained_at=at)
    embedded = TextModel.train(
        train_texts, train_labels, trained_at=at, backend="embeddings", encoder=encoder
    )
    test_texts, test_labels = _split("test")
    keep = [i for i, label in enumerate(test_labels) if label in picked]
    texts_kept = [test_texts[i] for i in keep]
    truth = [test_labels[i] for i in keep]

    def errors(model: TextModel) -> float:
        predicted = model.predict(texts_kept)
        return float(np.mean([p.label != y for p, y in zip(predicted, truth, strict=True)]))

    print(f"errors: tfidf {errors(tfidf):.3f}, embeddings {errors(embedded):.3f}")
    assert errors(embedded) <= 0.7 * errors(tfidf)
    assert errors(embedded) <= 0.15
