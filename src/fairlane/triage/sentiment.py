"""Sentiment and frustration of a message (T3), from the VADER lexicon, scored in batches.

The valences come from the lexicon the ``vaderSentiment`` package installs (about 7,500 words
and emoticons rated by people from -4 to +4, Hutto and Gilbert 2014). The scoring follows
VADER's main rules, rewritten so that a whole batch is scored with a sparse matrix product:

* a word's valence is the lexicon's; a word right after a negation ("not", "never",
  "didn't", ...) counts with VADER's factor -0.74 ("not helpful" is negative);
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
from typing import Any, Literal

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
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[:;=8x][-o^']?[()\[\]dpb/\\|*@]|<3")
_NEGATION_SET = frozenset(_NEGATIONS)
_BOOSTER_SET = frozenset(_BOOSTERS)
_DAMPENER_SET = frozenset(_DAMPENERS)
_MODIFIER_SET = _BOOSTER_SET | _DAMPENER_SET

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
_PHRASE_PAIRS = frozenset((p.split()[0], p.split()[1]) for p in _CUE_PHRASES)
_PHRASE_SECONDS = frozenset(second for _, second in _PHRASE_PAIRS)
_ORDINAL_TIME = re.compile(r"\b\d+(?:st|nd|rd|th) time\b")
_SHOUTED = re.compile(r"\b[A-Z]{3,}\b")
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


@dataclass(frozen=True, slots=True)
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


class SentimentScorer:
    """``score(texts)`` -> one :class:`MessageSentiment` per text."""

    def __init__(self, lexicon: dict[str, float]) -> None:
        self._lexicon = lexicon

    def score(self, texts: Sequence[str]) -> list[MessageSentiment]:
        return [self.score_one(text) for text in texts]

    def score_one(self, text: str) -> MessageSentiment:
        lowered = text.lower().replace("\u2019", "'").replace("n't", "nt")
        tokens = _WORD.findall(lowered)
        valences = list(map(self._lexicon.get, tokens))  # most words carry none
        total = 0.0
        for i, valence in enumerate(valences):
            if valence is None:
                continue
            previous = tokens[i - 1] if i else ""
            if previous in _NEGATION_SET or (
                i > 1 and previous in _MODIFIER_SET and tokens[i - 2] in _NEGATION_SET
            ):
                valence *= _NEGATION_SCALAR
            elif previous in _BOOSTER_SET:
                valence += _BOOST if valence > 0 else -_BOOST
            elif previous in _DAMPENER_SET:
                valence -= _BOOST if valence > 0 else -_BOOST
            total += valence
        bangs = min(text.count("!"), 4)
        if total and bangs:
            total += math.copysign(bangs * _EXCLAMATION, total)
        compound = total / math.sqrt(total * total + _ALPHA) if total else 0.0
        label: Label = (
            "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
        )
        return MessageSentiment(compound, label, *self._frustration(text, tokens))

    @staticmethod
    def _frustration(text: str, tokens: list[str]) -> tuple[float, tuple[str, ...]]:
        present = set(tokens)
        cues = sorted(_CUE_WORDS.intersection(present), key=tokens.index)
        seconds = _PHRASE_SECONDS.intersection(present)  # rarer than first words: check first
        if seconds and not _PHRASE_FIRSTS.isdisjoint(present):
            pairs = _PHRASE_PAIRS
            for i in [i for i, t in enumerate(tokens[1:], 1) if t in seconds]:
                if (tokens[i - 1], tokens[i]) not in pairs:
                    continue
                for rest in _PHRASES_BY_FIRST[tokens[i - 1]]:
                    if tuple(tokens[i : i + len(rest)]) == rest:
                        cues.append(" ".join((tokens[i - 1], *rest)))
                        break
        if "time" in present:
            cues += _ORDINAL_TIME.findall(text.lower())
        if not text.islower():  # some capital letter, perhaps shouting
            shouted = [w for w in _SHOUTED.findall(text) if w not in _NOT_SHOUTING]
            if shouted and len(shouted) * 4 < len(tokens) + 4:  # not a text all in capitals
                cues.append(" ".join(shouted[:3]))
        marks = text.count("!")
        if marks >= 2 or "?!" in text or "!?" in text:
            cues.append("!" * max(2, min(marks, 3)) if marks >= 2 else "?!")
        unique = tuple(dict.fromkeys(cues))  # a cue repeated is still one cue
        return 1.0 - math.exp(-0.45 * len(unique)), unique


def _read_lexicon() -> dict[str, float]:
    text = (resources.files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    lexicon: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            token = parts[0].strip().lower().replace("'", "")
            try:
                lexicon[token] = float(parts[1])
            except ValueError:
                continue
    return lexicon


@cache
def default_sentiment_scorer() -> SentimentScorer:
    """The scorer over the installed VADER lexicon (built once per process)."""
    return SentimentScorer(_read_lexicon())
