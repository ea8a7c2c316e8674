"""Properties of the fast text paths: they must read texts exactly as scikit-learn does, and a
batch must score each text as if it were alone."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from fairlane.triage.features import WordIndex, word_tokens
from fairlane.triage.sentiment import default_sentiment_scorer
from fairlane.triage.tokens import model_tokens, words

# words a ticket is made of, with the punctuation that makes tokenising hard
PIECES = [
    "not", "very", "good", "bad", "don't", "isn\u2019t", "it's", "I", "a", "x", "refund",
    "refund.", "log-in", "SSO", "URGENT", "!!", "?!", "état", "naïve", "snake_case", "a'b",
    "'quoted'", "rock'n'roll", "3rd", "time", "again", "no", "one", "for", "days", ":)", ":(",
    "<3", "https://x.example/a?b=c", "\n", "  ", "\u00a0", "42", "o'", "''",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=25).map(" ".join) | st.text(max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=8))
def test_the_shared_word_pass_gives_scikit_learns_tokens(batch: list[str]) -> None:
    assert [model_tokens(t, words(t)) for t in batch] == word_tokens(batch)
    reference = TfidfVectorizer().build_analyzer()
    assert [reference(t) for t in batch] == word_tokens(batch)


FIT = [
    "refund not received for days",
    "cannot log in with SSO again",
    "the export is broken, not good",
    "please refund the double charge again",
    "log in fails: SSO broken for days",
]


# a few letters stay upper case when lower-cased ("ᾈ" and kin); scikit-learn warns about
# them when a vocabulary is given, and both sides treat them alike
@pytest.mark.filterwarnings("ignore:Upper case characters found in vocabulary")
@settings(max_examples=200, deadline=None)
@given(
    st.lists(texts, min_size=1, max_size=8),
    st.sampled_from([(1, 1), (1, 2), (1, 3), (2, 3)]),
)
def test_word_counts_give_scikit_learns_tfidf_for_any_ngram_range(
    batch: list[str], ngrams: tuple[int, int]
) -> None:
    vectorizer = TfidfVectorizer(ngram_range=ngrams, sublinear_tf=True).fit(FIT + batch[:2])
    index = WordIndex([vectorizer.vocabulary_], ngrams)
    counts = index.count(batch)
    dense = np.zeros((len(batch), len(vectorizer.vocabulary_)))
    columns = index.columns(vectorizer.vocabulary_)[counts.grams]
    dense[counts.docs, columns] = counts.counts
    expected = TfidfVectorizer(
        ngram_range=ngrams, vocabulary=vectorizer.vocabulary_, use_idf=False, norm=None
    ).fit_transform(batch)
    assert np.array_equal(dense, expected.toarray())


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, min_size=1, max_size=8))
def test_a_batch_scores_every_text_as_if_it_were_alone(batch: list[str]) -> None:
    scorer = default_sentiment_scorer()
    together = scorer.score(batch)
    alone = [scorer.score_one(t) for t in batch]
    assert together == alone


@settings(max_examples=300, deadline=None)
@given(texts)
def test_shouted_words_are_found_as_the_plain_pattern_finds_them(text: str) -> None:
    import re

    from fairlane.triage.sentiment import _SHOUTED

    upper = text.upper()  # capitals, so that there is shouting to find
    for sample in (text, upper, f"{upper} and then {text}"):
        assert _SHOUTED.findall(sample) == re.findall(r"\b[A-Z]{3,}\b", sample)
