"""Sentiment and frustration of a message (T3), from the VADER lexicon, scored in batches.

The valences come from the lexicon the ``vaderSentiment`` package installs (about 7,500 words
and emoticons rated by people from -4 to +4, Hutto and Gilbert 2014). The scoring follows
VADER's main rules, rewritten so that a whole batch is scored at once with numpy:

* a word's valence is the lexicon's (emoticons count after the words); a word right after a
  negation ("not", "never", "didn't", ...) counts with VADER's factor -0.74 ("not helpful"
  is negative);
* a booster right before a word ("very", "extremely", "totally") adds 0.293 in the word's
  direction, a dampener ("slightly", "kind of") takes 0.293 away;
* each "!" (up to four) adds 0.292 in the direction of the sum;
* ``compound`` = sum / sqrt(sum^2 + 15), VADER's normalisation to -1..1.

VADER also handles "but" clauses, ALL-CAPS emphasis and idioms one word at a time; those are
left out here and frustration (below) counts shouting instead. The label follows VADER's
published thresholds: positive at compound >= 0.05, negative at <= -0.05, else neutral.

**Frustration** (0-1) is separate from negativity: a calm "the export is broken" is negative
but not frustrated; "third time I'm asking, still nobody answered!!" is both. It counts cues
of a customer losing patience: repeat contact ("again", "still", "third time", "nobody
answered"), waiting ("for days", "weeks now"), exasperation ("unacceptable", "ridiculous",
"fed up", "waste of time"), demands to escalate ("your manager", "escalate this"), shouting
(words in capitals, several "!" or "?!"). Each cue adds to a saturating score,
1 - exp(-0.45 * cues).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import chain, repeat
from typing import Any, Literal

import numpy as np

from fairlane.triage.tokens import words

__all__ = ["MessageSentiment", "SentimentScorer", "default_sentiment_scorer"]

Label = Literal["positive", "neutral", "negative"]
_NEGATION_SCALAR = -0.74
_BOOST = 0.293
_EXCLAMATION = 0.292
_ALPHA = 15.0

_NEGATIONS = [
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "never",
    "no",
    "nobody",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "without",
    "wont",
    "wouldnt",
    "rarely",
    "seldom",
    "despite",
]
_BOOSTERS = [
    "absolutely",
    "amazingly",
    "awfully",
    "completely",
    "considerably",
    "decidedly",
    "deeply",
    "enormously",
    "entirely",
    "especially",
    "exceptionally",
    "extremely",
    "fabulously",
    "flipping",
    "flippin",
    "fricking",
    "frickin",
    "frigging",
    "friggin",
    "fully",
    "fucking",
    "greatly",
    "hella",
    "highly",
    "hugely",
    "incredibly",
    "intensely",
    "majorly",
    "more",
    "most",
    "particularly",
    "purely",
    "quite",
    "really",
    "remarkably",
    "so",
    "substantially",
    "thoroughly",
    "totally",
    "tremendously",
    "uber",
    "unbelievably",
    "unusually",
    "utterly",
    "very",
]
_DAMPENERS = [
    "almost",
    "barely",
    "hardly",
    "marginally",
    "occasionally",
    "partly",
    "scarcely",
    "slightly",
    "somewhat",
    "less",
    "little",
]
# an emoticon stands alone: not followed by a letter or a slash (":/" in "https://" is none;
# neither is "=b" in "?id=b12"); "<3" is counted apart (an alternation would slow the scan)
_EMOTICON = re.compile(r"[:;=][-oO^']?[()\[\]dDpPbB/\\|*@](?![\w/])")
# the words keep their apostrophes (tokens.words): "don't" and "dont" both negate
_NEGATION, _BOOSTER, _DAMPENER = 1, 2, 3  # the kinds of words that change the next one
_KIND: dict[str, int] = {
    **{w: _DAMPENER for w in _DAMPENERS},
    **{w: _BOOSTER for w in _BOOSTERS},
    **{w: _NEGATION for w in _NEGATIONS},
    # the words keep their apostrophes (tokens.words): "don't" negates as "dont" does
    **{w[:-2] + "n't": _NEGATION for w in _NEGATIONS if w.endswith("nt")},
}

_CUE_WORDS = frozenset(
    [
        "again",
        "still",
        "nobody",
        "unacceptable",
        "ridiculous",
        "absurd",
        "outrageous",
        "useless",
        "terrible",
        "worst",
        "furious",
        "angry",
        "disappointed",
        "frustrated",
        "frustrating",
        "frustration",
        "annoyed",
        "annoying",
        "escalate",
        "escalating",
        "escalation",
    ]
)
_CUE_PHRASES = [
    "yet again",
    "second time",
    "third time",
    "fourth time",
    "fifth time",
    "no one",
    "no response",
    "no reply",
    "no answer",
    "not a reply",
    "not a single reply",
    "not one reply",
    "not a response",
    "not a single response",
    "for days",
    "for weeks",
    "for months",
    "for hours",
    "since days",
    "since weeks",
    "days now",
    "weeks now",
    "hours now",
    "days later",
    "weeks later",
    "fed up",
    "sick of",
    "tired of",
    "waste of time",
    "waste of my time",
    "waste of our time",
    "your manager",
    "your supervisor",
    "a manager",
    "a supervisor",
    "cancel our account",
    "cancel my account",
    "cancel our contract",
    "cancel our subscription",
    "cancel my subscription",
    "how many times",
    "how many more times",
    "how long do",
    "how long must",
    "how long will",
]
_PHRASES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in _CUE_PHRASES:
    _first, *_rest = _phrase.split()
    _PHRASES_BY_FIRST.setdefault(_first, []).append(tuple(_rest))
_PHRASE_FIRSTS = frozenset(_PHRASES_BY_FIRST)
_PHRASE_SECONDS = frozenset(p.split()[1] for p in _CUE_PHRASES)
_ORDINAL_TIME = re.compile(r"\b\d+(?:st|nd|rd|th) time\b")
# a word of three or more capitals: \b[A-Z]{3,}\b, written to start with the letter class,
# which the regular-expression engine scans for quickly (the same matches, tested)
_SHOUTED = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]{2,}\b")
_NOT_SHOUTING = frozenset(
    [
        "API",
        "SSO",
        "CSV",
        "PDF",
        "URL",
        "SLA",
        "VAT",
        "CRM",
        "FAQ",
        "USA",
        "ASAP",
        "SAML",
        "HTTP",
        "HTTPS",
        "JSON",
        "XML",
        "CEO",
        "CTO",
        "CFO",
        "IT",
    ]
)


# not frozen: one is made per ticket, and a frozen dataclass takes ~4x longer to build
@dataclass(slots=True)
class MessageSentiment:
    compound: float  # -1 (very negative) .. +1 (very positive)
    label: Label
    frustration: float  # 0 .. 1
    cues: tuple[str, ...]  # the frustration cues found, as written

    def as_dict(self) -> dict[str, Any]:
        return {
            "compound": round(self.compound, 4),
            "label": self.label,
            "frustration": round(self.frustration, 4),
            "cues": list(self.cues),
        }


_CUE, _FIRST, _SECOND, _TIME = 1, 2, 4, 8  # what a word may start or be in frustration's cues


class SentimentScorer:
    """``score(texts)`` -> one :class:`MessageSentiment` per text."""

    def __init__(self, lexicon: dict[str, float]) -> None:
        # every word that matters to the scoring gets a number; its valence, kind (negation,
        # booster, dampener) and cue flags are then arrays, gathered for a batch at once
        special = [*lexicon, *_KIND, *_CUE_WORDS, *_PHRASE_FIRSTS, *_PHRASE_SECONDS, "time"]
        self._number = {word: n for n, word in enumerate(dict.fromkeys(special), start=1)}
        size = len(self._number) + 1  # 0: an ordinary word
        self._valence = np.zeros(size, dtype=np.float64)
        self._kind = np.zeros(size, dtype=np.int8)
        self._flags = np.zeros(size, dtype=np.int8)
        for word, n in self._number.items():
            self._valence[n] = lexicon.get(word, 0.0)
            self._kind[n] = _KIND.get(word, 0)
            self._flags[n] = (
                (_CUE if word in _CUE_WORDS else 0)
                | (_FIRST if word in _PHRASE_FIRSTS else 0)
                | (_SECOND if word in _PHRASE_SECONDS else 0)
                | (_TIME if word == "time" else 0)
            )

    def score(self, texts: Sequence[str]) -> list[MessageSentiment]:
        return self.score_words(texts, [words(text) for text in texts])

    def score_one(self, text: str) -> MessageSentiment:
        return self.score_words([text], [words(text)])[0]

    def score_words(
        self, texts: Sequence[str], found: Sequence[list[str]]
    ) -> list[MessageSentiment]:
        """:meth:`score` with each text's words already found (:func:`tokens.words`), so
        that the models and the lexicon share one pass over the text. The words of the whole
        batch are looked up at once (numpy), each against the two before it in its own text;
        only the words flagged as frustration cues are looked at one by one."""
        n_texts = len(texts)
        tokens = [
            f + _emoticons(text) if ":" in text or ";" in text or "=" in text or "<3" in text else f
            for text, f in zip(texts, found, strict=True)
        ]  # emoticons are scored after the words
        flat = list(chain.from_iterable(tokens))
        size = len(flat)
        docs = np.repeat(
            np.arange(n_texts), np.fromiter(map(len, tokens), dtype=np.int64, count=n_texts)
        )
        numbers = np.fromiter(
            map(self._number.get, flat, repeat(0, size)), dtype=np.int64, count=size
        )
        valence = self._valence[numbers]
        kind = self._kind[numbers]
        same_as_before = docs[1:] == docs[:-1]
        before = np.zeros(size, dtype=np.int8)  # the kind of the word before, in the same text
        before[1:] = np.where(same_as_before, kind[:-1], 0)
        two_before = np.zeros(size, dtype=np.int8)
        two_before[2:] = np.where(docs[2:] == docs[:-2], kind[:-2], 0)
        negated = (before == _NEGATION) | ((before >= _BOOSTER) & (two_before == _NEGATION))
        step = np.sign(valence) * _BOOST
        adjusted = np.where(
            negated,
            valence * _NEGATION_SCALAR,
            np.where(
                before == _BOOSTER,
                valence + step,
                np.where(before == _DAMPENER, valence - step, valence),
            ),
        )
        totals = np.bincount(docs, weights=adjusted, minlength=n_texts).astype(np.float64)
        bangs = np.minimum(
            np.fromiter(map(str.count, texts, repeat("!", n_texts)), dtype=np.float64), 4
        )
        totals += np.sign(totals) * bangs * _EXCLAMATION
        compounds = (totals / np.sqrt(totals * totals + _ALPHA)).tolist()
        flags = self._flags[numbers]
        cues = self._word_cues(flat, docs, flags, same_as_before, n_texts)
        timed = set(docs[(flags & _TIME).astype(bool)].tolist())  # may say "3rd time"
        out = []
        for n, (text, text_words, compound) in enumerate(zip(texts, found, compounds, strict=True)):
            label: Label = (
                "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
            )
            frustration, written = _frustration(text, text_words, cues[n], n in timed)
            out.append(MessageSentiment(compound, label, frustration, written))
        return out

    @staticmethod
    def _word_cues(
        flat: list[str],
        docs: np.ndarray,
        flags: np.ndarray,
        same_as_before: np.ndarray,
        n_texts: int,
    ) -> list[list[str]]:
        """Each text's cue words and cue phrases, in order: a cue word wherever one is; a
        phrase where a phrase's first word is followed by a second word of some phrase."""
        cues: list[list[str]] = [[] for _ in range(n_texts)]
        for position in np.flatnonzero(flags & _CUE).tolist():
            cues[docs[position]].append(flat[position])
        starts = (flags[:-1] & _FIRST).astype(bool) & (flags[1:] & _SECOND).astype(bool)
        for position in np.flatnonzero(starts & same_as_before).tolist():
            first, end = flat[position], docs[position]
            for rest in _PHRASES_BY_FIRST[first]:
                words_after = flat[position + 1 : position + 1 + len(rest)]
                if tuple(words_after) == rest and docs[position + len(rest)] == end:
                    cues[end].append(" ".join((first, *rest)))
                    break
        return cues


