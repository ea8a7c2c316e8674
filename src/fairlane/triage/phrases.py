"""Fast fuzzy phrase matching for hard triggers (T5) and rule-based priority (T1).

A :class:`PhraseMatcher` is built once from ``label -> phrases`` and then finds which
configured phrases occur in a ticket's text. It does no I/O. It memoises how each distinct
word classifies (bounded, reset when large), so vocabulary repeated across tickets is cheap.

How text and phrases are compared (user-facing behaviour):

* **Normalisation.** Text and phrases are case-folded, accents are stripped (Unicode NFKD,
  combining marks dropped: "Café" == "cafe", full-width letters == ASCII, "ß" == "ss"),
  and every character that is not a letter or digit separates words. Digits are kept
  ("503", "502 bad gateway"). "can't" is the two words "can" and "t".
* **Words.** A phrase matches word by word, in order. A text word matches a phrase word
  when it is equal; or, for a phrase word ending in ``*``, when it starts with it
  ("refund*" matches "refunds", "refunded"; ``*`` words are never fuzzy); or when both
  words have at least 5 characters and their Damerau-Levenshtein distance (a transposition
  counts as one edit) is 1, or 2 when the phrase word has 9 or more characters
  ("lawyre" ~ "lawyer", "sevice" ~ "service", "vulnerabilty" ~ "vulnerability").
  Words shorter than 5 characters only match exactly: "dawn" never matches "down".
* **Joined and split words.** One text word may stand for two consecutive phrase words
  ("databreach" for "data breach", "cant" for "can't"); the joined form is compared with
  the word rules above, so "databrech" matches too. Two consecutive text words may stand
  for one phrase word of 5+ characters when, joined, they spell it exactly and each has 2+
  characters ("charge back" for "chargeback", "log in" for "login"; not "chrage back").
  ``*`` words are never split.
* **Gaps.** Up to ``max_gap`` (default 2) other words may sit between two consecutive
  phrase words: "site down" matches "site is completely down", not "site is not really
  down".
* **Exactness.** ``PhraseMatch.is_exact`` is True only when every word matched exactly
  (or by ``*`` prefix) with no gap; misspelt, joined, split and gapped matches are False.
* **Which match.** For each (label, phrase) at most one match is reported: the earliest
  exact one if any, else the earliest one. Results are ordered by ``start``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from re import Match

from rapidfuzz.distance import DamerauLevenshtein

__all__ = ["PhraseMatch", "PhraseMatcher"]

_MIN_FUZZY = 5  # both words need this many characters for a fuzzy match
_LONG = 9  # phrase words this long tolerate two edits
_MIN_PIECE = 2  # shortest piece of a split word
_MEMO_LIMIT = 100_000  # word classifications kept before the memo is reset
_INF = 1 << 62

# ASCII bytes: letters and digits lower-cased, everything else a space. Bytes >= 0x80 are
# kept, so this is safe on UTF-8 (multi-byte sequences never contain ASCII bytes).
_BYTE_FOLD = bytes(ord(chr(b).lower()) if chr(b).isalnum() else 32 for b in range(128)) + bytes(
    range(128, 256)
)
# Common non-ASCII separators, turned into one space each (same length in characters) so
# that typical "smart-quoted" English text takes the all-ASCII path.
_SEPARATORS = "\u2019\u201c\u201d\u2018\u2013\u2014\u2026\u00a0\u2022"
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f][^a-z0-9]*")  # applied after the byte fold

# (phrase id, first phrase word covered, phrase words covered, fuzzy?)
_Unit = tuple[int, int, int, bool]
_Split = tuple[str, int, int]  # (second piece, phrase id, phrase word), keyed by first piece
# what a text word can do: its units, the phrases they touch, the phrases whose anchor they hit
_Info = tuple[tuple[_Unit, ...], frozenset[int], frozenset[int]]
# Very common words are poor anchors (see PhraseMatcher._add); a speed hint, not a rule.
_COMMON_WORDS = """a about after again all also am an and any are as at be been but by can could
did do does for from get got had has have he her him his i if in into is it its just me my no
not now of on one or our out she so some than that the their them then there they this to too
up us very was we were what when which who will with would you your please"""
_COMMON = frozenset(_COMMON_WORDS.split())
_NOTHING: _Info = ((), frozenset(), frozenset())
_Hit = tuple[int, int, int, int, bool]  # (start word, end word, phrase word, count, fuzzy)


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    label: str  # the group the phrase belongs to, e.g. "legal"
    phrase: str  # the configured phrase, as written in the policy
    matched_text: str  # the exact span of the ORIGINAL text that matched
    start: int  # character offsets into the original text
    end: int
    is_exact: bool  # False when a fuzzy (misspelt/joined/split/gapped) match


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))


class _FoldTable(dict[int, str]):
    """``str.translate`` table: code point -> folded text, computed on first use."""

    def __init__(self) -> None:
        super().__init__()
        self.irregular: set[str] = set()  # characters that do not fold to exactly one

    def __missing__(self, key: int) -> str:
        char = chr(key)
        folded = _strip_marks(_strip_marks(char).casefold()).lower()
        out = "".join(c if c.isalnum() else " " for c in folded)
        if len(out) != 1:
            self.irregular.add(char)
        self[key] = out
        return out


_FOLD = _FoldTable()


class _Offsets:
    """Maps positions in folded text back to the original text (only when lengths differ)."""

    __slots__ = ("fold", "linear", "orig")

    def __init__(self) -> None:
        self.fold, self.orig, self.linear = [0], [0], [True]

    def add(self, fold: int, orig: int, linear: bool) -> None:
        self.fold.append(fold)
        self.orig.append(orig)
        self.linear.append(linear)

    def __call__(self, pos: int) -> int:
        i = bisect_right(self.fold, pos) - 1
        return self.orig[i] + (pos - self.fold[i] if self.linear[i] else 0)


def _fold(text: str) -> tuple[str, _Offsets | None]:
    """Text -> lower-case letters, digits and spaces; offsets None when positions agree."""
    if text.isascii():
        return text.encode("ascii").translate(_BYTE_FOLD).decode("ascii"), None
    irregular: list[tuple[int, str]] = []

    def fold_run(match: Match[str]) -> str:
        run = match.group()
        out = run.translate(_FOLD)  # may learn new irregular characters
        if not _FOLD.irregular.isdisjoint(run):
            irregular.append((match.start(), run))
        return out

    raw = text.encode("utf-8", "surrogatepass").translate(_BYTE_FOLD)
    folded = raw.decode("utf-8", "surrogatepass")
    for separator in _SEPARATORS:
        if separator in folded:
            folded = folded.replace(separator, " ")
    if folded.isascii():
        return folded, None
    folded = _NON_ASCII_RUN.sub(fold_run, folded)
    if not irregular:
        return folded, None
    offsets, delta = _Offsets(), 0
    for start, run in irregular:
        pos = start + delta
        for j, char in enumerate(run):
            offsets.add(pos, start + j, False)
            pos += len(_FOLD[ord(char)])
        delta = pos - (start + len(run))
        offsets.add(pos, start + len(run), True)
    return folded, offsets


def _parse(label: str, phrase: str) -> list[tuple[str, bool]]:
    """Phrase -> [(word, is_prefix)]; raises ValueError naming the label and phrase."""
    words: list[tuple[str, bool]] = []
    pieces = phrase.split("*")
    for i, piece in enumerate(pieces):
        folded = _fold(piece)[0]
        if i > 0 and folded[:1].isalnum():
            raise ValueError(f"label {label!r}, phrase {phrase!r}: '*' must end a word")
        words.extend((w, False) for w in folded.split())
        if i < len(pieces) - 1:
            if not folded[-1:].isalnum():
                raise ValueError(f"label {label!r}, phrase {phrase!r}: '*' must follow a word")
            words[-1] = (words[-1][0], True)
    if not words:
        raise ValueError(f"label {label!r}: phrase {phrase!r} is empty (it has no words)")
    return words


def _deletions(word: str, depth: int) -> set[str]:
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def _allowed(word: str) -> int:
    return 2 if len(word) >= _LONG else 1


class PhraseMatcher:
    """Finds configured phrases in text; see the module docstring for the matching rules."""

    def __init__(self, phrases: Mapping[str, Sequence[str]], *, max_gap: int = 2) -> None:
        if isinstance(max_gap, bool) or not isinstance(max_gap, int) or max_gap < 0:
            raise ValueError(f"max_gap must be a whole number >= 0, not {max_gap!r}")
        self._max_gap = max_gap
        self._phrases: list[tuple[str, str, int, int]] = []  # label, phrase, words, anchor
        self._exact: dict[str, list[_Unit]] = {}
        self._prefix: dict[str, list[_Unit]] = {}
        self._fuzzy: dict[str, list[_Unit]] = {}  # fuzzy-match targets -> fuzzy units
        self._splits: dict[str, list[_Split]] = {}
        self._anchor_splits: dict[str, list[_Split]] = {}  # splits of anchor words only
        seen: set[tuple[str, str]] = set()
        for label, group in phrases.items():
            if isinstance(group, str):
                raise TypeError(f"label {label!r}: phrases must be a list of strings, not a str")
            for phrase in group:
                if (label, phrase) not in seen:
                    seen.add((label, phrase))
                    self._add(label, phrase, _parse(label, phrase))
        self._deleted: dict[str, set[str]] = {}
        for word in self._fuzzy:
            for variant in _deletions(word, _allowed(word)):
                self._deleted.setdefault(variant, set()).add(word)
        self._long = any(len(w) >= _LONG for w in self._fuzzy)
        # How far (in text words) a match may reach before and after its anchor: each phrase
        # word takes at most two text words (a split) and at most max_gap others sit between.
        self._spread = [
            (anchor * (2 + max_gap), (size - 1 - anchor) * (2 + max_gap) + 1)
            for *_, size, anchor in self._phrases
        ]
        self._prefix_lengths = sorted({len(w) for w in self._prefix})
        self._split_pids = {head: {pid for _, pid, _ in s} for head, s in self._splits.items()}
        self._memo: dict[str, _Info] = {}
        self._hot: set[str] = set()  # memo words with units
        self._anchored: set[str] = set()  # memo words that hit some phrase's anchor

    def _add(self, label: str, phrase: str, words: list[tuple[str, bool]]) -> None:
        pid, size = len(self._phrases), len(words)
        # The anchor gates find(): a phrase is only examined when a text word hits its anchor,
        # so it should be rare in tickets: the longest word, preferring uncommon ones.
        anchor = max(range(size), key=lambda p: (words[p][0] not in _COMMON, len(words[p][0])))
        self._phrases.append((label, phrase, size, anchor))
        for p, (word, is_prefix) in enumerate(words):
            long = len(word) >= _MIN_FUZZY
            (self._prefix if is_prefix else self._exact).setdefault(word, []).append(
                (pid, p, 1, False)
            )
            if long and not is_prefix:
                self._fuzzy.setdefault(word, []).append((pid, p, 1, True))
                for n in range(_MIN_PIECE, len(word) - _MIN_PIECE + 1):
                    split = (word[n:], pid, p)
                    self._splits.setdefault(word[:n], []).append(split)
                    if p == anchor:
                        self._anchor_splits.setdefault(word[:n], []).append(split)
            if p + 1 < size and not is_prefix and not words[p + 1][1]:
                joined = word + words[p + 1][0]
                self._exact.setdefault(joined, []).append((pid, p, 2, True))
                if len(joined) >= _MIN_FUZZY:
                    self._fuzzy.setdefault(joined, []).append((pid, p, 2, True))

    def _classify(self, word: str) -> tuple[_Unit, ...]:
        units = list(self._exact.get(word, ()))
        for n in self._prefix_lengths:
            if n > len(word):
                break
            units.extend(self._prefix.get(word[:n], ()))
        if len(word) >= _MIN_FUZZY:
            depth = 2 if self._long and len(word) >= _LONG - 2 else 1
            candidates: set[str] = set()
            for variant in _deletions(word, depth):
                candidates.update(self._deleted.get(variant, ()))
            candidates.discard(word)
            for target in candidates:
                limit = _allowed(target)
                if DamerauLevenshtein.distance(word, target, score_cutoff=limit) <= limit:
                    units.extend(self._fuzzy[target])
        return tuple(units)

    def _info(self, word: str, memo: dict[str, _Info], hot: set[str], anchored: set[str]) -> _Info:
        info = memo.get(word)
        if info is None:
            units = self._classify(word)
            info = _NOTHING
            if units:
                phrases = self._phrases
                hits = frozenset(u[0] for u in units if u[1] <= phrases[u[0]][3] < u[1] + u[2])
                info = (units, frozenset(u[0] for u in units), hits)
                hot.add(word)
                if hits:
                    anchored.add(word)
            memo[word] = info
        return info

    def find(self, text: str) -> list[PhraseMatch]:
        """Each (label, phrase) found in ``text``, at most once, ordered by start offset."""
        folded, offsets = _fold(text)
        words = folded.split()
        if len(self._memo) > _MEMO_LIMIT:
            self._memo, self._hot, self._anchored = {}, set(), set()
        memo, hot, anchored = self._memo, self._hot, self._anchored
        distinct = set(words)
        for word in distinct.difference(memo):
            self._info(word, memo, hot, anchored)
        # Gate: a phrase can only match around a text word that hits its anchor (see _add).
        candidates: set[int] = set()
        anchors = distinct.intersection(anchored)
        for word in anchors:
            candidates |= memo[word][2]
        for word in distinct.intersection(self._anchor_splits):
            pids = [pid for rest, pid, _ in self._anchor_splits[word] if rest in distinct]
            if pids:
                candidates.update(pids)
                anchors.add(word)
        if not candidates:
            return []
        found = self._collect(words, distinct, anchors, candidates, memo, hot)
        best = [
            (pid, *hit)
            for pid, hits in found.items()
            if (hit := self._best(hits, self._phrases[pid][2])) is not None
        ]
        starts = _word_starts(folded, {i for *_, first, end in best for i in (first, end - 1)})
        matches = []
        for pid, exact, first, end in best:
            start, stop = starts[first], starts[end - 1] + len(words[end - 1])
            if offsets is not None:
                start, stop = offsets(start), offsets(stop - 1) + 1
                while stop < len(text) and not _FOLD[ord(text[stop])]:
                    stop += 1  # keep trailing combining marks with their letter
            label, phrase, *_ = self._phrases[pid]
            matches.append(PhraseMatch(label, phrase, text[start:stop], start, stop, exact))
        matches.sort(key=lambda m: (m.start, m.end, m.label, m.phrase))
        return matches

    def _collect(
        self,
        words: list[str],
        distinct: set[str],
        anchors: set[str],
        candidates: set[int],
        memo: dict[str, _Info],
        hot: set[str],
    ) -> dict[int, list[_Hit]]:
        """Hits of candidate phrases in the windows around anchor words, by phrase id."""
        scan = {w for w in distinct.intersection(hot) if not candidates.isdisjoint(memo[w][1])}
        splits, split_pids = self._splits, self._split_pids
        heads = {
            w for w in distinct.intersection(splits) if not candidates.isdisjoint(split_pids[w])
        }
        spread: dict[str, tuple[int, int]] = {}
        for word in anchors:
            pids = memo[word][2].union(pid for _, pid, _ in self._anchor_splits.get(word, ()))
            spread[word] = (
                max(self._spread[pid][0] for pid in pids),
                max(self._spread[pid][1] for pid in pids),
            )
        if len(anchors) <= 4:  # a few C-level scans beat one Python-level pass
            occurrences = []
            for word in anchors:
                at = -1
                while True:
                    try:
                        at = words.index(word, at + 1)
                    except ValueError:
                        break
                    occurrences.append(at)
        else:
            occurrences = [i for i, word in enumerate(words) if word in anchors]
        windows = sorted(
            (at - spread[words[at]][0], at + spread[words[at]][1]) for at in occurrences
        )
        last = len(words) - 1
        found: dict[int, list[_Hit]] = {}
        done = -1
        for lo, hi in windows:
            start, done = max(lo, done + 1), max(done, min(hi, last))
            for i in range(start, done + 1):
                word = words[i]
                if word in scan:
                    for pid, p, q, fuzzy in memo[word][0]:
                        if pid in candidates:
                            found.setdefault(pid, []).append((i, i + 1, p, q, fuzzy))
                if word in heads and i < last:
                    for rest, pid, p in splits[word]:
                        if rest == words[i + 1] and pid in candidates:
                            found.setdefault(pid, []).append((i, i + 2, p, 1, True))
        return found

    def labels_in(self, text: str) -> frozenset[str]:
        """The labels with at least one phrase in ``text``."""
        return frozenset(m.label for m in self.find(text))

    def _best(self, hits: list[_Hit], size: int) -> tuple[bool, int, int] | None:
        """Best chain of hits covering phrase words 0..size-1, as (is_exact, start, end)."""
        # reach[p][end] = [earliest start of an exact chain, earliest start of any chain]
        reach: list[dict[int, list[int]]] = [{} for _ in range(size + 1)]
        starting: dict[tuple[int, int], list[tuple[int, int, bool]]] = {}
        for start, end, p, q, fuzzy in hits:
            if p == 0:
                _reach(reach[q], end, _INF if fuzzy else start, start)
            else:
                starting.setdefault((p, start), []).append((end, q, fuzzy))
        for p in range(1, size):
            for done, (exact_start, any_start) in reach[p].items():
                for start in range(done, done + self._max_gap + 1):
                    for end, q, fuzzy in starting.get((p, start), ()):
                        inexact = fuzzy or start > done
                        _reach(reach[p + q], end, _INF if inexact else exact_start, any_start)
        final = reach[size]
        if not final:
            return None
        exact = min((x, end) for end, (x, _) in final.items())
        if exact[0] < _INF:
            return True, exact[0], exact[1]
        start, end = min((a, end) for end, (_, a) in final.items())
        return False, start, end


_SKIPS = [(1 << b, re.compile(rf"(?:[^ ]++ ++){{{1 << b}}}")) for b in range(12, -1, -1)]


def _word_starts(folded: str, indices: set[int]) -> dict[int, int]:
    """Start offsets of the words at ``indices`` in ``folded``, skipping words in C."""
    starts, pos, at = {}, len(folded) - len(folded.lstrip(" ")), 0
    for index in sorted(indices):
        for size, skip in _SKIPS:
            while index - at >= size:
                found = skip.match(folded, pos)
                assert found is not None
                pos, at = found.end(), at + size
        starts[index] = pos
    return starts


def _reach(cells: dict[int, list[int]], end: int, exact_start: int, any_start: int) -> None:
    cell = cells.get(end)
    if cell is None:
        cells[end] = [exact_start, any_start]
    else:
        cell[0] = min(cell[0], exact_start)
        cell[1] = min(cell[1], any_start)
