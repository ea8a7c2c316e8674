"""One regular-expression pass over a text for every reader of its words.

The models need scikit-learn's tokens (lower case, runs of two or more word characters); the
sentiment lexicon needs words with their apostrophes ("don't" is a negation). :func:`words`
finds, in the lower-cased text, runs of two or more word characters and apostrophes that
start with a word character (a word of one letter, "I" or "a", carries no sentiment and no
model token); the models' tokens are then cut from them without a second scan: splitting a
word at its apostrophes gives exactly the maximal word-character runs scikit-learn's
``\\b\\w\\w+\\b`` matches (a run of one character is dropped), in the same order
(property-tested).
"""

from __future__ import annotations

import re

__all__ = ["model_tokens", "words"]

_WORDS = re.compile(r"\w[\w']+")  # a word of one letter matters to no reader


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case, apostrophes kept (a typographic one as ')."""
    return _WORDS.findall(text.lower().replace("\u2019", "'"))


def model_tokens(text: str, found: list[str]) -> list[str]:
    """scikit-learn's default tokens of ``text``, whose :func:`words` are ``found`` (see the
    module doc)."""
    if "'" in text or "\u2019" in text:
        return [part for part in " ".join(found).replace("'", " ").split() if len(part) > 1]
    return found