def _emoticons(text: str) -> list[str]:
    found = [e.lower() for e in _EMOTICON.findall(text)]
    return found + ["<3"] * text.count("<3") if "<3" in text else found


def _frustration(
    text: str, tokens: list[str], cues: list[str], timed: bool
) -> tuple[float, tuple[str, ...]]:
    """The frustration score and its cues: ``cues`` are the words and phrases found in the
    batch (:meth:`SentimentScorer._word_cues`); ordinals ("4th time", when ``timed``: the
    text says "time"), shouting and marks are found here."""
    if timed:
        cues += _ORDINAL_TIME.findall(text.lower())
    if not text.islower():  # some capital letter, perhaps shouting
        shouted = [w for w in _SHOUTED.findall(text) if w not in _NOT_SHOUTING]
        if shouted and len(shouted) * 4 < len(tokens) + 4:  # not a text all in capitals
            cues.append(" ".join(shouted[:3]))
    marks = text.count("!")
    if marks >= 2 or "?!" in text or "!?" in text:
        cues.append("!" * max(2, min(marks, 3)) if marks >= 2 else "?!")
    if not cues:
        return 0.0, ()
    unique = tuple(dict.fromkeys(cues))  # a cue repeated is still one cue
    return 1.0 - math.exp(-0.45 * len(unique)), unique


def _read_lexicon() -> dict[str, float]:
    text = (resources.files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    lexicon: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            try:
                lexicon[parts[0].strip().lower()] = float(parts[1])
            except ValueError:
                continue
    for token, valence in list(lexicon.items()):  # also as written without its apostrophes
        if "'" in token and token[0].isalpha():
            lexicon.setdefault(token.replace("'", ""), valence)
    return lexicon


@cache
def default_sentiment_scorer() -> SentimentScorer:
    """The scorer over the installed VADER lexicon (built once per process)."""
    return SentimentScorer(_read_lexicon())
