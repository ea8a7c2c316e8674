"""What the models read in a ticket (T2, T3, T4): intent, urgency, sentiment and attention.

:class:`TicketReader` holds the intent and urgency models (:class:`TextModel`, shipped or
trained by the team) and the sentiment scorer, and turns a ticket's text into a
:class:`TextReading`: each model's label with its calibrated confidence and the runners-up,
the sentiment and frustration of the text, and an **attention score** (0-100):

    attention = 100 * (1 - (1 - 0.9 * p_critical - 0.5 * p_high)
                         * (1 - 0.8 * frustration)
                         * (1 - 0.5 * negativity))

where ``p_critical`` and ``p_high`` come from the urgency model and ``negativity`` is
``max(0, -compound)``. Each factor is one reason to look sooner; they combine like independent
chances, so none alone reaches the **urgent flag at 90**: a critical-sounding text needs some
frustration or negativity too, and the hard triggers of the policy escalate on their own.
Pure computation; no I/O once the models are loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from fairlane.triage.features import WordCounts, WordIndex
from fairlane.triage.sentiment import MessageSentiment, SentimentScorer
from fairlane.triage.textmodel import TextModel, prepare_text
from fairlane.triage.tokens import model_tokens, words

__all__ = ["URGENT_AT", "ModelReading", "TextReading", "TicketReader", "attention_score"]

URGENT_AT = 90


# not frozen: one is made per ticket, and a frozen dataclass takes ~4x longer to build
@dataclass(slots=True)
class ModelReading:
    """One model's answer: the top label, its calibrated confidence, the runners-up."""

    model_id: str
    label: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...]  # next labels by probability (at most 2)

    def as_dict(self) -> dict[str, Any]:
        return {
            "model_id": self.model_id,
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "alternatives": [[label, round(p, 4)] for label, p in self.alternatives],
        }


# not frozen: one is made per ticket, and a frozen dataclass takes ~4x longer to build
@dataclass(slots=True)
class TextReading:
    intent: ModelReading
    urgency: ModelReading
    sentiment: MessageSentiment
    attention: int
    is_urgent: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "intent": self.intent.as_dict(),
            "urgency": self.urgency.as_dict(),
            "sentiment": self.sentiment.as_dict(),
            "attention": self.attention,
            "is_urgent": self.is_urgent,
        }


def attention_score(critical: float, high: float, sentiment: MessageSentiment) -> int:
    """The formula of the module docstring; 0-100. ``critical`` and ``high``: the urgency
    model's probabilities of those labels (P1 and P2 for a priority model)."""
    calm = 1.0 - 0.9 * critical - 0.5 * high
    patience = 1.0 - 0.8 * sentiment.frustration
    mood = 1.0 - 0.5 * max(0.0, -sentiment.compound)
    return round(100 * (1.0 - max(0.0, calm) * patience * mood))


@lru_cache(maxsize=8)
def _shared_index(intent: TextModel, urgency: TextModel) -> WordIndex | None:
    """One look-up of the words for both models when their n-grams are alike; built once per
    pair of loaded models (~0.1 s for the shipped ones), not at every policy compile."""
    ngrams = intent.featurizer.spec.word_ngrams
    if urgency.featurizer.spec.word_ngrams != ngrams:
        return None
    return WordIndex(
        [intent.featurizer.word_vocabulary, urgency.featurizer.word_vocabulary], ngrams
    )


def _column(model: TextModel, *names: str) -> int | None:
    return next((model.labels.index(n) for n in names if n in model.labels), None)


class TicketReader:
    """Reads ticket texts with the intent and urgency models and the sentiment scorer."""

    def __init__(
        self,
        *,
        intent: TextModel,
        urgency: TextModel,
        sentiment: SentimentScorer,
        escalation: TextModel | None = None,
    ):
        self.intent = intent
        self.urgency = urgency  # labels critical/high/normal/low, or a priority model's P1-P4
        self.sentiment = sentiment
        self.escalation = escalation  # a trained escalation model replaces the risk formula
        self._shared = _shared_index(intent, urgency)

    def read(self, texts: Sequence[str]) -> list[TextReading]:
        """One reading per text, the models applied to the whole batch at once."""
        if not texts:
            return []
        prepared = [prepare_text(t) for t in texts]
        found = [words(text) for text in prepared]  # one pass over each text for everything
        words_counted = (
            self._shared.count_tokens(list(map(model_tokens, prepared, found)))
            if self._shared is not None
            else None
        )
        intents, _ = _readings(self.intent, prepared, words_counted)
        urgencies, urgency_p = _readings(self.urgency, prepared, words_counted)
        critical = self._urgency_column("critical", "P1", p=urgency_p)
        high = self._urgency_column("high", "P2", p=urgency_p)
        sentiments = self.sentiment.score_words(prepared, found)
        out = []
        for intent, urgency, sentiment, p_critical, p_high in zip(
            intents, urgencies, sentiments, critical, high, strict=True
        ):
            attention = attention_score(p_critical, p_high, sentiment)
            out.append(TextReading(intent, urgency, sentiment, attention, attention >= URGENT_AT))
        return out

    def _urgency_column(self, *names: str, p: np.ndarray) -> list[float]:
        column = _column(self.urgency, *names)
        return p[:, column].tolist() if column is not None else [0.0] * len(p)


def _readings(
    model: TextModel, texts: Sequence[str], words: WordCounts | None
) -> tuple[list[ModelReading], np.ndarray]:
    """Each text's reading by ``model``, and the probability matrix they came from."""
    probabilities = model.predict_proba(texts, words=words)
    top = np.argsort(-probabilities, axis=1)[:, :3]
    chances = np.take_along_axis(probabilities, top, axis=1).tolist()
    labels = model.labels
    model_id = model.card.model_id
    readings = []
    if len(labels) >= 3:
        for (first, second, third), (p1, p2, p3) in zip(top.tolist(), chances, strict=True):
            runners_up = ((labels[second], p2), (labels[third], p3))
            readings.append(ModelReading(model_id, labels[first], p1, runners_up))
    else:  # a two-label model
        for (first, second), (p1, p2) in zip(top.tolist(), chances, strict=True):
            readings.append(ModelReading(model_id, labels[first], p1, ((labels[second], p2),)))
    return readings, probabilities
