"""Health model validation (A5): do low scores precede churn?

Each outcome (an account renewed or churned, on a date) is paired with the account's latest
health score measured before that date; the score's implied risk (1 - score/100) is compared
with what happened: discrimination as AUC (the chance that a churned account scored lower than
a renewed one, ties counting half) and calibration as a table per score band.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from fairlane.services.ports import UnitOfWork

__all__ = ["Band", "OutcomeIn", "ValidationReport", "auc", "validate_health"]

_CHURNED = {"churned", "churn", "lost", "cancelled", "canceled", "1", "true", "yes"}
_RENEWED = {"renewed", "renew", "retained", "expanded", "0", "false", "no"}


def _outcome(value: object) -> object:
    text = str(value).strip().casefold()
    if text in _CHURNED:
        return "churned"
    if text in _RENEWED:
        return "renewed"
    return value


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    account_id: Annotated[str, Field(min_length=1, max_length=128)]
    outcome: Annotated[Literal["churned", "renewed"], BeforeValidator(_outcome)]
    outcome_on: date | None = Field(
        None, description="When it happened; scores after it are ignored."
    )


@dataclass(frozen=True, slots=True)
class Band:
    label: str
    accounts: int
    predicted_churn: float  # mean 1 - score/100
    observed_churn: float


@dataclass(frozen=True, slots=True)
class ValidationReport:
    paired: int
    unscored: list[str]
    churned: int
    auc: float | None
    calibration_error: float | None  # accounts-weighted mean |predicted - observed| over bands
    bands: list[Band]


def auc(risks: list[float], churned: list[bool]) -> float | None:
    """Area under the ROC curve of ``risks`` for the churned class (Mann-Whitney, ties half)."""
    positives = [r for r, c in zip(risks, churned, strict=True) if c]
    negatives = [r for r, c in zip(risks, churned, strict=True) if not c]
    if not positives or not negatives:
        return None
    ordered = sorted(risks)
    ranks: dict[float, float] = {}
    index = 0
    while index < len(ordered):
        end = index
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[index]:
            end += 1
        ranks[ordered[index]] = (index + end) / 2 + 1
        index = end + 1
    rank_sum = sum(ranks[r] for r in positives)
    n_pos, n_neg = len(positives), len(negatives)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def validate_health(outcomes: list[OutcomeIn], *, uow: UnitOfWork) -> ValidationReport:
    pairs: list[tuple[int, bool]] = []
    unscored: list[str] = []
    with uow() as store:
        for outcome in outcomes:
            until = (
                datetime.combine(outcome.outcome_on, time.min, tzinfo=UTC)
                if outcome.outcome_on
                else None
            )
            history = store.health_history(outcome.account_id, until=until, limit=1)
            if not history:
                unscored.append(outcome.account_id)
                continue
            pairs.append((history[0]["score"], outcome.outcome == "churned"))
    risks = [1 - score / 100 for score, _ in pairs]
    churned = [c for _, c in pairs]
    bands = []
    for low in range(0, 100, 20):
        high = 100 if low == 80 else low + 19
        members = [(s, c) for s, c in pairs if low <= s <= high]
        if members:
            bands.append(
                Band(
                    f"{low}-{high}",
                    len(members),
                    sum(1 - s / 100 for s, _ in members) / len(members),
                    sum(c for _, c in members) / len(members),
                )
            )
    error = (
        sum(b.accounts * abs(b.predicted_churn - b.observed_churn) for b in bands) / len(pairs)
        if pairs
        else None
    )
    return ValidationReport(len(pairs), unscored, sum(churned), auc(risks, churned), error, bands)
