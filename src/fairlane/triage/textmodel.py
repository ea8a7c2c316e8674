"""Trainable text classifiers with calibrated confidence, stored without pickle (T4, T6, T8).

``TextModel.train(texts, labels)`` learns a linear classifier over the features of
:mod:`fairlane.triage.features`, then calibrates it: out-of-fold scores from stratified
cross-validation fix a softmax temperature (:mod:`fairlane.triage.calibration`), and the
final model is fitted on every row. ``predict`` returns, per text, the label and its
calibrated confidence. ``save`` writes a directory with ``model.json`` (the model card: target,
labels, backend, features, temperature, versions, training figures) and ``weights.npz``
(numpy arrays only, read back with ``allow_pickle=False``): loading a model never runs code
from the file.

Texts longer than :data:`MAX_TEXT_CHARS` characters are cut to that length before anything
else (a 5 MB e-mail body says nothing in its last megabytes that its first 20,000 characters
do not); :func:`prepare_text` is the one place that does it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

import numpy as np
from scipy import sparse
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from fairlane.triage.calibration import fit_temperature, softmax
from fairlane.triage.encoder import SentenceEncoder, default_encoder_dir
from fairlane.triage.features import FeatureSpec, Featurizer, WordCounts

__all__ = [
    "BACKENDS",
    "FORMAT_VERSION",
    "MAX_TEXT_CHARS",
    "TARGETS",
    "ModelCard",
    "ModelError",
    "Prediction",
    "TextModel",
    "prepare_text",
]

FORMAT_VERSION = 1
MAX_TEXT_CHARS = 20_000
Backend = Literal["tfidf", "embeddings"]
BACKENDS: tuple[Backend, ...] = ("tfidf", "embeddings")
# What a model predicts; the ticket pipeline checks it before using a model for a slot.
TARGETS = ("generic", "intent", "priority", "urgency", "sentiment", "escalation")
_CARD = "model.json"
_WEIGHTS = "weights.npz"
_FOLDS = 3
_EMBEDDING_WEIGHT = 1.0


class ModelError(ValueError):
    """A model cannot be trained, loaded or used as asked; the message says why and what to do."""


def prepare_text(text: str) -> str:
    """The form every model sees: at most MAX_TEXT_CHARS characters."""
    return text[:MAX_TEXT_CHARS]


@dataclass(frozen=True, slots=True)
class Prediction:
    label: str
    confidence: float  # calibrated probability of ``label``, 0..1


@dataclass(frozen=True)
class ModelCard:
    """What a stored model is; ``model.json`` holds it."""

    model_id: str
    target: str
    backend: str
    labels: tuple[str, ...]
    features: dict[str, Any]
    temperature: float
    trained_at: str
    training_rows: int
    label_counts: dict[str, int]
    cross_validation: dict[str, float]
    encoder: dict[str, Any] | None = None
    format_version: int = FORMAT_VERSION
    fairlane_version: str = ""
    text_limit_chars: int = MAX_TEXT_CHARS
    source: dict[str, Any] | None = None  # where the training rows came from (file, sha256)
    numeric: dict[str, Any] | None = None  # numeric feature columns: names, mean, scale
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["labels"] = list(self.labels)
        return data


def _fairlane_version() -> str:
    try:
        return version("fairlane")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


class TextModel:
    """A calibrated linear text classifier; immutable once trained or loaded."""

    def __init__(
        self, card: ModelCard, featurizer: Featurizer, coef: np.ndarray, intercept: np.ndarray
    ) -> None:
        self.card = card
        self.featurizer = featurizer
        self.coef = coef
        self._coef_by_feature = np.ascontiguousarray(coef.T)  # rows gathered per feature
        self.intercept = intercept
        self._labels = np.array(card.labels, dtype=object)

    @property
    def labels(self) -> tuple[str, ...]:
        return self.card.labels

    # --- training ---------------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        target: str = "generic",
        backend: Backend = "tfidf",
        trained_at: datetime,
        seed: int = 0,
        encoder: SentenceEncoder | None = None,
        source: dict[str, Any] | None = None,
        char_ngrams: bool = True,
        numeric: Mapping[str, Sequence[float]] | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> TextModel:
        """Fit on ``texts`` and ``labels`` (same length; every label at least twice).
        ``source`` (for example the training file's name and digest) goes into the card.
        ``char_ngrams=False`` keeps to word n-grams: several times faster to apply, a little
        less tolerant of misspellings (the shipped ticket models use it). ``numeric``: named
        columns of numbers (account value, reopenings, ...) learned beside the text, each
        standardised with the training rows' mean and spread (an escalation model, T7)."""
        if target not in TARGETS:
            raise ModelError(f"unknown target {target!r}; use one of {', '.join(TARGETS)}")
        if backend not in BACKENDS:
            raise ModelError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
        if len(texts) != len(labels):
            raise ModelError("texts and labels differ in length")
        counts = Counter(labels)
        if len(counts) < 2:
            raise ModelError("a classifier needs at least two different labels")
        rare = sorted(label for label, n in counts.items() if n < 2)
        if rare:
            raise ModelError(
                "every label needs at least two examples; these have one: " + ", ".join(rare)
            )
        report = progress or (lambda _stage, _done, _total: None)
        prepared = [prepare_text(t) for t in texts]
        if backend == "embeddings":
            encoder = encoder or SentenceEncoder(default_encoder_dir())
        spec = FeatureSpec(
            char_ngrams=(2, 5) if char_ngrams else None,
            embedding_weight=_EMBEDDING_WEIGHT if backend == "embeddings" else 0.0,
        )
        embeddings = None
        if backend == "embeddings":
            assert encoder is not None
            done = 0

            def embedded(n: int) -> None:
                nonlocal done
                done += n
                report("embedding", done, len(prepared))

            embeddings = encoder.encode(prepared, progress=embedded)
        names = sorted(numeric or {})
        table = (
            np.column_stack([np.asarray(numeric[n], dtype=np.float64) for n in names])
            if numeric
            else None
        )
        if table is not None and (table.shape[0] != len(prepared) or not np.isfinite(table).all()):
            raise ModelError("every numeric feature needs one finite number per text")
        classes = sorted(counts)
        index = {label: i for i, label in enumerate(classes)}
        y = np.array([index[label] for label in labels])
        folds = min(_FOLDS, min(counts.values()))
        scores = np.zeros((len(y), len(classes)), dtype=np.float64)
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        for n, (fit_rows, held_rows) in enumerate(splitter.split(np.zeros(len(y)), y), start=1):
            report("calibrating", n, folds + 1)
            fold_texts = [prepared[i] for i in fit_rows]
            featurizer = Featurizer.fit(spec, fold_texts, encoder=encoder)
            scaling = _scaling(names, None if table is None else table[fit_rows])
            coef, intercept = _fit_linear(
                _with_numeric(
                    featurizer.transform(
                        fold_texts, embeddings=None if embeddings is None else embeddings[fit_rows]
                    ),
                    None if table is None else table[fit_rows],
                    scaling,
                ),
                y[fit_rows],
                len(classes),
                seed,
            )
            held = _with_numeric(
                featurizer.transform(
                    [prepared[i] for i in held_rows],
                    embeddings=None if embeddings is None else embeddings[held_rows],
                ),
                None if table is None else table[held_rows],
                scaling,
            )
            scores[held_rows] = held @ coef.T + intercept
        temperature = fit_temperature(scores, y)
        probabilities = softmax(scores, temperature)
        oof_accuracy = float((probabilities.argmax(axis=1) == y).mean())
        report("fitting", folds + 1, folds + 1)
        featurizer = Featurizer.fit(spec, prepared, encoder=encoder)
        scaling = _scaling(names, table)
        coef, intercept = _fit_linear(
            _with_numeric(featurizer.transform(prepared, embeddings=embeddings), table, scaling),
            y,
            len(classes),
            seed,
        )
        card = ModelCard(
            model_id="",
            target=target,
            backend=backend,
            labels=tuple(classes),
            features=spec.as_dict(),
            temperature=temperature,
            trained_at=trained_at.isoformat(),
            training_rows=len(prepared),
            label_counts=dict(sorted(counts.items())),
            cross_validation={"folds": folds, "accuracy": round(oof_accuracy, 4)},
            encoder=_encoder_card(encoder) if backend == "embeddings" else None,
            fairlane_version=_fairlane_version(),
            source=source,
            numeric=scaling,
        )
        model = cls(card, featurizer, coef, intercept)
        return model._with_id()

    # --- prediction -------------------------------------------------------------------------
    def predict_proba(
        self,
        texts: Sequence[str],
        *,
        words: WordCounts | None = None,
        numeric: Mapping[str, Sequence[float]] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Calibrated class probabilities, one row per text, columns in ``labels`` order.
        ``words``: the texts' word n-grams when the caller counted them already (shared by
        several models; see :class:`fairlane.triage.features.WordIndex`). ``numeric``: the
        model's numeric feature columns (:attr:`numeric_columns`), required when it has any."""
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float64)
        if words is not None and self.card.numeric is None and self.featurizer.words_only:
            scores = self.featurizer.word_dot(words, self._coef_by_feature) + self.intercept
            return softmax(scores, self.card.temperature)
        prepared = [prepare_text(t) for t in texts]
        if words is None:
            features = self.featurizer.transform(prepared, progress=progress)
        else:
            features = self.featurizer.transform_counts(prepared, words, progress=progress)
        if self.card.numeric is not None:
            missing = [n for n in self.numeric_columns if n not in (numeric or {})]
            if missing:
                raise ModelError("this model also reads the numeric columns " + ", ".join(missing))
            assert numeric is not None
            table = np.column_stack(
                [np.asarray(numeric[n], dtype=np.float64) for n in self.numeric_columns]
            )
            features = _with_numeric(features, table, self.card.numeric)
        scores = np.asarray(features @ self.coef.T, dtype=np.float64) + self.intercept
        return softmax(scores, self.card.temperature)

    def contributions(
        self, text: str, *, label: str, numeric: Mapping[str, float] | None = None
    ) -> dict[str, float]:
        """What moved ``label``'s score for one text: ``"text"`` for the text features
        together, and one entry per numeric column (its coefficient times its standardised
        value). The intercept is left out; larger means more towards ``label``."""
        row = self.labels.index(label)
        text_features = self.featurizer.transform([prepare_text(text)])
        width = text_features.shape[1]
        out = {"text": float((text_features @ self.coef[row, :width].T).sum())}
        if self.card.numeric is not None:
            table = np.array([[float((numeric or {})[n]) for n in self.numeric_columns]])
            z = _with_numeric(sparse.csr_matrix((1, 0)), table, self.card.numeric).toarray()[0]
            for name, value, weight in zip(
                self.numeric_columns, z, self.coef[row, width:], strict=True
            ):
                out[name] = float(value * weight)
        return out

    @property
    def numeric_columns(self) -> tuple[str, ...]:
        return tuple(self.card.numeric["columns"]) if self.card.numeric else ()

    def predict(
        self,
        texts: Sequence[str],
        *,
        numeric: Mapping[str, Sequence[float]] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[Prediction]:
        probabilities = self.predict_proba(texts, numeric=numeric, progress=progress)
        best = probabilities.argmax(axis=1)
        confidence = probabilities[np.arange(len(best)), best]
        return [
            Prediction(str(self._labels[b]), float(c))
            for b, c in zip(best.tolist(), confidence.tolist(), strict=True)
        ]

    # --- storage ----------------------------------------------------------------------------
    def _arrays(self) -> dict[str, np.ndarray]:
        return {
            **self.featurizer.arrays(),
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float32),
        }

    def _with_id(self) -> TextModel:
        digest = hashlib.sha256()
        card = {k: v for k, v in self.card.as_dict().items() if k != "model_id"}
        digest.update(json.dumps(card, sort_keys=True).encode())
        for name, array in sorted(self._arrays().items()):
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(array).tobytes())
        card_with_id = ModelCard(**{**asdict(self.card), "model_id": digest.hexdigest()[:12]})
        return TextModel(card_with_id, self.featurizer, self.coef, self.intercept)

    def save(self, directory: Path) -> None:
        """Write ``model.json`` and ``weights.npz`` into ``directory`` (created if needed);
        each file is written to a temporary name first, so a crash leaves no half model."""
        directory.mkdir(parents=True, exist_ok=True)
        arrays = self._arrays()
        _atomic_write(directory / _WEIGHTS, lambda f: np.savez_compressed(f, **arrays))  # type: ignore[arg-type]
        text = json.dumps(self.card.as_dict(), indent=2, sort_keys=True) + "\n"
        _atomic_write(directory / _CARD, lambda f: f.write(text.encode()))

    @classmethod
    def load(
        cls,
        directory: Path,
        *,
        expect_target: str | None = None,
        encoder_dir: Path | None = None,
    ) -> TextModel:
        """Read a model saved by :meth:`save`; ModelError when it is missing, damaged, of
        another format version, or (with ``expect_target``) trained for another target."""
        card_path = directory / _CARD
        if not card_path.is_file() or not (directory / _WEIGHTS).is_file():
            raise ModelError(
                f"{directory} is not a fairlane model (it needs {_CARD} and {_WEIGHTS}); "
                "train one with `fairlane model train`"
            )
        try:
            data = json.loads(card_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"{card_path} is damaged: {exc}") from None
        if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION:
            found = data.get("format_version") if isinstance(data, dict) else None
            raise ModelError(
                f"{directory} has model format {found!r}; this fairlane reads format "
                f"{FORMAT_VERSION}: retrain it with this version (`fairlane model train`)"
            )
        try:
            card = ModelCard(**{**data, "labels": tuple(data["labels"])})
        except TypeError as exc:
            raise ModelError(f"{card_path} is damaged: {exc}") from None
        if expect_target is not None and card.target != expect_target:
            raise ModelError(
                f"{directory} was trained for {card.target!r}, not {expect_target!r}; "
                f"train a {expect_target} model (`fairlane model train --target "
                f"{expect_target} ...`)"
            )
        try:
            with np.load(directory / _WEIGHTS, allow_pickle=False) as stored:
                arrays = {name: stored[name] for name in stored.files}
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"{directory / _WEIGHTS} is damaged or not a numpy archive: {exc}"
            ) from None
        encoder = None
        if card.backend == "embeddings":
            encoder = SentenceEncoder(encoder_dir or default_encoder_dir())
            expected = (card.encoder or {}).get("dimensions")
            if expected != encoder.dimensions:
                raise ModelError(
                    f"{directory} was trained with {expected}-dimensional embeddings; the "
                    f"encoder at {encoder.model_dir} gives {encoder.dimensions}"
                )
        spec = FeatureSpec.from_dict(card.features)
        try:
            featurizer = Featurizer.from_arrays(spec, arrays, encoder=encoder)
            coef, intercept = arrays["coef"], arrays["intercept"]
        except KeyError as exc:
            raise ModelError(f"{directory / _WEIGHTS} lacks the array {exc}") from None
        width = featurizer.n_features + len((card.numeric or {}).get("columns", ()))
        if coef.shape != (len(card.labels), width):
            raise ModelError(f"{directory / _WEIGHTS} does not match its model card")
        return cls(card, featurizer, coef, intercept.astype(np.float64))


