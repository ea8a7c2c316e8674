"""Sentiment and frustration per message (T3), on sentences a support team reads every day."""

from __future__ import annotations

import pytest

from fairlane.triage.sentiment import default_sentiment_scorer

score = default_sentiment_scorer().score_one


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Thanks so much, that was very helpful!", "positive"),
        ("The export is broken.", "negative"),
        ("Where can I find the invoice settings?", "neutral"),
        ("This is not good", "negative"),
        ("not very good at all", "negative"),
        ("I am not happy with the support", "negative"),
        ("I love the new dashboard :)", "positive"),
        ("your support is terrible :(", "negative"),
    ],
)
def test_sentiment_label_of_everyday_messages(text: str, label: str) -> None:
    assert score(text).label == label


def test_a_booster_makes_a_word_count_more() -> None:
    assert score("very bad").compound < score("bad").compound < 0


def test_exclamation_marks_intensify_in_the_direction_of_the_message() -> None:
    assert score("This is bad!!!").compound < score("This is bad").compound
    assert score("This is great!!!").compound > score("This is great").compound


def test_a_calm_complaint_is_negative_but_not_frustrated() -> None:
    calm = score("The CSV export fails with an error when the report is large.")
    assert calm.label == "negative"
    assert calm.frustration == 0.0


def test_a_customer_losing_patience_is_frustrated_and_we_say_why() -> None:
    angry = score("Third time I am asking and STILL nobody answered!! This is unacceptable.")
    assert angry.frustration > 0.9
    assert {"third time", "nobody", "unacceptable", "STILL", "!!"} <= set(angry.cues)


def test_acronyms_are_not_shouting() -> None:
    assert score("Our SSO and API keys stopped working after the SAML change").cues == ()


def test_a_repeated_cue_counts_once() -> None:
    once = score("This happened again.")
    twice = score("This happened again. And again.")
    assert once.frustration == twice.frustration


def test_curly_apostrophes_still_negate() -> None:
    assert score("It isn\u2019t good").label == "negative"


def test_a_link_is_not_a_frowning_face() -> None:
    assert score("See https://docs.example.com/setup?id=b12 for the steps").label == "neutral"
    assert score("That did not work :/").compound < score("That did not work").compound


def test_a_negation_at_the_end_of_one_message_does_not_reach_into_the_next() -> None:
    scorer = default_sentiment_scorer()
    assert scorer.score(["I said no", "good work"])[1] == score("good work")
