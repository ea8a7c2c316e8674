"""Fast fuzzy phrase matching for hard triggers (T5) and rule-based priority (T1).

A :class:`PhraseMatcher` is built once from ``label -> phrases``; ``find`` reports which phrases
occur in a text. No I/O; a bounded memo of how each distinct word classifies makes vocabulary
repeated across tickets cheap. Matching rules (user-facing behaviour):

* Normalisation: case-folded, accents stripped (NFKD, marks dropped: "Café" = "cafe", "ß" =
  "ss", full-width = ASCII); any character that is not a letter or digit separates words, so
  "can't" is "can" + "t". Digits are kept ("503", "502 bad gateway").
* Words, in order: a text word matches a phrase word when equal; for a phrase word ending in
  ``*``, when it starts with it ("refund*" ~ "refunded"; ``*`` words are never fuzzy or split);
  or when both have 5+ characters and their Damerau-Levenshtein distance (a transposition is one
  edit) is 1, or 2 for phrase words of 9+ characters ("lawyre" ~ "lawyer", "sevice" ~
  "service", "vulnerabilty" ~ "vulnerability"). Shorter words must be exact: "dawn" never
  matches "down"; "is" and "the" only match themselves.
* Joined: one text word may stand for two consecutive phrase words, compared by the rules above
  ("databreach" and "databrech" ~ "data breach", "cant" ~ "can't").
* Split: two consecutive text words of 2+ characters each may stand for one phrase word of 5+
  characters when, joined, they spell it exactly ("charge back" ~ "chargeback", "log in" ~
  "login"; not "chrage back").
* Gaps: up to ``max_gap`` (default 2) other words may sit between consecutive phrase words:
  "site down" matches "site is completely down", not "site is not really down".
* ``PhraseMatch.is_exact`` is True only when every word matched exactly (or by ``*``) with no
  gap; misspelt, joined, split and gapped matches are not exact.
* Per (label, phrase) at most one match: the earliest exact one, else the earliest. Matches
  are ordered by ``start``; offsets and ``matched_text`` refer to the original text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
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
    """One configured phrase found in a text."""

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

    def __missing__(self, key: int) -> str:
        folded = _strip_marks(_strip_marks(chr(key)).casefold()).lower()
        out = self[key] = "".join(c if c.isalnum() else " " for c in folded)
        if len(out) != 1:
            _IRREGULAR.add(chr(key))
        return out


_FOLD, _IRREGULAR = _FoldTable(), set[str]()  # characters that do not fold to exactly one


def _fold(text: str) -> tuple[str, Callable[[int], int] | None]:
    """Text -> lower-case letters, digits and spaces, and a map of folded positions back to
    original ones (None when they agree)."""
    if text.isascii():
        return text.encode("ascii").translate(_BYTE_FOLD).decode("ascii"), None
    irregular: list[tuple[int, str]] = []

    def fold_run(match: Match[str]) -> str:
        run = match.group()
        out = run.translate(_FOLD)  # may learn new irregular characters
        if not _IRREGULAR.isdisjoint(run):
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
    # Breakpoints: folded position -> original position, linear in between unless per-char.
    points, delta = [(0, 0, True)], 0
    for start, run in irregular:
        pos = start + delta
        for j, char in enumerate(run):
            points.append((pos, start + j, False))
            pos += len(_FOLD[ord(char)])
        delta = pos - (start + len(run))
        points.append((pos, start + len(run), True))
    folds = [fold for fold, _, _ in points]

    def to_original(pos: int) -> int:
        fold, orig, linear = points[bisect_right(folds, pos) - 1]
        return orig + (pos - fold if linear else 0)

    return folded, to_original


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
            for variant in _deletions(word, (2 if len(word) >= _LONG else 1)):
                self._deleted.setdefault(variant, set()).add(word)
        self._deleted_keys = frozenset(self._deleted)
        self._longest = max(map(len, self._fuzzy), default=0) + 2  # longer words never fuzzy-match
        # How far (in text words) a match may reach before and after its anchor: each phrase
        # word takes at most two text words (a split) and at most max_gap others sit between.
        self._spread = [
            (anchor * (2 + max_gap), (size - 1 - anchor) * (2 + max_gap) + 1)
            for *_, size, anchor in self._phrases
        ]
        self._prefix_lengths = sorted({len(w) for w in self._prefix})
        self._split_pids = {head: {pid for _, pid, _ in s} for head, s in self._splits.items()}
        # (set.intersection walks a whole dict argument, but only the smaller of two sets)
        self._heads, self._anchor_heads = frozenset(self._splits), frozenset(self._anchor_splits)
        # The memo, its words with units, and those hitting an anchor; swapped as one on reset
        # so that concurrent callers always see a consistent trio.
        self._state: tuple[dict[str, _Info], set[str], set[str]] = ({}, set(), set())

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
        size = len(word)
        if _MIN_FUZZY <= size <= self._longest:  # SymSpell: deletions of word meet a target's
            variants = [word[:i] + word[i + 1 :] for i in range(size)]
            if size >= _LONG:  # two deletions only ever meet those of a 9+ character target
                variants += [
                    v[:j] + v[j + 1 :] for i, v in enumerate(variants) for j in range(i, size - 1)
                ]
            variants.append(word)
            candidates: set[str] = set()
            for variant in self._deleted_keys.intersection(variants):
                candidates |= self._deleted[variant]
            candidates.discard(word)
            for target in candidates:
                limit = 2 if len(target) >= _LONG else 1
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
                hot.add(word)  # before the memo entry, so a word in the memo is never missed
                if hits:
                    anchored.add(word)
            memo[word] = info
        return info

    def find(self, text: str) -> list[PhraseMatch]:
        """Each (label, phrase) found in ``text``, at most once, ordered by start offset."""
        folded, offsets = _fold(text)
        words = folded.split()
        if len(self._state[0]) > _MEMO_LIMIT:
            self._state = ({}, set(), set())
        memo, hot, anchored = self._state
        distinct = set(words)
        for word in distinct.difference(memo):
            self._info(word, memo, hot, anchored)
        # Gate: a phrase can only match around a text word that hits its anchor (see _add).
        candidates: set[int] = set()
        anchors = distinct.intersection(anchored)
        for word in anchors:
            candidates |= memo[word][2]
        for word in distinct.intersection(self._anchor_heads):
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
            w
            for w in distinct.intersection(self._heads)
            if not candidates.isdisjoint(split_pids[w])
        }
        before = max(self._spread[pid][0] for pid in candidates)
        after = max(self._spread[pid][1] for pid in candidates)
        last, done = len(words) - 1, -1
        found: dict[int, list[_Hit]] = {}
        for at in [i for i, word in enumerate(words) if word in anchors]:
            start, done = max(at - before, done + 1), max(done, min(at + after, last))
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
            if p:
                starting.setdefault((p, start), []).append((end, q, fuzzy))
            else:
                cell = reach[q].setdefault(end, [_INF, _INF])
                cell[:] = min(cell[0], _INF if fuzzy else start), min(cell[1], start)
        for p in range(1, size):
            for done, (exact_start, any_start) in reach[p].items():
                for start in range(done, done + self._max_gap + 1):
                    for end, q, fuzzy in starting.get((p, start), ()):
                        cell = reach[p + q].setdefault(end, [_INF, _INF])
                        exact = _INF if fuzzy or start > done else exact_start
                        cell[:] = min(cell[0], exact), min(cell[1], any_start)
        final = reach[size]
        if not final:
            return None
        exact_start, end = min((x, end) for end, (x, _) in final.items())
        if exact_start < _INF:
            return True, exact_start, end
        any_start, end = min((a, end) for end, (_, a) in final.items())
        return False, any_start, end


def _word_starts(folded: str, indices: set[int]) -> dict[int, int]:
    """Start offsets of the words at ``indices`` in ``folded``."""
    starts, rest, at = {}, folded.lstrip(" "), 0
    for index in sorted(indices):
        if index > at:
            rest, at = rest.split(None, index - at)[-1], index
        starts[index] = len(folded) - len(rest)
    return starts