def _scaling(names: list[str], table: np.ndarray | None) -> dict[str, Any] | None:
    """Mean and spread of each numeric column (a constant column gets spread 1)."""
    if table is None:
        return None
    spread = table.std(axis=0)
    return {
        "columns": names,
        "mean": table.mean(axis=0).round(6).tolist(),
        "scale": np.where(spread > 0, spread, 1.0).round(6).tolist(),
    }


def _with_numeric(features: Any, table: np.ndarray | None, scaling: dict[str, Any] | None) -> Any:
    """The text features with the standardised numeric columns beside them, weighted so the
    numeric block is about as long as a unit-length text block."""
    if table is None or scaling is None:
        return features
    z = (table - np.asarray(scaling["mean"])) / np.asarray(scaling["scale"])
    z *= 1.0 / np.sqrt(max(1, z.shape[1]))
    return sparse.hstack([features, sparse.csr_matrix(z.astype(np.float32))], format="csr")


def _fit_linear(
    features: Any, y: np.ndarray, n_classes: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """A linear SVM (one-vs-rest, squared hinge): fast on sparse text features and as
    accurate as logistic regression here; its margins are calibrated by the temperature."""
    classifier = LinearSVC(C=0.5, random_state=seed)
    classifier.fit(features, y)
    coef = np.asarray(classifier.coef_, dtype=np.float32)
    intercept = np.asarray(classifier.intercept_, dtype=np.float64)
    if n_classes == 2:  # binary SVMs give one row: the score of class 1 against class 0
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return coef, intercept


def _encoder_card(encoder: SentenceEncoder | None) -> dict[str, Any]:
    assert encoder is not None
    return {"name": encoder.name, "dimensions": encoder.dimensions}


def _atomic_write(path: Path, write: Callable[[Any], Any]) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as f:
            write(f)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a model is a plain data file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
