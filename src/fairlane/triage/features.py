"""Text -> feature matrix for the trainable text models, and back from stored arrays.

Two kinds of features, chosen by the model's backend:

* ``tfidf``: TF-IDF of word 1-2-grams plus TF-IDF of character 2-5-grams inside word
  boundaries (``char_wb``), each row L2-normalised. The character n-grams make the model
  tolerant of misspellings and word forms ("refnd", "refunded") without a dictionary.
* ``embeddings``: the same TF-IDF blocks plus a sentence embedding
  (:class:`fairlane.triage.encoder.SentenceEncoder`), weighted so that both kinds count.

Everything a featurizer learned (vocabularies, IDF weights) is exported as plain numpy arrays
(:meth:`Featurizer.arrays`) and rebuilt from them (:meth:`Featurizer.from_arrays`), so a model
is stored without pickle.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from fairlane.triage.encoder import SentenceEncoder

__all__ = ["FeatureSpec", "Featurizer", "WordCounts", "WordIndex", "word_tokens"]


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """What a featurizer extracts; stored in the model card."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] | None = (2, 5)
    char_min_df: int = 2
    embedding_weight: float = 0.0  # 0: no embeddings (the tfidf backend)

    def as_dict(self) -> dict[str, Any]:
        return {
            "word_ngrams": list(self.word_ngrams),
            "char_ngrams": list(self.char_ngrams) if self.char_ngrams else None,
            "char_min_df": self.char_min_df,
            "embedding_weight": self.embedding_weight,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureSpec:
        char = data.get("char_ngrams")
        return cls(
            word_ngrams=(int(data["word_ngrams"][0]), int(data["word_ngrams"][1])),
            char_ngrams=(int(char[0]), int(char[1])) if char else None,
            char_min_df=int(data.get("char_min_df", 2)),
            embedding_weight=float(data.get("embedding_weight", 0.0)),
        )


def _word_vectorizer(spec: FeatureSpec, vocabulary: dict[str, int] | None = None) -> Any:
    return TfidfVectorizer(
        ngram_range=spec.word_ngrams,
        sublinear_tf=True,
        dtype=np.float32,
        vocabulary=vocabulary,
    )


def _char_vectorizer(spec: FeatureSpec, vocabulary: dict[str, int] | None = None) -> Any:
    assert spec.char_ngrams is not None
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=spec.char_ngrams,
        min_df=1 if vocabulary is not None else spec.char_min_df,
        sublinear_tf=True,
        dtype=np.float32,
        vocabulary=vocabulary,
    )


# scikit-learn's default token_pattern is (?u)\b\w\w+\b; without the \b it matches the same
# (a match takes a whole run of word characters, a run of one never matches) and is faster
_WORD_TOKEN = re.compile(r"\w\w+")


def word_tokens(texts: Sequence[str]) -> list[list[str]]:
    """Each text's words exactly as scikit-learn's ``TfidfVectorizer`` makes them (lower
    case, its default token pattern)."""
    findall = _WORD_TOKEN.findall
    return [findall(text.lower()) for text in texts]


@dataclass(frozen=True, slots=True)
class WordCounts:
    """How often each known word n-gram occurs in each text of a batch: parallel arrays
    ``docs`` (row), ``grams`` (the index's gram id) and ``counts``, sorted by row."""

    index: WordIndex
    n_docs: int
    docs: np.ndarray
    grams: np.ndarray
    counts: np.ndarray


