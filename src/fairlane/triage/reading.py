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
from typing import Any

import numpy as np

from fairlane.triage.features import word_grams
from fairlane.triage.sentiment import MessageSentiment, SentimentScorer
from fairlane.triage.textmodel import TextModel, prepare_text

__all__ = ["URGENT_AT", "ModelReading", "TextReading", "TicketReader", "attention_score"]

URGENT_AT = 90


@dataclass(frozen=True, slots=True)
class ModelReading:
    """One model's answer: the top label, its calibrated confidence, the runners-up."""

    model_id: str
    label: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...]  # next labels by probability (at most 2)
    probabilities: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        return {
            "model_id": self.model_id,
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "alternatives": [[label, round(p, 4)] for label, p in self.alternatives],
        }


@dataclass(frozen=True, slots=True)
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


def attention_score(urgency: dict[str, float], sentiment: MessageSentiment) -> int:
    """The formula of the module docstring; 0-100."""
    critical = urgency.get("critical", urgency.get("P1", 0.0))  # an urgency or priority model
    high = urgency.get("high", urgency.get("P2", 0.0))
    calm = 1.0 - 0.9 * critical - 0.5 * high
    patience = 1.0 - 0.8 * sentiment.frustration
    mood = 1.0 - 0.5 * max(0.0, -sentiment.compound)
    return round(100 * (1.0 - max(0.0, calm) * patience * mood))


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

    def read(self, texts: Sequence[str]) -> list[TextReading]:
        """One reading per text, the models applied to the whole batch at once."""
        if not texts:
            return []
        prepared = [prepare_text(t) for t in texts]
        ngrams = self.intent.featurizer.spec.word_ngrams
        grams = word_grams(prepared, ngrams)  # tokenised once for both models
        shared = self.urgency.featurizer.spec.word_ngrams == ngrams
        intents = _readings(self.intent, prepared, grams)
        urgencies = _readings(self.urgency, prepared, grams if shared else None)
        out = []
        for text, intent, urgency in zip(texts, intents, urgencies, strict=True):
            sentiment = self.sentiment.score_one(text)
            attention = attention_score(urgency.probabilities, sentiment)
            out.append(TextReading(intent, urgency, sentiment, attention, attention >= URGENT_AT))
        return out


def _readings(
    model: TextModel, texts: Sequence[str], grams: list[list[str]] | None
) -> list[ModelReading]:
    probabilities = model.predict_proba(texts, grams=grams)
    order = np.argsort(-probabilities, axis=1)[:, :3]
    labels = model.labels
    readings = []
    for row, top in zip(probabilities.tolist(), order.tolist(), strict=True):
        ranked = [(labels[i], row[i]) for i in top]
        readings.append(
            ModelReading(
                model.card.model_id,
                ranked[0][0],
                ranked[0][1],
                tuple(ranked[1:]),
                dict(zip(labels, row, strict=True)),
            )
        )
    return readings
