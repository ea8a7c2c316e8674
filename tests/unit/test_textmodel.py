"""Trainable text models: calibrated, stored without pickle, refusing the wrong target."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from fairlane.triage.textmodel import MAX_TEXT_CHARS, ModelError, TextModel, prepare_text
from tests.textdata import labelled

TRAINED_AT = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def model() -> TextModel:
    texts, labels = labelled()
    return TextModel.train(texts, labels, target="intent", trained_at=TRAINED_AT)


def test_a_trained_model_labels_new_paraphrases_of_its_classes(model: TextModel) -> None:
    predictions = model.predict(
        [
            "we were charged twice on the invoice",
            "cannot log in, password reset fails",
            "everything is down with 500 errors",
        ]
    )
    assert [p.label for p in predictions] == ["billing", "login", "outage"]
    assert all(0.0 <= p.confidence <= 1.0 for p in predictions)


def test_misspelt_words_still_point_to_the_right_label(model: TextModel) -> None:
    assert model.predict(["the invioce is wrnog, refnud please"])[0].label == "billing"


def test_probabilities_sum_to_one_and_follow_the_label_order(model: TextModel) -> None:
    probabilities = model.predict_proba(["the site is down"])
    assert probabilities.shape == (1, 3)
    assert probabilities.sum() == pytest.approx(1.0)
    assert model.labels == ("billing", "login", "outage")


def test_saved_model_loads_back_with_the_same_predictions(model: TextModel, tmp_path: Path) -> None:
    model.save(tmp_path / "m")
    loaded = TextModel.load(tmp_path / "m")
    texts = ["my card was billed again", "sso fails", "api requests time out today"]
    assert np.allclose(loaded.predict_proba(texts), model.predict_proba(texts), atol=1e-5)
    assert loaded.card.model_id == model.card.model_id
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["model.json", "weights.npz"]


def test_the_model_id_changes_when_the_training_data_does() -> None:
    texts, labels = labelled()
    first = TextModel.train(texts, labels, trained_at=TRAINED_AT)
    other = TextModel.train(texts[:-10], labels[:-10], trained_at=TRAINED_AT)
    assert first.card.model_id != other.card.model_id


def test_loading_for_another_target_is_refused(model: TextModel, tmp_path: Path) -> None:
    model.save(tmp_path / "m")
    with pytest.raises(ModelError, match="trained for 'intent', not 'priority'"):
        TextModel.load(tmp_path / "m", expect_target="priority")


def test_a_model_of_another_format_version_is_refused(model: TextModel, tmp_path: Path) -> None:
    model.save(tmp_path / "m")
    card = json.loads((tmp_path / "m" / "model.json").read_text())
    card["format_version"] = 99
    (tmp_path / "m" / "model.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="format 99"):
        TextModel.load(tmp_path / "m")


def test_weights_holding_pickled_objects_are_refused_not_unpickled(
    model: TextModel, tmp_path: Path
) -> None:
    model.save(tmp_path / "m")
    with (tmp_path / "m" / "weights.npz").open("wb") as f:
        np.savez(f, coef=np.array([{"evil": "payload"}], dtype=object))
    with pytest.raises(ModelError, match="damaged or not a numpy archive"):
        TextModel.load(tmp_path / "m")


def test_a_directory_without_a_model_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="fairlane model train"):
        TextModel.load(tmp_path)


def test_a_label_with_one_example_is_refused_by_name() -> None:
    texts, labels = labelled(5)
    with pytest.raises(ModelError, match="these have one: refund"):
        TextModel.train(
            [*texts, "give me my money back"], [*labels, "refund"], trained_at=TRAINED_AT
        )


def test_a_single_label_cannot_be_trained() -> None:
    with pytest.raises(ModelError, match="at least two different labels"):
        TextModel.train(["a b", "c d"], ["x", "x"], trained_at=TRAINED_AT)


def test_two_labels_give_two_calibrated_columns() -> None:
    texts, labels = labelled(20)
    keep = [i for i, label in enumerate(labels) if label != "outage"]
    model = TextModel.train(
        [texts[i] for i in keep], [labels[i] for i in keep], trained_at=TRAINED_AT
    )
    probabilities = model.predict_proba(["I was charged twice", "I cannot log in"])
    assert probabilities.argmax(axis=1).tolist() == [0, 1]


def test_very_long_texts_are_cut_to_the_documented_limit() -> None:
    body = "refund " * 1_000_000  # 7 MB
    assert len(prepare_text(body)) == MAX_TEXT_CHARS


def test_the_fast_word_features_equal_scikit_learns() -> None:
    from fairlane.triage.features import FeatureSpec, Featurizer

    texts, _ = labelled(10)
    texts += ["", "a b", "Hello hello HELLO, world!", "l'été était beau"]
    featurizer = Featurizer.fit(FeatureSpec(char_ngrams=None), texts)
    ours = featurizer.transform(texts).toarray()
    reference = featurizer.vectorizers[0].transform(texts).toarray()
    assert np.allclose(ours, reference, atol=1e-6)


def test_scores_from_shared_word_counts_equal_the_sparse_matrix_path() -> None:
    from fairlane.triage.features import FeatureSpec, Featurizer, WordIndex

    texts, _ = labelled(10)
    featurizer = Featurizer.fit(FeatureSpec(char_ngrams=None), texts)
    batch = [*texts[:5], "", "refund please, the invoice was charged twice", "a"]
    weights = np.random.default_rng(7).normal(size=(featurizer.n_features, 4))
    index = WordIndex([featurizer.word_vocabulary], featurizer.spec.word_ngrams)
    shared = featurizer.word_dot(index.count(batch), weights)
    assert np.allclose(shared, featurizer.transform(batch) @ weights, rtol=1e-5, atol=1e-6)
    assert not shared[5].any()  # an empty text has no features
