"""The fuzzy phrase matcher behind hard triggers (T5) and rule-based priority (T1)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fairlane.triage.phrases import PhraseMatch, PhraseMatcher

TRIGGERS: dict[str, list[str]] = {
    "legal": [
        "legal team",
        "our lawyer",
        "lawyer",
        "attorney",
        "lawsuit",
        "sue you",
        "legal action",
        "breach of contract",
        "talking to our legal team",
    ],
    "security": [
        "data breach",
        "security breach",
        "hacked",
        "suspicious login",
        "unauthorized access",
        "vulnerability",
        "exposed api key",
        "phishing",
    ],
    "outage": [
        "outage",
        "is down",
        "site down",
        "service down",
        "not working for anyone",
        "502 bad gateway",
        "service unavailable",
    ],
    "refund-dispute": [
        "chargeback",
        "dispute the charge",
        "refund*",
        "money back",
        "charged twice",
        "report to my bank",
    ],
    "safety": ["safety", "injury", "fire hazard", "medical emergency", "hurt myself"],
    "data-loss": ["data loss", "lost all", "data is gone", "deleted all", "corrupted", "wiped"],
}
ALL_PHRASES = [(label, phrase) for label, phrases in TRIGGERS.items() for phrase in phrases]


@pytest.fixture(scope="module")
def matcher() -> PhraseMatcher:
    return PhraseMatcher(TRIGGERS)


def only(matches: list[PhraseMatch], label: str) -> list[PhraseMatch]:
    return [m for m in matches if m.label == label]


def test_exact_phrase_matches_and_is_exact(matcher: PhraseMatcher) -> None:
    text = "Hello, we think there was a data breach last night."
    [match] = matcher.find(text)
    assert (match.label, match.phrase, match.matched_text) == (
        "security",
        "data breach",
        "data breach",
    )
    assert text[match.start : match.end] == "data breach"
    assert match.is_exact


def test_case_punctuation_and_accents_are_ignored(matcher: PhraseMatcher) -> None:
    full_width = "data breach".translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    for text in ("DATA-BREACH!!", "Dâtà Brëach", full_width, "Da\u0301ta\u0301 breach"):
        [match] = matcher.find(text)
        assert match.phrase == "data breach"
        assert match.is_exact, text


def test_misspelt_lawyer_still_triggers_legal(matcher: PhraseMatcher) -> None:
    matches = matcher.find("Our lawyre is cc'd on this email.")
    assert {m.phrase for m in matches} == {"lawyer", "our lawyer"}
    assert all(not m.is_exact for m in matches)
    assert matcher.labels_in("Our lawyre is cc'd on this email.") == {"legal"}


def test_one_edit_on_words_of_five_or_more_letters_still_matches() -> None:
    matcher = PhraseMatcher({"outage": ["service is down"], "broken": ["not working"]})
    assert matcher.labels_in("the sevice is down again") == {"outage"}  # deletion
    assert matcher.labels_in("it is not wokring") == {"broken"}  # transposition
    assert matcher.labels_in("it is not workinf") == {"broken"}  # substitution
    assert matcher.labels_in("it is not wworking") == {"broken"}  # insertion


def test_two_edits_only_on_words_of_nine_or_more_letters() -> None:
    matcher = PhraseMatcher({"security": ["vulnerability"], "legal": ["attorney"]})
    assert matcher.labels_in("we found a vulnerabilty") == {"security"}  # one edit
    assert matcher.labels_in("we found a vulnrabilty") == {"security"}  # two edits
    assert matcher.labels_in("we found a vlnrabilty") == set()  # three edits
    assert matcher.labels_in("my atorney says") == {"legal"}  # one edit, 8 letters
    assert matcher.labels_in("my atorny says") == set()  # two edits, 8 letters


def test_short_words_must_match_exactly() -> None:
    matcher = PhraseMatcher({"outage": ["is down"], "stuck": ["stuck"]})
    assert matcher.labels_in("the site is dawn") == set()
    assert matcher.labels_in("it's down") == set()  # "it" + "s" is not "is"
    assert matcher.labels_in("the queue is stuk") == set()  # 4 letters: no fuzziness
    assert matcher.labels_in("the queue is stcuk") == {"stuck"}  # 5 letters: one edit


def test_joined_words_match_a_two_word_phrase(matcher: PhraseMatcher) -> None:
    for text in ("we had a databreach", "we had a databrech", "DataBreach alert"):
        assert matcher.labels_in(text) == {"security"}, text
        [match] = matcher.find(text)
        assert not match.is_exact
    cant = PhraseMatcher({"blocked": ["can't work"]})
    [match] = cant.find("I cant work today")
    assert match.matched_text == "cant work"


def test_split_word_matches_a_one_word_phrase() -> None:
    matcher = PhraseMatcher({"dispute": ["chargeback"], "access": ["login"]})
    [match] = matcher.find("I will file a charge back with my bank")
    assert (match.label, match.matched_text, match.is_exact) == ("dispute", "charge back", False)
    assert matcher.labels_in("I can't log in") == {"access"}
    assert matcher.labels_in("a chrage back") == set()  # a split must be spelt exactly


def test_star_matches_words_starting_with_the_prefix(matcher: PhraseMatcher) -> None:
    for word in ("refund", "refunds", "Refunded", "REFUNDING"):
        [match] = only(matcher.find(f"I want a {word} please"), "refund-dispute")
        assert match.phrase == "refund*"
        assert match.matched_text == word
        assert match.is_exact
    assert matcher.labels_in("refun") == set()
    assert matcher.labels_in("rfunded") == set()  # star words are never fuzzy


def test_gaps_up_to_max_gap_are_allowed_and_not_beyond(matcher: PhraseMatcher) -> None:
    matches = only(matcher.find("the site is completely down"), "outage")
    assert {m.phrase: m.matched_text for m in matches} == {
        "is down": "is completely down",
        "site down": "site is completely down",
    }
    site = PhraseMatcher({"outage": ["site down"]})
    [match] = site.find("Our site is completely down!")
    assert (match.matched_text, match.is_exact) == ("site is completely down", False)
    assert site.find("our site is not really down") == []
    strict = PhraseMatcher({"outage": ["site down"]}, max_gap=0)
    assert strict.find("site is down") == []
    assert strict.labels_in("site down") == {"outage"}


def test_offsets_and_matched_text_point_into_the_original_text() -> None:
    matcher = PhraseMatcher({"legal": ["legal team"], "place": ["strasse*"], "name": ["cafe"]})
    text = (
        "\u201cHi\u201d \u2014 Gro\u00dfe Stra\u00dfe 5: we\u2019re talking to OUR Legal   Team."
        " Cafe\u0301!"
    )
    matches = matcher.find(text)
    assert [m.matched_text for m in matches] == ["Stra\u00dfe", "Legal   Team", "Cafe\u0301"]
    for match in matches:
        assert text[match.start : match.end] == match.matched_text


def test_offsets_survive_characters_that_fold_to_several_or_none() -> None:
    matcher = PhraseMatcher({"security": ["data breach"]})
    text = "\ufb01le \u00df\u00df e\u0301\u0301 \u2163 — DATA breach"
    [match] = matcher.find(text)
    assert match.matched_text == "DATA breach"
    assert text[match.start : match.end] == "DATA breach"


def test_multiple_labels_are_reported_once_per_phrase_in_text_order(
    matcher: PhraseMatcher,
) -> None:
    text = (
        "Our site is down, we had a data breach and now a data breach again; "
        "I'm talking to our legal team and want my money back."
    )
    matches = matcher.find(text)
    assert [m.start for m in matches] == sorted(m.start for m in matches)
    assert len({(m.label, m.phrase) for m in matches}) == len(matches)
    assert {m.label for m in matches} == {"outage", "security", "legal", "refund-dispute"}
    [breach] = [m for m in matches if m.phrase == "data breach"]
    assert breach.start == text.index("data breach")  # the first occurrence


def test_an_exact_match_is_preferred_over_an_earlier_fuzzy_one(matcher: PhraseMatcher) -> None:
    text = "My lawyre - sorry, my lawyer - will call."
    [match] = [m for m in matcher.find(text) if m.phrase == "lawyer"]
    assert (match.matched_text, match.is_exact) == ("lawyer", True)
    assert match.start == text.index("lawyer")


@pytest.mark.parametrize("phrase", ["", "   ", "--!?", "*"])
def test_empty_phrase_is_rejected_naming_label_and_phrase(phrase: str) -> None:
    with pytest.raises(ValueError, match="label 'legal'") as error:
        PhraseMatcher({"legal": ["lawyer", phrase]})
    assert repr(phrase) in str(error.value)


@pytest.mark.parametrize("phrase", ["re*fund", "* refund", "refund *"])
def test_star_must_end_a_word(phrase: str) -> None:
    with pytest.raises(ValueError, match="'\\*' must"):
        PhraseMatcher({"refund": [phrase]})


def test_a_bare_string_of_phrases_is_rejected() -> None:
    with pytest.raises(TypeError, match="'legal'"):
        PhraseMatcher({"legal": "lawyer"})


def test_negative_max_gap_is_rejected() -> None:
    with pytest.raises(ValueError, match="max_gap"):
        PhraseMatcher({"legal": ["lawyer"]}, max_gap=-1)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for the quick help yesterday, all good now",
        "Could you send me the invoice for October? Our accounting team needs it.",
        "How do I add a new user to our workspace? The docs were a bit unclear.",
        "",
        "   \n\t ...",
    ],
)
def test_unrelated_polite_text_matches_nothing(matcher: PhraseMatcher, text: str) -> None:
    assert matcher.find(text) == []
    assert matcher.labels_in(text) == frozenset()


def test_a_long_body_is_matched_with_correct_offsets(matcher: PhraseMatcher) -> None:
    filler = "the export to our warehouse runs nightly and usually finishes quickly. " * 1_420
    text = filler + "Meanwhile the sevice is down for everyone."
    assert len(text) > 100_000
    matches = matcher.find(text)
    assert [(m.phrase, m.matched_text) for m in matches] == [
        ("service down", "sevice is down"),
        ("is down", "is down"),
    ]
    assert all(text[m.start : m.end] == m.matched_text for m in matches)


def test_a_huge_single_word_is_not_fuzzy_matched_expensively(matcher: PhraseMatcher) -> None:
    assert matcher.find("a" * 100_000) == []
    [match] = matcher.find("x" * 60_000 + " lawyre")
    assert (match.phrase, match.start) == ("lawyer", 60_001)


def test_find_gives_the_same_answer_every_time(matcher: PhraseMatcher) -> None:
    text = "We were hacked and the site is down; I want a refund."
    assert matcher.find(text) == matcher.find(text) == PhraseMatcher(TRIGGERS).find(text)


@settings(max_examples=200, deadline=None)
@given(
    before=st.text(max_size=60),
    after=st.text(max_size=60),
    chosen=st.sampled_from(ALL_PHRASES),
)
def test_inserting_a_configured_phrase_always_matches_its_label(
    matcher: PhraseMatcher, before: str, after: str, chosen: tuple[str, str]
) -> None:
    label, phrase = chosen
    text = f"{before} {phrase} {after}"
    assert label in matcher.labels_in(text)
    found = [m for m in matcher.find(text) if (m.label, m.phrase) == chosen]
    assert len(found) == 1
    assert text[found[0].start : found[0].end] == found[0].matched_text


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.text(st.characters(categories=("Lu", "Ll", "Nd")), min_size=1, max_size=10),
        min_size=1,
        max_size=4,
    ),
    before=st.text(max_size=40),
    after=st.text(max_size=40),
)
def test_any_phrase_inserted_into_random_text_is_found(
    words: list[str], before: str, after: str
) -> None:
    phrase = " ".join(words)
    try:
        matcher = PhraseMatcher({"label": [phrase]})
    except ValueError:
        assume(False)
    assert matcher.labels_in(f"{before} {phrase} {after}") == {"label"}
