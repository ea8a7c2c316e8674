"""The AUC behind `fairlane health validate` (A5)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fairlane.services.health_validation import auc


def test_perfect_separation_scores_one_and_reversed_scores_zero() -> None:
    assert auc([0.9, 0.8, 0.1, 0.2], [True, True, False, False]) == 1.0
    assert auc([0.1, 0.2, 0.9, 0.8], [True, True, False, False]) == 0.0


def test_ties_count_half() -> None:
    assert auc([0.5, 0.5], [True, False]) == 0.5


def test_one_class_only_has_no_auc() -> None:
    assert auc([0.3, 0.4], [True, True]) is None


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=2, max_size=60))
def test_auc_matches_the_pairwise_definition(pairs: list[tuple[float, bool]]) -> None:
    risks = [r for r, _ in pairs]
    churned = [c for _, c in pairs]
    positives = [r for r, c in pairs if c]
    negatives = [r for r, c in pairs if not c]
    result = auc(risks, churned)
    if not positives or not negatives:
        assert result is None
        return
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in positives for n in negatives)
    assert result is not None
    assert abs(result - wins / (len(positives) * len(negatives))) < 1e-9
