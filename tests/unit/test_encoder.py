"""The numpy sentence encoder: similar sentences land close, unrelated ones far."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from fairlane.triage.encoder import EncoderUnavailable, SentenceEncoder, default_encoder_dir
from fairlane.triage.textmodel import TextModel
from tests.textdata import labelled


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder(default_encoder_dir())


def test_paraphrases_are_closer_than_unrelated_sentences(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(
        ["My card has not arrived yet", "I am still waiting for my card", "Nice weather today"]
    )
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > 0.6
    assert similarity[0, 2] < 0.3


def test_batching_and_padding_do_not_change_an_embedding(encoder: SentenceEncoder) -> None:
    alone = encoder.encode(["short one"])
    together = encoder.encode(["short one", "a much longer sentence " * 10], batch_size=2)
    assert np.allclose(alone[0], together[0], atol=1e-5)


def test_a_directory_without_weights_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EncoderUnavailable, match=r"model\.safetensors"):
        SentenceEncoder(tmp_path)


def test_embeddings_model_round_trips_through_its_files(
    encoder: SentenceEncoder, tmp_path: Path
) -> None:
    texts, labels = labelled(10)
    model = TextModel.train(
        texts,
        labels,
        backend="embeddings",
        encoder=encoder,
        trained_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    model.save(tmp_path / "m")
    loaded = TextModel.load(tmp_path / "m")
    probe = ["we got charged two times", "login is impossible"]
    assert [p.label for p in loaded.predict(probe)] == ["billing", "login"]
    assert np.allclose(loaded.predict_proba(probe), model.predict_proba(probe), atol=1e-4)