class WordIndex:
    """The word n-grams of one or more fitted word vectorizers of the same n-gram range,
    found in a batch of texts once for all of them, with numpy instead of a dictionary lookup
    per n-gram string.

    Texts are tokenised once; each word becomes its id in a table of every word the
    vocabularies use (a word in no n-gram of any vocabulary is -1: no n-gram through it can
    match). An n-gram is then found level by level: the n-gram starting at position ``i`` is
    the node of ``(node of the (n-1)-gram at i, word at i+n-1)``, a pair encoded as one
    integer and looked up with a binary search in the sorted pairs of that level (every
    prefix of a vocabulary n-gram is a node). Matches are n-grams of consecutive words of one
    text, exactly as scikit-learn joins them; each vocabulary then maps the index's gram ids
    to its own columns (:meth:`columns`)."""

    def __init__(self, vocabularies: Sequence[Mapping[str, int]], ngrams: tuple[int, int]):
        self.low, self.high = ngrams
        self._vocabularies = list(vocabularies)
        grams: dict[str, int] = {}
        for vocabulary in self._vocabularies:
            for gram in vocabulary:
                grams.setdefault(gram, len(grams))
        words: dict[str, int] = {}
        split = [gram.split(" ") for gram in grams]
        for parts in split:
            for word in parts:
                words.setdefault(word, len(words))
        self._words = words
        width = max(len(words), 1)
        self._width = width
        # level k (k >= 2): the sorted pair keys (node of the (k-1)-word prefix * width + word
        # id), a key's position being its node id, and the gram id of each node (-1 for a
        # node that is only the prefix of longer grams)
        self._keys: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        unigram_of = np.full(width, -1, dtype=np.int64)
        for gram_id, parts in enumerate(split):
            if len(parts) == 1:
                unigram_of[words[parts[0]]] = gram_id
        self._gram_of: list[np.ndarray] = [unigram_of]
        node = [words[parts[0]] for parts in split]  # each gram's node at the current level
        for level in range(2, self.high + 1):
            live = [g for g, parts in enumerate(split) if len(parts) >= level]
            pair = {g: node[g] * width + words[split[g][level - 1]] for g in live}
            keys = np.unique(np.fromiter(pair.values(), dtype=np.int64, count=len(pair)))
            position = {key: i for i, key in enumerate(keys.tolist())}
            gram_of = np.full(len(keys), -1, dtype=np.int64)
            for g, key in pair.items():
                node[g] = position[key]
                if len(split[g]) == level:
                    gram_of[node[g]] = g
            self._keys.append(keys)
            self._gram_of.append(gram_of)
        self._n_grams = len(grams)
        self._columns = []
        for vocabulary in self._vocabularies:
            columns = np.full(len(grams), -1, dtype=np.int64)
            for gram, column in vocabulary.items():
                columns[grams[gram]] = column
            self._columns.append(columns)

    def columns(self, vocabulary: Mapping[str, int]) -> np.ndarray:
        """For each gram id of this index, the column of ``vocabulary`` (-1: not in it)."""
        for known, columns in zip(self._vocabularies, self._columns, strict=True):
            if known is vocabulary:
                return columns
        raise ValueError("these word counts were made for other models")

    def count(self, texts: Sequence[str]) -> WordCounts:
        return self.count_tokens(word_tokens(texts))

    def count_tokens(self, tokens: Sequence[list[str]]) -> WordCounts:
        """:meth:`count` of texts already tokenised as scikit-learn does (:func:`word_tokens`:
        lower case, runs of two or more word characters)."""
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        flat = list(chain.from_iterable(tokens))
        size = len(flat)
        ids = np.fromiter(map(self._words.get, flat, repeat(-1, size)), dtype=np.int64, count=size)
        docs = np.repeat(np.arange(len(tokens), dtype=np.int64), lengths)
        found_docs: list[np.ndarray] = []
        found_grams: list[np.ndarray] = []
        nodes = ids
        for n in range(1, self.high + 1):
            if n > 1:
                span = len(ids) - n + 1
                if span <= 0:
                    break
                previous = nodes[:span]
                following = ids[n - 1 :]
                valid = (previous >= 0) & (following >= 0) & (docs[:span] == docs[n - 1 :])
                keys = previous * self._width + following
                table = self._keys[n - 1]
                position = np.searchsorted(table, keys)
                position[position >= len(table)] = 0
                valid &= table[position] == keys if len(table) else False
                nodes = np.where(valid, position, -1)
            if n >= self.low:
                known = nodes >= 0
                grams = np.full(len(nodes), -1, dtype=np.int64)
                grams[known] = self._gram_of[n - 1][nodes[known]]
                hit = grams >= 0
                found_docs.append(docs[: len(nodes)][hit])
                found_grams.append(grams[hit])
        every_doc = np.concatenate(found_docs) if found_docs else np.zeros(0, dtype=np.int64)
        every_gram = np.concatenate(found_grams) if found_grams else np.zeros(0, dtype=np.int64)
        keys, counts = _counted(every_doc * self._n_grams + every_gram)
        width = max(self._n_grams, 1)
        return WordCounts(self, len(tokens), keys // width, keys % width, counts)


def _counted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_counts=True)``, faster on keys already in runs by text (a
    stable sort merges the runs)."""
    if not len(keys):
        return keys, keys
    keys = np.sort(keys, kind="stable")
    first = np.empty(len(keys), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return keys[starts], np.diff(np.append(starts, len(keys)))


class _WordTfidf:
    """The transform of a fitted word ``TfidfVectorizer`` (sublinear tf, idf, l2), computed
    for a whole batch with numpy instead of per text: scikit-learn's input validation alone
    costs about 2 ms a call, more than the arithmetic for a ticket. Same result to float32
    rounding (tested)."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray, ngrams: tuple[int, int]):
        self.vocabulary = vocabulary
        self.idf = idf.astype(np.float32)
        self.ngrams = ngrams
        self._index: WordIndex | None = None

    @property
    def index(self) -> WordIndex:
        """An index of this vocabulary alone (built on first use)."""
        if self._index is None:
            self._index = WordIndex([self.vocabulary], self.ngrams)
        return self._index

    def entries(self, words: WordCounts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The nonzero TF-IDF entries of ``words``' texts: (value, column, row pointer), the
        compressed-row arrays."""
        columns = words.index.columns(self.vocabulary)[words.grams]
        mine = columns >= 0
        row_of = words.docs[mine]
        col_of = columns[mine]
        n = words.n_docs
        data = (np.log(words.counts[mine].astype(np.float32)) + np.float32(1.0)) * self.idf[col_of]
        norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=n)).astype(np.float32)
        if len(data):
            data /= norms[row_of]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_of, minlength=n), out=indptr[1:])
        return data, col_of, indptr

    def transform_counts(self, words: WordCounts) -> sparse.csr_matrix:
        return sparse.csr_matrix(self.entries(words), shape=(words.n_docs, len(self.idf)))

    def dot(self, words: WordCounts, weights: np.ndarray) -> np.ndarray:
        """``transform_counts(words) @ weights`` without building the sparse matrix (whose
        checks cost more than the product for a single ticket). ``weights``: (columns, k)."""
        data, col_of, indptr = self.entries(words)
        out = np.zeros((words.n_docs, weights.shape[1]), dtype=np.float64)
        if len(data):
            contributions = weights[col_of] * data[:, None]
            filled = np.flatnonzero(np.diff(indptr))
            out[filled] = np.add.reduceat(contributions, indptr[filled], axis=0)
        return out


class Featurizer:
    """Fitted once on training texts; ``transform`` is then pure and thread-safe."""

    def __init__(
        self,
        spec: FeatureSpec,
        vectorizers: list[Any],
        encoder: SentenceEncoder | None = None,
    ) -> None:
        if spec.embedding_weight and encoder is None:
            raise ValueError("an embeddings featurizer needs its encoder")
        self.spec = spec
        self.vectorizers = vectorizers
        self.encoder = encoder
        word = vectorizers[0]
        self._word = _WordTfidf(word.vocabulary_, np.asarray(word.idf_), spec.word_ngrams)

    @classmethod
    def fit(
        cls,
        spec: FeatureSpec,
        texts: Sequence[str],
        *,
        encoder: SentenceEncoder | None = None,
    ) -> Featurizer:
        vectorizers = [_word_vectorizer(spec)]
        if spec.char_ngrams:
            vectorizers.append(_char_vectorizer(spec))
        for vectorizer in vectorizers:
            vectorizer.fit(texts)
        return cls(spec, vectorizers, encoder if spec.embedding_weight else None)

    @property
    def n_features(self) -> int:
        total = sum(len(v.vocabulary_) for v in self.vectorizers)
        return total + (self.encoder.dimensions if self.encoder is not None else 0)

    def transform(
        self,
        texts: Sequence[str],
        *,
        embeddings: np.ndarray | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> sparse.csr_matrix:
        """The feature rows of ``texts``; ``embeddings`` may be given when already computed."""
        return self.transform_counts(
            texts, self._word.index.count(texts), embeddings=embeddings, progress=progress
        )

    @property
    def word_vocabulary(self) -> Mapping[str, int]:
        return self._word.vocabulary

    @property
    def words_only(self) -> bool:
        """Word n-grams are all it extracts (the shipped models)."""
        return len(self.vectorizers) == 1 and self.encoder is None

    def word_dot(self, words: WordCounts, weights: np.ndarray) -> np.ndarray:
        """``transform_counts(texts, words) @ weights`` for a :attr:`words_only` featurizer,
        computed without a sparse matrix; ``weights``: (columns, k), C-contiguous is fastest."""
        if not self.words_only:
            raise ValueError("this featurizer extracts more than word n-grams")
        return self._word.dot(words, weights)

    def transform_counts(
        self,
        texts: Sequence[str],
        words: WordCounts,
        *,
        embeddings: np.ndarray | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> sparse.csr_matrix:
        """:meth:`transform` with the word n-grams already counted by a :class:`WordIndex`
        that includes this featurizer's vocabulary, so that several models over the same
        texts read them once."""
        blocks: list[Any] = [self._word.transform_counts(words)]
        blocks += [v.transform(texts) for v in self.vectorizers[1:]]
        if len(blocks) > 1:  # each TF-IDF block has unit length; keep the row at unit length
            blocks = [b * np.float32(1.0 / np.sqrt(len(blocks))) for b in blocks]
        if self.encoder is not None:
            if embeddings is None:
                embeddings = self.encoder.encode(texts, progress=progress)
            blocks.append(sparse.csr_matrix(embeddings * np.float32(self.spec.embedding_weight)))
        if len(blocks) == 1:
            single: sparse.csr_matrix = blocks[0]
            return single
        matrix: sparse.csr_matrix = sparse.hstack(blocks, format="csr", dtype=np.float32)
        return matrix

    # --- storage as plain arrays ------------------------------------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for n, vectorizer in enumerate(self.vectorizers):
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
            out[f"vocabulary_{n}"] = np.array(terms, dtype=np.str_)
            out[f"idf_{n}"] = np.asarray(vectorizer.idf_, dtype=np.float32)
        return out

    @classmethod
    def from_arrays(
        cls,
        spec: FeatureSpec,
        arrays: dict[str, np.ndarray],
        *,
        encoder: SentenceEncoder | None = None,
    ) -> Featurizer:
        builders = [_word_vectorizer]
        if spec.char_ngrams:
            builders.append(_char_vectorizer)
        vectorizers = []
        for n, build in enumerate(builders):
            terms = arrays[f"vocabulary_{n}"].tolist()
            vectorizer = build(spec, {term: i for i, term in enumerate(terms)})
            vectorizer.idf_ = arrays[f"idf_{n}"].astype(np.float64)
            vectorizers.append(vectorizer)
        return cls(spec, vectorizers, encoder)
